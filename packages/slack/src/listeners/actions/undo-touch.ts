import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { undoneTouch, undoTouch } from "@touchpoint/core";
import { problem, touchUndone, UNCONFIRMED_SAVES_BLOCK } from "../../blocks/touch.js";
import { type SlackDeps, tenantOf } from "../../deps.js";
import { confirmOrKeep } from "../saved.js";

/**
 * Undo on a touch confirmation: pressing it twice changes nothing the second time. On a notice of
 * unconfirmed saves (which leads another answer, and may hold other Undos) it answers beside it.
 */
export function undoTouchAction(deps: SlackDeps) {
  return async ({
    ack,
    action,
    body,
    respond,
    context,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    const tenantId = tenantOf(context);
    const undone = await undoTouch(deps, { tenantId, touchpointId: action.value ?? "" });
    const reply = undone.ok
      ? touchUndone(undone.value.contact, undone.value.touchpoint, undone.value.alreadyUndone)
      : problem(undone.error.message);
    const saved =
      undone.ok && !undone.value.alreadyUndone ? [undoneTouch(undone.value.touchpoint, undone.value.contact)] : [];
    const beside = action.block_id.startsWith(UNCONFIRMED_SAVES_BLOCK);
    await confirmOrKeep(deps, { tenantId, userId: body.user.id }, saved, () =>
      respond(
        beside
          ? { response_type: "ephemeral", replace_original: false, ...reply }
          : { replace_original: true, ...reply },
      ),
    );
  };
}
