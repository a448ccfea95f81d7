import type { Clock, Logger, OpenMentionSource, Storage } from "@touchpoint/core";
import { type Activity, teamsGetTenant } from "botbuilder";

/** What every handler needs: the core's ports. Handlers parse, call one use case, render a card. */
export interface TeamsDeps {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  /** X, asked by connect-x to check a handle and bearer token; without it connect-x says X is not set up. */
  readonly openXSource?: OpenMentionSource;
}

/**
 * The Teams tenant (Microsoft Entra organization) an activity came from: one Touchpoint tenant
 * each. It is the conversation's, which Teams always sets; `channelData.tenant` only echoes it, and
 * an activity where the two disagree is refused before this is asked (activityRefusal).
 */
export function teamsTenantId(activity: Activity): string | undefined {
  return activity.conversation?.tenantId || undefined;
}

/** Why an activity is not Touchpoint's to act on. */
export type ActivityRefusal = "not_teams" | "tenant_mismatch";

/**
 * Whether an activity may reach a handler: it must come from Teams (`msteams`; the Bot Framework
 * Emulator's `emulator` only when the server runs unauthenticated, for local use), and a tenant
 * in `channelData` must be the conversation's. Anything else is no Teams organization's word.
 */
export function activityRefusal(
  activity: Activity,
  options: { readonly acceptEmulator: boolean },
): ActivityRefusal | undefined {
  const channels = options.acceptEmulator ? ["msteams", "emulator"] : ["msteams"];
  if (!channels.includes(activity.channelId)) return "not_teams";
  const declared = teamsGetTenant(activity)?.id;
  if (declared && declared !== teamsTenantId(activity)) return "tenant_mismatch";
  return undefined;
}

/**
 * Who did it, as Touchpoint remembers people: the Entra object id, which is the same in every
 * team, chat and app of the organization, else the channel's own user id.
 */
export function teamsUserId(activity: Activity): string {
  return activity.from.aadObjectId || activity.from.id;
}

const ENTITIES: Readonly<Record<string, string>> = {
  "&nbsp;": " ",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&apos;": "'",
  "&amp;": "&",
};

/**
 * The command a person wrote, as they wrote it: the bot's own @mention taken out (a channel
 * message reads "<at>Touchpoint</at> touch …"), HTML entities read back, and line ends trimmed.
 * Mentions of colleagues stay: the parser says colleagues aren't contacts.
 */
export function commandText(activity: Activity, removeBotMention: (activity: Activity) => string): string {
  const mentionsBot = (activity.entities ?? []).some(
    (entity) =>
      entity.type === "mention" &&
      (entity as { mentioned?: { id?: string } }).mentioned?.id === activity.recipient.id &&
      typeof (entity as { text?: unknown }).text === "string",
  );
  const text = mentionsBot ? removeBotMention(activity) : (activity.text ?? "");
  return text.replace(/&(?:nbsp|lt|gt|quot|#39|apos|amp);/g, (entity) => ENTITIES[entity] ?? entity).trim();
}

/**
 * The Teams channel an activity is in, as a nudge is sent to it: the channel's conversation id
 * without a thread's ";messageid=…". Null in a personal or group chat.
 */
export function channelOf(activity: Activity): string | null {
  const conversation = activity.conversation;
  if (conversation?.conversationType !== "channel" || !conversation.id) return null;
  return conversation.id.split(";")[0] || null;
}
