import { installApp, uninstallApp } from "@touchpoint/core";
import { TurnContext, teamsGetTeamInfo } from "botbuilder";
import { welcome } from "../cards/install.js";
import { replyWith } from "../cards/send.js";
import { type TeamsDeps, teamsTenantId, teamsUserId } from "../deps.js";

/**
 * The app was added to a team, a chat or someone's personal scope. Teams says so twice (an
 * installationUpdate and a conversationUpdate naming the bot among the members added), in either
 * order and perhaps at once, so this is idempotent: the first creates the organization, the
 * second finds it. The conversation reference is what proactive messages (the nudge) are sent to.
 */
export async function installed(deps: TeamsDeps, context: TurnContext): Promise<void> {
  const { activity } = context;
  const key = teamsTenantId(activity);
  if (!key) {
    deps.logger.warn({ conversation: activity.conversation?.id }, "a Teams install named no tenant; ignored");
    return;
  }
  const installer = teamsUserId(activity);
  const team = teamsGetTeamInfo(activity);
  const result = await installApp(deps, {
    installation: {
      platform: "teams",
      key,
      enterpriseId: null,
      teamId: team?.id ?? null,
      isEnterpriseInstall: false,
      botUserId: activity.recipient.id,
      installedBy: installer,
      // Stored encrypted, like Slack's tokens: it names the tenant's conversations and service URL.
      secret: JSON.stringify(TurnContext.getConversationReference(activity)),
    },
    // Teams doesn't tell a bot its organization's name; a team's name is the nearest thing.
    organizationName: team?.name ?? key,
    installer: { platformUserId: installer, displayName: activity.from.name ?? null },
  });
  if (!result.ok) {
    deps.logger.error({ teamsTenantId: key, error: result.error.message }, "a Teams install was refused");
    return;
  }
  const tenant = result.value.tenant;
  // Added to a team: its channel (without a thread's ";messageid=…") is where the nudge goes,
  // until an admin picks another.
  if (activity.conversation.conversationType === "channel" && tenant.nudgeChannel === null) {
    const channel = activity.conversation.id.split(";")[0] as string;
    await deps.storage.withTenant(tenant.id, (r) => r.tenant.update({ nudgeChannel: channel }));
  }
  deps.logger.info(
    { tenantId: tenant.id, teamsTenantId: key, firstInstall: result.value.firstInstall },
    "Touchpoint installed in Teams",
  );
  if (result.value.firstInstall) await replyWith(context, welcome());
}

/** The app was removed: forget the conversation reference and stop all work for the organization. */
export async function uninstalled(deps: TeamsDeps, context: TurnContext): Promise<void> {
  const key = teamsTenantId(context.activity);
  if (!key) return;
  const { removed } = await uninstallApp(deps, { platform: "teams", key });
  deps.logger.info({ teamsTenantId: key, removed }, "Touchpoint uninstalled from Teams");
}
