import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { completePendingTouch, savedTouch } from "@touchpoint/core";
import { alreadyHandled, problem, touchLogged } from "../../blocks/touch.js";
import { type SlackDeps, tenantOf } from "../../deps.js";
import { confirmOrKeep } from "../saved.js";

/** One of the "which Jane?" buttons: logs the waiting touch with that contact, once. */
export function chooseContactAction(deps: SlackDeps) {
  return async ({
    ack,
    action,
    body,
    respond,
    context,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    const [pendingId = "", contactId = ""] = (action.value ?? "").split("|");
    const tenantId = tenantOf(context);
    const done = await completePendingTouch(deps, {
      tenantId,
      pendingId,
      contact: { kind: "existing", contactId },
      loggedBy: body.user.id,
      source: "slack",
    });
    if (done.ok) {
      const { logged } = done.value;
      await confirmOrKeep(
        deps,
        { tenantId, userId: body.user.id },
        [savedTouch(logged.touchpoint, logged.contact)],
        () => respond({ replace_original: true, ...touchLogged(logged, deps.clock.now(), logged.timeZone) }),
      );
    } else if (done.error.kind === "already_handled") {
      // The message already shows what was logged (with its Undo): say so beside it, don't replace it.
      await respond({ response_type: "ephemeral", replace_original: false, ...alreadyHandled() });
    } else {
      await respond({ response_type: "ephemeral", replace_original: false, ...problem(done.error.message) });
    }
  };
}
