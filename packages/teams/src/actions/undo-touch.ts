import { undoTouch } from "@touchpoint/core";
import { problem, touchUndone } from "../cards/touch.js";
import { type ActionHandler, field } from "./value.js";

/** Undo on a touch confirmation: pressing it twice changes nothing the second time. */
export const undoTouchAction: ActionHandler = async (deps, turn, value) => {
  const undone = await undoTouch(deps, { tenantId: turn.tenantId, touchpointId: field(value, "touchpointId") });
  return {
    replace: undone.ok
      ? touchUndone(undone.value.contact, undone.value.touchpoint, undone.value.alreadyUndone)
      : problem(undone.error.message),
  };
};
