import {
  type Installation,
  type InstallScopeKind,
  installApp,
  type NewInstallScope,
  removeInstallScope,
} from "@touchpoint/core";
import { type Activity, type ConversationReference, TurnContext, teamsGetTeamInfo } from "botbuilder";
import { welcome } from "../cards/install.js";
import { replyWith } from "../cards/send.js";
import { channelOf, type TeamsDeps, teamsTenantId, teamsUserId } from "../deps.js";

/**
 * Where in the organization an install or removal happened: a team (known by its team id, the
 * same whichever channel Teams reports it in), a group chat or a personal chat (by conversation id).
 */
export function installPlace(activity: Activity): {
  readonly scope: InstallScopeKind;
  readonly conversationId: string;
} {
  const conversation = activity.conversation;
  if (conversation.conversationType === "channel") {
    const team = teamsGetTeamInfo(activity)?.id;
    return { scope: "team", conversationId: team || (conversation.id.split(";")[0] as string) };
  }
  if (conversation.conversationType === "groupChat") return { scope: "groupChat", conversationId: conversation.id };
  return { scope: "personal", conversationId: conversation.id };
}

/**
 * Where an installation made before scopes were kept was added, from the conversation reference
 * it holds: a team by the team id it recorded, a chat by its conversation. Undefined if it doesn't
 * read as one.
 */
export function legacyScopeOf(installation: Installation): NewInstallScope | undefined {
  let conversation: ConversationReference["conversation"] | undefined;
  try {
    conversation = (JSON.parse(installation.secret) as Partial<ConversationReference>).conversation;
  } catch {
    return undefined;
  }
  if (!conversation?.id) return undefined;
  const installedBy = installation.installedBy;
  const reference = installation.secret;
  if (conversation.conversationType === "channel") {
    const conversationId = installation.teamId ?? (conversation.id.split(";")[0] as string);
    return { conversationId, scope: "team", reference, installedBy };
  }
  const scope = conversation.conversationType === "groupChat" ? "groupChat" : "personal";
  return { conversationId: conversation.id, scope, reference, installedBy };
}

/**
 * The app was added to a team, a chat or someone's personal scope. Teams says so twice (an
 * installationUpdate and a conversationUpdate naming the bot among the members added), in either
 * order and perhaps at once, so this is idempotent: the first creates the organization, the
 * second finds it. Whoever adds it is an admin only if this creates the organization (installApp).
 */
export async function installed(deps: TeamsDeps, context: TurnContext): Promise<void> {
  const { activity } = context;
  const key = teamsTenantId(activity);
  if (!key) {
    deps.logger.warn(
      { conversationType: activity.conversation?.conversationType },
      "a Teams install named no tenant; ignored",
    );
    return;
  }
  const installer = teamsUserId(activity);
  const team = teamsGetTeamInfo(activity);
  const place = installPlace(activity);
  const result = await installApp(deps, {
    installation: {
      platform: "teams",
      key,
      enterpriseId: null,
      teamId: place.scope === "team" ? place.conversationId : null,
      isEnterpriseInstall: false,
      botUserId: activity.recipient.id,
      installedBy: installer,
      // Stored encrypted, like Slack's tokens: it names the tenant's conversations and service URL.
      secret: JSON.stringify(TurnContext.getConversationReference(activity)),
    },
    // Teams doesn't tell a bot its organization's name; a team's name is the nearest thing.
    organizationName: team?.name ?? key,
    installer: { platformUserId: installer, displayName: activity.from.name ?? null },
    scope: place,
    // Added to a team: its channel is where the nudge goes, until an admin picks another.
    nudgeChannel: place.scope === "team" ? channelOf(activity) : null,
  });
  if (!result.ok) {
    deps.logger.error({ teamsTenantId: key, error: result.error.message }, "a Teams install was refused");
    return;
  }
  deps.logger.info(
    {
      tenantId: result.value.tenant.id,
      teamsTenantId: key,
      scope: place.scope,
      firstInstall: result.value.firstInstall,
      installerIsNewAdmin: result.value.installerIsNewAdmin,
      installed: result.value.installed,
    },
    result.value.installed
      ? "Touchpoint added in Teams"
      : "Touchpoint added to a chat of an organization whose teams removed it; it stays uninstalled",
  );
  if (result.value.firstInstall) await replyWith(context, welcome());
}

/**
 * The app was removed from one place: that place is forgotten, and the organization uninstalled
 * only if it was the install it lived by (removeInstallScope): a member removing their personal
 * copy leaves everyone else's alone.
 */
export async function uninstalled(deps: TeamsDeps, context: TurnContext): Promise<void> {
  const key = teamsTenantId(context.activity);
  if (!key) return;
  const place = installPlace(context.activity);
  const removal = await removeInstallScope(deps, {
    platform: "teams",
    key,
    conversationId: place.conversationId,
    legacyScope: legacyScopeOf,
  });
  deps.logger.info({ teamsTenantId: key, scope: place.scope, ...removal }, "Touchpoint removed in Teams");
}
