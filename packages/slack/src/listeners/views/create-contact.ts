import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { addContact, type Identity, logTouch, normalizeEmail, normalizeXHandle } from "@touchpoint/core";
import type { SlackMessage } from "../../blocks/text.js";
import { problem, touchLogged } from "../../blocks/touch.js";
import { type SlackDeps, tenantOf } from "../../deps.js";
import type { CreateContactMetadata } from "../actions/create-contact.js";
import { PENDING_TOUCH, type PendingTouch } from "../commands/touch.js";

type Values = ViewSubmitAction["view"]["state"]["values"];
const field = (values: Values, blockId: string): string => (values[blockId]?.value?.value ?? "").trim();

async function replace(responseUrl: string | null, reply: SlackMessage): Promise<void> {
  if (!responseUrl) return;
  await fetch(responseUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ replace_original: true, ...reply }),
  });
}

/**
 * The Create contact modal submitted: a bad field keeps the modal open with its error; otherwise
 * the contact is created and the touch that was waiting for it is logged.
 */
export function createContactSubmitted(deps: SlackDeps) {
  return async ({ ack, view, body, context }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const tenantId = tenantOf(context);
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

    const added = await addContact(deps, {
      tenantId,
      contact: { name: field(values, "name"), segment: field(values, "segment") || null, identities },
    });
    if (!added.ok) {
      const error = added.error;
      const blockId =
        error.kind === "identity_taken" ? (error.identity.platform === "email" ? "email" : "x_handle") : "name";
      return void (await ack({ response_action: "errors", errors: { [blockId]: error.message } }));
    }
    await ack();

    const metadata = JSON.parse(view.private_metadata || "{}") as CreateContactMetadata;
    const pending = (await deps.storage.withTenant(tenantId, (repos) =>
      repos.pendingActions.take(metadata.pendingId, PENDING_TOUCH, deps.clock.now()),
    )) as PendingTouch | undefined;
    if (!pending) return;
    const logged = await logTouch(deps, {
      tenantId,
      ...pending.command,
      who: { kind: "contact", contactId: added.value.id, raw: added.value.name },
      loggedBy: body.user.id,
      source: "slack",
      sourceRef: pending.sourceRef,
    });
    await replace(
      metadata.responseUrl ?? pending.responseUrl,
      logged.ok ? touchLogged(logged.value, deps.clock.now(), logged.value.timeZone) : problem(logged.error.message),
    );
  };
}
