import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { type SlackDeps, tenantOf } from "../../deps.js";
import { publishHome } from "../home.js";

/** The Home tab: the person's own contacts going cold, and the settings (editable by admins). */
export function appHomeOpened(deps: SlackDeps) {
  return async ({ event, client, context }: SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs) => {
    if (event.tab !== "home") return;
    await publishHome(deps, client, tenantOf(context), event.user);
  };
}
