import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { undoTouch } from "@touchpoint/core";
import { problem, touchUndone } from "../../blocks/touch.js";
import { type SlackDeps, tenantOf } from "../../deps.js";

/** Undo on a touch confirmation: pressing it twice changes nothing the second time. */
export function undoTouchAction(deps: SlackDeps) {
  return async ({
    ack,
    action,
    respond,
    context,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    const undone = await undoTouch(deps, { tenantId: tenantOf(context), touchpointId: action.value ?? "" });
    const reply = undone.ok
      ? touchUndone(undone.value.contact, undone.value.touchpoint, undone.value.alreadyUndone)
      : problem(undone.error.message);
    await respond({ replace_original: true, ...reply });
  };
}
