import {
  keepUnconfirmedSaves,
  NOTHING_SAVED,
  nothingOfThisSaved,
  type SavedWork,
  takeUnconfirmedSaves,
} from "@touchpoint/core";
import type { TurnContext } from "botbuilder";
import type { AdaptiveCard } from "./cards/card.js";
import { replaceWith, replyWith, replyWithCards } from "./cards/send.js";
import { problem, unconfirmedSaves } from "./cards/touch.js";
import { channelOf, type TeamsDeps } from "./deps.js";
import type { Turn } from "./turn.js";

/**
 * Saved means said. A turn commits before it confirms, so a confirmation the connector refuses
 * (or a failure after the save) leaves something saved that the person wasn't told of. Each
 * handler records here what it committed, the moment it has; a send that carries the
 * confirmation strikes it off. Whatever is left when the turn fails is what the apology says was
 * saved, instead of "nothing was saved" (which would have the person send it again); and if the
 * apology can't be delivered either, it is kept for the person's next message to lead with.
 */

/** What the turn saved and has not yet confirmed, kept on the TurnContext for onTurnError. */
interface Unconfirmed {
  readonly tenantId: string;
  readonly userId: string;
  /** Saves of earlier turns, taken to be noticed now. */
  readonly earlier: SavedWork[];
  /** This turn's saves. */
  readonly saved: SavedWork[];
  /** Whether this turn saved anything, confirmed or not. */
  savedAny: boolean;
}

const UNCONFIRMED = Symbol("touchpoint.unconfirmedSaves");

function unconfirmedOf(turn: Pick<Turn, "context" | "tenantId" | "userId">): Unconfirmed {
  let unconfirmed = turn.context.turnState.get(UNCONFIRMED) as Unconfirmed | undefined;
  if (!unconfirmed) {
    unconfirmed = { tenantId: turn.tenantId, userId: turn.userId, earlier: [], saved: [], savedAny: false };
    turn.context.turnState.set(UNCONFIRMED, unconfirmed);
  }
  return unconfirmed;
}

/**
 * Where a notice of this turn's saves may be shown: the channel (any thread of it) or chat it was
 * asked in. The person's personal chat with the bot shows any of theirs.
 */
function placeOf(context: TurnContext): string {
  return channelOf(context.activity) ?? context.activity.conversation?.id ?? "";
}

const isPersonal = (context: TurnContext) => context.activity.conversation?.conversationType === "personal";

/** Records what the turn just committed; call it as soon as the use case has returned ok. */
export function recordSaved(turn: Turn, ...saved: SavedWork[]): void {
  const unconfirmed = unconfirmedOf(turn);
  const where = placeOf(turn.context);
  unconfirmed.saved.push(...saved.map((s) => ({ ...s, where })));
  unconfirmed.savedAny = true;
}

/** A send that arrived confirmed these: struck off, so a later failure doesn't say them again. */
function confirmed(list: SavedWork[]): void {
  list.splice(0, list.length);
}

/**
 * The saves an earlier turn couldn't confirm (nor apologize for), taken for this turn to lead
 * with: in the personal chat all of them, elsewhere those asked for there (a channel's members
 * needn't see what was logged in a private chat). Until the notice arrives they are this turn's
 * to keep again, should it fail too.
 */
export async function takeEarlierSaves(deps: TeamsDeps, turn: Turn): Promise<void> {
  const here = placeOf(turn.context);
  const personal = isPersonal(turn.context);
  const earlier = await takeUnconfirmedSaves(deps, {
    tenantId: turn.tenantId,
    userId: turn.userId,
    shownHere: (saved) => personal || saved.where === here,
  });
  if (earlier.length > 0) unconfirmedOf(turn).earlier.push(...earlier);
}

/** A turn's answer: in place of the card pressed (its message id), and the replies beside it, in order. */
export interface TurnAnswer {
  readonly replace?: { readonly activityId: string; readonly card: AdaptiveCard };
  readonly replies: readonly AdaptiveCard[];
}

/**
 * Sends the answer, led by the notice of earlier saves; each send strikes off what it confirmed
 * (the notice, the earlier saves; the answer's first card, the turn's own). A failure is thrown
 * on, to onTurnError.
 */
export async function deliverAnswer(turn: Turn, answer: TurnAnswer): Promise<void> {
  const { context } = turn;
  const unconfirmed = unconfirmedOf(turn);
  if (unconfirmed.earlier.length > 0) {
    await replyWith(context, unconfirmedSaves(unconfirmed.earlier));
    confirmed(unconfirmed.earlier);
  }
  if (answer.replace) {
    await replaceWith(context, answer.replace.activityId, answer.replace.card);
    confirmed(unconfirmed.saved);
  }
  for (const reply of answer.replies) {
    await replyWith(context, reply);
    confirmed(unconfirmed.saved);
  }
}

const FAILED_AFTER =
  "Something went wrong after what you asked was saved (its confirmation is above); there's no need to send it again.";

/**
 * onTurnError's answer to a failed message: what was saved and not yet confirmed, said as saved
 * (with Undo), and whether anything of this message was. If that can't be delivered either, the
 * saves are kept for the person's next message. Logs say how many, never what (the words hold
 * contacts' names).
 */
export async function apologize(deps: TeamsDeps, context: TurnContext): Promise<void> {
  const unconfirmed = context.turnState.get(UNCONFIRMED) as Unconfirmed | undefined;
  const saved = unconfirmed ? [...unconfirmed.earlier, ...unconfirmed.saved] : [];
  const savedNothing = !unconfirmed?.savedAny;
  const cards = [
    ...(saved.length > 0 ? [unconfirmedSaves(saved)] : []),
    ...(savedNothing ? [problem(saved.length > 0 ? nothingOfThisSaved("message") : NOTHING_SAVED)] : []),
    ...(!savedNothing && unconfirmed?.saved.length === 0 ? [problem(FAILED_AFTER)] : []),
  ];
  try {
    await replyWithCards(context, cards);
  } catch (replyError) {
    deps.logger.warn(
      { err: replyError, unconfirmedSaves: saved.length },
      "could not tell a Teams user their message failed",
    );
    if (!unconfirmed || saved.length === 0) return;
    const { tenantId, userId } = unconfirmed;
    try {
      await keepUnconfirmedSaves(deps, { tenantId, userId, saved });
      deps.logger.info(
        { tenantId, unconfirmedSaves: saved.length },
        "kept unconfirmed saves for the person's next Teams message",
      );
    } catch (keepError) {
      deps.logger.error(
        { err: keepError, tenantId, unconfirmedSaves: saved.length },
        "could not keep unconfirmed saves for a Teams user",
      );
    }
  }
}
