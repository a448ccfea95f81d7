import { undoneTouch, undoTouch } from "@touchpoint/core";
import { problem, touchUndone, UNDO_BESIDE } from "../cards/touch.js";
import { recordSaved } from "../saved.js";
import { type ActionHandler, field } from "./value.js";

/**
 * Undo on a touch confirmation: pressing it twice changes nothing the second time. On a notice
 * of unconfirmed saves (which may hold other Undos) it answers beside the notice, which stays.
 */
export const undoTouchAction: ActionHandler = async (deps, turn, value) => {
  const undone = await undoTouch(deps, { tenantId: turn.tenantId, touchpointId: field(value, "touchpointId") });
  if (undone.ok && !undone.value.alreadyUndone)
    recordSaved(turn, undoneTouch(undone.value.touchpoint, undone.value.contact));
  const answer = undone.ok
    ? touchUndone(undone.value.contact, undone.value.touchpoint, undone.value.alreadyUndone)
    : problem(undone.error.message);
  return field(value, UNDO_BESIDE) === "true" ? { reply: answer } : { replace: answer };
};
