import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { listRelationships } from "@touchpoint/core";
import { homeView } from "../../blocks/views.js";
import { type SlackDeps, tenantOf } from "../../deps.js";
import { settingsFor } from "../settings-access.js";

/** The Home tab: the person's own contacts going cold, and the settings (editable by admins). */
export function appHomeOpened(deps: SlackDeps) {
  return async ({ event, client, context }: SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs) => {
    if (event.tab !== "home") return;
    const tenantId = tenantOf(context);
    const [settings, overview] = await Promise.all([
      settingsFor(deps, client, tenantId, event.user),
      listRelationships(deps, { tenantId }),
    ]);
    await client.views.publish({ user_id: event.user, view: homeView({ userId: event.user, settings, overview }) });
  };
}
