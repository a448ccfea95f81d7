import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { appHomeOpened } from "./app-home-opened.js";
import { appUninstalled } from "./uninstalled.js";

export function registerEvents(app: App, deps: SlackDeps): void {
  app.event("app_home_opened", appHomeOpened(deps));
  app.event("app_uninstalled", appUninstalled(deps));
  app.event("tokens_revoked", appUninstalled(deps));
}
