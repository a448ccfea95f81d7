import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import {
  addContactFromMention,
  logTouchFromNudge,
  type NudgeView,
  normalizeEmail,
  savedContact,
  savedTouch,
  TOUCH_CHANNELS,
  type TouchChannel,
} from "@touchpoint/core";
import { digestMessage, nudgeRefOf } from "../../blocks/digest.js";
import { type SlackDeps, tenantOf } from "../../deps.js";
import type { NudgeModalMetadata } from "../actions/nudge-modals.js";
import { confirmOrKeep } from "../saved.js";

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type Values = ViewSubmitAction["view"]["state"]["values"];
const field = (values: Values, blockId: string): string => (values[blockId]?.value?.value ?? "").trim();

function metadataOf(view: ViewSubmitAction["view"]): NudgeModalMetadata | undefined {
  try {
    const metadata = JSON.parse(view.private_metadata || "") as NudgeModalMetadata;
    return typeof metadata.localDate === "string" ? metadata : undefined;
  } catch {
    return undefined;
  }
}

/** The nudge message again, in place, with what was just done on it. */
async function updateNudge(args: Args, metadata: NudgeModalMetadata, nudge: NudgeView | undefined): Promise<void> {
  if (!nudge || !metadata.channel || !metadata.ts) return;
  await args.client.chat.update({
    channel: metadata.channel,
    ts: metadata.ts,
    ...digestMessage(nudge.message, { buttons: true, actions: nudge.actions }),
  });
}

/** Log touch submitted: the touch, as /touch logs it; a problem keeps the modal open beside its field. */
export function nudgeTouchSubmitted(deps: SlackDeps) {
  return async (args: Args) => {
    const { ack, view, body, context } = args;
    const metadata = metadataOf(view);
    const channel = view.state.values.channel?.value?.selected_option?.value as TouchChannel | undefined;
    if (!metadata?.contactId || !channel || !TOUCH_CHANNELS.includes(channel)) {
      return void (await ack({ response_action: "errors", errors: { channel: "Choose how you were in touch." } }));
    }
    const tenantId = tenantOf(context);
    const logged = await logTouchFromNudge(deps, {
      tenantId,
      contactId: metadata.contactId,
      channel,
      note: field(view.state.values, "note") || null,
      by: body.user.id,
      nudge: nudgeRefOf(metadata) ?? null,
      source: "slack",
      sourceRef: `slack:view:${view.id}`,
    });
    if (!logged.ok) {
      return void (await ack({ response_action: "errors", errors: { note: logged.error.message } }));
    }
    await ack();
    const touch = logged.value.logged;
    await confirmOrKeep(deps, { tenantId, userId: body.user.id }, [savedTouch(touch.touchpoint, touch.contact)], () =>
      updateNudge(args, metadata, logged.value.nudge),
    );
  };
}

/** Add as contact submitted: the contact with the author's X identity and mentions, or what is wrong. */
export function nudgeContactSubmitted(deps: SlackDeps) {
  return async (args: Args) => {
    const { ack, view, body, context } = args;
    const metadata = metadataOf(view);
    if (!metadata?.mentionId) {
      return void (await ack({ response_action: "errors", errors: { name: "That mention is no longer here." } }));
    }
    const values = view.state.values;
    const typedEmail = field(values, "email");
    const email = typedEmail === "" ? null : normalizeEmail(typedEmail);
    if (email && !email.ok) return void (await ack({ response_action: "errors", errors: { email: email.error } }));
    const tenantId = tenantOf(context);
    const added = await addContactFromMention(deps, {
      tenantId,
      mentionId: metadata.mentionId,
      name: field(values, "name"),
      segment: field(values, "segment") || null,
      email: email?.value ?? null,
      by: body.user.id,
      nudge: nudgeRefOf(metadata) ?? null,
    });
    if (!added.ok) {
      const error = added.error;
      const blockId =
        error.kind === "identity_taken" && error.identity.platform === "email"
          ? "email"
          : error.kind === "validation" && error.field === "segment"
            ? "segment"
            : "name";
      return void (await ack({ response_action: "errors", errors: { [blockId]: error.message } }));
    }
    await ack();
    await confirmOrKeep(deps, { tenantId, userId: body.user.id }, [savedContact("added", added.value.contact)], () =>
      updateNudge(args, metadata, added.value.nudge),
    );
  };
}
