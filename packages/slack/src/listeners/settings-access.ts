import type { webApi } from "@slack/bolt";
import { memberName, type SettingsView, viewSettings } from "@touchpoint/core";
import type { SlackDeps } from "../deps.js";

/**
 * The settings as this person may see them. An organization with no Touchpoint admin yet (a
 * single-workspace install has no installer to make the first one) takes a Slack workspace admin
 * or owner as its first; after that, admins are whoever the admins choose.
 */
export async function settingsFor(
  deps: SlackDeps,
  client: webApi.WebClient,
  tenantId: string,
  userId: string,
): Promise<SettingsView> {
  const settings = await viewSettings(deps, { tenantId, actorId: userId });
  if (settings.canEdit || settings.admins.length > 0) return settings;
  const { user } = await client.users.info({ user: userId });
  if (!user?.is_admin && !user?.is_owner) return settings;
  await deps.storage.withTenant(tenantId, (repos) =>
    repos.members.upsert({ platformUserId: userId, role: "admin", displayName: memberName(user.real_name) }),
  );
  return viewSettings(deps, { tenantId, actorId: userId });
}
