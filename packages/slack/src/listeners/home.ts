import type { webApi } from "@slack/bolt";
import { listRelationships } from "@touchpoint/core";
import { homeView } from "../blocks/views.js";
import type { SlackDeps } from "../deps.js";
import { settingsFor } from "./settings-access.js";

/** Draws one person's Home tab: their own contacts going cold, and the settings. */
export async function publishHome(deps: SlackDeps, client: webApi.WebClient, tenantId: string, userId: string) {
  const [settings, overview] = await Promise.all([
    settingsFor(deps, client, tenantId, userId),
    listRelationships(deps, { tenantId }),
  ]);
  await client.views.publish({ user_id: userId, view: homeView({ userId, settings, overview }) });
}
