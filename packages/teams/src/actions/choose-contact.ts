import { completePendingTouch, savedTouch } from "@touchpoint/core";
import { alreadyHandled, problem, touchLogged } from "../cards/touch.js";
import { recordSaved } from "../saved.js";
import { type ActionHandler, field } from "./value.js";

/** One of the "which Jane?" buttons: logs the waiting touch with that contact, once. */
export const chooseContactAction: ActionHandler = async (deps, turn, value) => {
  const done = await completePendingTouch(deps, {
    tenantId: turn.tenantId,
    pendingId: field(value, "pendingId"),
    contact: { kind: "existing", contactId: field(value, "contactId") },
    loggedBy: turn.userId,
    source: "teams",
  });
  if (done.ok) {
    const { logged } = done.value;
    recordSaved(turn, savedTouch(logged.touchpoint, logged.contact));
    return { replace: touchLogged(logged, deps.clock.now(), logged.timeZone) };
  }
  // The card already shows what was logged (with its Undo): say so beside it, don't replace it.
  return { reply: done.error.kind === "already_handled" ? alreadyHandled() : problem(done.error.message) };
};
