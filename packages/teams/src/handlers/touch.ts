import { holdPendingTouch, logTouch, savedTouch, type TouchCommand, USAGE } from "@touchpoint/core";
import type { AdaptiveCard } from "../cards/card.js";
import { chooseContact, commandProblem, touchLogged, unknownContact } from "../cards/touch.js";
import type { TeamsDeps } from "../deps.js";
import { recordSaved } from "../saved.js";
import type { Turn } from "../turn.js";

/**
 * The idempotency key of something an activity writes: its Teams tenant, its conversation and its
 * id. A Teams message id is a millisecond timestamp, unique only within its conversation: two
 * chats can hold messages with the same id, while a redelivery repeats the conversation and id.
 * `kind` sets apart different writes keyed by the same message (a form's message, say).
 */
export function teamsSourceRef(turn: Turn, activityId: string | undefined, kind?: string): string {
  const { conversation } = turn.context.activity;
  return ["teams", turn.teamsTenantId, conversation?.id ?? "", ...(kind ? [kind] : []), activityId ?? ""].join(":");
}

/**
 * `touch <who> [note]`. The touch is committed before the card is sent, so a confirmed touch is
 * never lost; the conversation and activity id make a redelivered message log nothing twice.
 */
export async function touch(deps: TeamsDeps, turn: Turn, command: TouchCommand): Promise<AdaptiveCard> {
  const sourceRef = teamsSourceRef(turn, turn.context.activity.id);
  const logged = await logTouch(deps, {
    tenantId: turn.tenantId,
    ...command,
    loggedBy: turn.userId,
    source: "teams",
    sourceRef,
  });
  if (logged.ok) {
    recordSaved(turn, savedTouch(logged.value.touchpoint, logged.value.contact));
    return touchLogged(logged.value, deps.clock.now(), logged.value.timeZone);
  }
  const error = logged.error;
  // A date in the future, a note too long: said with an example that works, like a parse error.
  if (error.kind === "validation") return commandProblem({ message: error.message, usage: USAGE.touch });

  // The card that answers is replaced in place when its button is pressed: no reply address to keep.
  const pendingId = await holdPendingTouch(deps, {
    tenantId: turn.tenantId,
    pending: { command, sourceRef, replyTo: null },
  });
  return error.kind === "unknown_contact"
    ? unknownContact(command.who, pendingId)
    : chooseContact(command.who.raw, error.candidates, pendingId);
}
