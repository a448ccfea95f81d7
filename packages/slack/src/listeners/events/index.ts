import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { type Routes, routes } from "../route.js";
import { appHomeOpened } from "./app-home-opened.js";
import { appUninstalled } from "./uninstalled.js";

type EventArgs<Type extends string> = SlackEventMiddlewareArgs<Type> & AllMiddlewareArgs;
export type EventListener = (args: EventArgs<string>) => Promise<void>;

/** The events the manifest subscribes to, by type: each listener gets the event its type names. */
export function eventListeners(deps: SlackDeps): Routes<EventListener> {
  const homeOpened = appHomeOpened(deps);
  const uninstalled = appUninstalled(deps);
  return routes<EventListener>({
    app_home_opened: (args) => homeOpened(args as EventArgs<"app_home_opened">),
    app_uninstalled: (args) => uninstalled(args as EventArgs<"app_uninstalled">),
    tokens_revoked: (args) => uninstalled(args as EventArgs<"tokens_revoked">),
  });
}
