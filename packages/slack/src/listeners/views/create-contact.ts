import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import {
  completePendingTouch,
  type Identity,
  normalizeEmail,
  normalizeXHandle,
  savedContact,
  savedTouch,
} from "@touchpoint/core";
import type { SlackMessage } from "../../blocks/text.js";
import { touchLogged } from "../../blocks/touch.js";
import { type SlackDeps, tenantOf } from "../../deps.js";
import type { CreateContactMetadata } from "../actions/create-contact.js";
import { confirmOrKeep } from "../saved.js";

type Values = ViewSubmitAction["view"]["state"]["values"];
const field = (values: Values, blockId: string): string => (values[blockId]?.value?.value ?? "").trim();

/** Slack refused a response_url update: the confirmation didn't arrive. */
class ResponseRefused extends Error {
  constructor(readonly status: number) {
    super(`Slack refused a response_url update with HTTP ${status}`);
    this.name = "ResponseRefused";
  }
}

/** Replaces the "No contact matches…" message with the confirmation, through Slack's response_url. */
async function replace(responseUrl: string, reply: SlackMessage): Promise<void> {
  const response = await fetch(responseUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ replace_original: true, ...reply }),
  });
  if (!response.ok) throw new ResponseRefused(response.status);
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
    const tenantId = tenantOf(context);
    const done = await completePendingTouch(deps, {
      tenantId,
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
    const saved = [savedContact("added", logged.contact), savedTouch(logged.touchpoint, logged.contact)];
    const responseUrl = metadata.responseUrl ?? pending.replyTo;
    // With no message to replace, the modal closing on success is the confirmation.
    if (!responseUrl) return;
    await confirmOrKeep(deps, { tenantId, userId: body.user.id }, saved, () =>
      replace(responseUrl, touchLogged(logged, deps.clock.now(), logged.timeZone)),
    );
  };
}
