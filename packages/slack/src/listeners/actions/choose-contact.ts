import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { logTouch } from "@touchpoint/core";
import { alreadyHandled, problem, touchLogged } from "../../blocks/touch.js";
import { type SlackDeps, tenantOf } from "../../deps.js";
import { PENDING_TOUCH, type PendingTouch } from "../commands/touch.js";

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
    const tenantId = tenantOf(context);
    const [pendingId = "", contactId = ""] = (action.value ?? "").split("|");
    const pending = (await deps.storage.withTenant(tenantId, (repos) =>
      repos.pendingActions.take(pendingId, PENDING_TOUCH, deps.clock.now()),
    )) as PendingTouch | undefined;
    if (!pending) return void (await respond({ replace_original: true, ...alreadyHandled() }));
    const logged = await logTouch(deps, {
      tenantId,
      ...pending.command,
      who: { kind: "contact", contactId, raw: pending.command.who.raw },
      loggedBy: body.user.id,
      source: "slack",
      sourceRef: pending.sourceRef,
    });
    await respond({
      replace_original: true,
      ...(logged.ok
        ? touchLogged(logged.value, deps.clock.now(), logged.value.timeZone)
        : problem(logged.error.message)),
    });
  };
}
