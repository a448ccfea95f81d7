import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { mentionFor, type NudgeRef } from "@touchpoint/core";
import { buttonValue, type NudgeButtonValue, type NudgeContactValue, nudgeRefOf } from "../../blocks/digest.js";
import { addContactModal, logTouchModal } from "../../blocks/views.js";
import { type SlackDeps, tenantOf } from "../../deps.js";

/** What the nudge's modals carry to their submission: the item, and the message to update. */
export interface NudgeModalMetadata extends NudgeRef {
  readonly contactId?: string;
  readonly mentionId?: string;
  readonly channel: string | null;
  readonly ts: string | null;
}

type Args = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

function messageOf(body: BlockButtonAction): { channel: string | null; ts: string | null } {
  return {
    channel: body.container?.channel_id ?? body.channel?.id ?? null,
    ts: body.container?.message_ts ?? body.message?.ts ?? null,
  };
}

/** Log touch on a going-cold contact: the modal, for how and a note. */
export function nudgeLogTouchAction(_deps: SlackDeps) {
  return async ({ ack, action, body, client, respond }: Args) => {
    await ack();
    const value = buttonValue<NudgeContactValue>(action.value);
    const nudge = nudgeRefOf(value);
    if (typeof value.contactId !== "string" || !nudge) {
      await respond({ response_type: "ephemeral", replace_original: false, text: "That button no longer works." });
      return;
    }
    const metadata: NudgeModalMetadata = { ...nudge, contactId: value.contactId, ...messageOf(body) };
    await client.views.open({
      trigger_id: body.trigger_id,
      view: logTouchModal(value.name ?? "this contact", JSON.stringify(metadata)),
    });
  };
}

/** Add as contact on a new voice: the modal, prefilled from the X author. */
export function nudgeAddContactAction(deps: SlackDeps) {
  return async ({ ack, action, body, client, context, respond }: Args) => {
    await ack();
    const value = buttonValue<NudgeButtonValue>(action.value);
    const mention =
      typeof value.mentionId === "string"
        ? await mentionFor(deps, { tenantId: tenantOf(context), mentionId: value.mentionId })
        : undefined;
    const nudge = nudgeRefOf(value);
    if (!mention || !nudge) {
      await respond({ response_type: "ephemeral", replace_original: false, text: "That mention is no longer here." });
      return;
    }
    if (mention.contactId !== null) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: `@${mention.author.handle} is a contact already; nothing was done twice.`,
      });
      return;
    }
    const metadata: NudgeModalMetadata = { ...nudge, mentionId: mention.id, ...messageOf(body) };
    await client.views.open({ trigger_id: body.trigger_id, view: addContactModal(mention, JSON.stringify(metadata)) });
  };
}
