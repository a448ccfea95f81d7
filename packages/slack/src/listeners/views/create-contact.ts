import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { completePendingTouch, type Identity, normalizeEmail, normalizeXHandle } from "@touchpoint/core";
import type { SlackMessage } from "../../blocks/text.js";
import { touchLogged } from "../../blocks/touch.js";
import { type SlackDeps, tenantOf } from "../../deps.js";
import type { CreateContactMetadata } from "../actions/create-contact.js";

type Values = ViewSubmitAction["view"]["state"]["values"];
const field = (values: Values, blockId: string): string => (values[blockId]?.value?.value ?? "").trim();

/** Replaces the "No contact matches…" message with the confirmation, through Slack's response_url. */
async function replace(deps: SlackDeps, responseUrl: string | null, reply: SlackMessage): Promise<void> {
  if (!responseUrl) return;
  const response = await fetch(responseUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ replace_original: true, ...reply }),
  });
  if (!response.ok) deps.logger.warn({ status: response.status }, "Slack refused a response_url update");
}

/**
 * The Create contact modal submitted: a bad field keeps the modal open with its error; otherwise the
 * contact is created and the touch that waited for it logged, together, before the modal closes.
 */
export function createContactSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, context }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const values = view.state.values;
    const errors: Record<string, string> = {};
    const identities: Identity[] = [];
    const x = field(values, "x_handle");
    if (x !== "") {
      const handle = normalizeXHandle(x);
      if (handle.ok) identities.push({ platform: "x", handle: handle.value, externalUserId: null });
      else errors.x_handle = handle.error;
    }
    const email = field(values, "email");
    if (email !== "") {
      const address = normalizeEmail(email);
      if (address.ok) identities.push({ platform: "email", handle: address.value, externalUserId: null });
      else errors.email = address.error;
    }
    if (Object.keys(errors).length > 0) return void (await ack({ response_action: "errors", errors }));

    const metadata = JSON.parse(view.private_metadata || "{}") as CreateContactMetadata;
    const done = await completePendingTouch(deps, {
      tenantId: tenantOf(context),
      pendingId: metadata.pendingId,
      contact: {
        kind: "new",
        contact: { name: field(values, "name"), segment: field(values, "segment") || null, identities },
      },
      loggedBy: body.user.id,
      source: "slack",
    });
    if (!done.ok) {
      const error = done.error;
      const blockId =
        error.kind === "identity_taken" ? (error.identity.platform === "email" ? "email" : "x_handle") : "name";
      return void (await ack({ response_action: "errors", errors: { [blockId]: error.message } }));
    }
    await ack();
    const { logged, pending } = done.value;
    await replace(
      deps,
      metadata.responseUrl ?? pending.replyTo,
      touchLogged(logged, deps.clock.now(), logged.timeZone),
    );
  };
}
