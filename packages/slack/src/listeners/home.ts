import type { webApi } from "@slack/bolt";
import { listOpenMentions, listRelationships } from "@touchpoint/core";
import { HOME_LIMIT, homeView } from "../blocks/views.js";
import type { SlackDeps } from "../deps.js";
import { settingsFor } from "./settings-access.js";

/** Draws one person's Home tab: their own contacts going cold, their open mentions, and the settings. */
export async function publishHome(deps: SlackDeps, client: webApi.WebClient, tenantId: string, userId: string) {
  const [settings, overview, mentions] = await Promise.all([
    settingsFor(deps, client, tenantId, userId),
    listRelationships(deps, { tenantId }),
    listOpenMentions(deps, { tenantId, person: userId, limit: HOME_LIMIT }),
  ]);
  const view = homeView({ userId, settings, overview, mentions, now: deps.clock.now() });
  await client.views.publish({ user_id: userId, view });
}
