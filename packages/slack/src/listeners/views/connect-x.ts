import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { connectXAccount } from "@touchpoint/core";
import { connectedXView } from "../../blocks/views.js";
import { type SlackDeps, tenantOf } from "../../deps.js";

/** Which modal block shows each problem the core can report. */
const BLOCK_FOR_FIELD: Readonly<Record<string, "handle" | "token">> = { handle: "handle", token: "token" };

/**
 * The connect-x modal submitted: checked with X (the handle must exist, the token must work) before
 * anything is saved. A problem keeps the modal open beside the field it concerns; success turns the
 * modal into a confirmation. X is asked with a short timeout, so the answer fits in Slack's 3 s.
 */
export function connectXSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, context }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const tenantId = tenantOf(context);
    const values = view.state.values;
    const connected = await connectXAccount(
      { storage: deps.storage, openSource: deps.openXSource },
      {
        tenantId,
        handle: values.handle?.value?.value ?? "",
        bearerToken: values.token?.value?.value ?? "",
        actorId: body.user.id,
      },
    );
    if (!connected.ok) {
      const error = connected.error;
      // A refused token is the token's fault; an unknown account, the handle's; the rest, X's.
      const blockId =
        error.kind === "validation"
          ? (BLOCK_FOR_FIELD[error.field] ?? "handle")
          : error.kind === "connect_failed" && error.reason === "unauthorized"
            ? "token"
            : "handle";
      return void (await ack({ response_action: "errors", errors: { [blockId]: error.message } }));
    }
    const tenant = await deps.storage.tenants.get(tenantId);
    deps.logger.info({ tenantId, handle: connected.value.handle, by: body.user.id }, "X account connected from Slack");
    await ack({
      response_action: "update",
      view: connectedXView(connected.value, tenant?.name ?? "your organization"),
    });
  };
}
