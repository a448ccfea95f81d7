import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { CreateContactValue } from "../../blocks/touch.js";
import { createContactModal } from "../../blocks/views.js";
import type { SlackDeps } from "../../deps.js";

/** What the Create contact modal carries to its submission (within private_metadata's 3,000 characters). */
export interface CreateContactMetadata {
  readonly pendingId: string;
  readonly responseUrl: string | null;
}

/** "Create contact" under "No contact matches …": a modal prefilled from what was typed. */
export function createContactAction(_deps: SlackDeps) {
  return async ({ ack, action, body, client }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    const value = JSON.parse(action.value ?? "{}") as CreateContactValue;
    const metadata: CreateContactMetadata = { pendingId: value.pendingId, responseUrl: body.response_url ?? null };
    await client.views.open({
      trigger_id: body.trigger_id,
      view: createContactModal(value.draft ?? {}, JSON.stringify(metadata)),
    });
  };
}
