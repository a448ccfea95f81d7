import { composeDigest } from "@touchpoint/core";
import type { AdaptiveCard } from "../cards/card.js";
import { nudgesInPersonalChat } from "../cards/contact.js";
import { digestCard } from "../cards/digest.js";
import { problem } from "../cards/touch.js";
import type { TeamsDeps } from "../deps.js";
import type { Turn } from "../turn.js";
import { namesFor } from "./contact.js";

/**
 * `nudges`: today's nudge, now, from the same composer as the morning post, without buttons.
 * Slack answers it privately; in Teams a reply is seen by everyone in the conversation, so the
 * nudge is shown only in a personal chat, and a channel or group chat is told to ask there.
 */
export async function nudges(deps: TeamsDeps, turn: Turn): Promise<AdaptiveCard> {
  const conversation = turn.context.activity.conversation;
  const shared = conversation?.isGroup === true || ["channel", "groupChat"].includes(conversation?.conversationType);
  if (shared) return nudgesInPersonalChat();
  const digest = await composeDigest(deps, { tenantId: turn.tenantId });
  if (!digest.ok) return problem(digest.error.message);
  return digestCard(digest.value, { buttons: false, nameOf: await namesFor(deps, turn) });
}
