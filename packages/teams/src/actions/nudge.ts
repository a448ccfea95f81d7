import {
  actOnMention,
  addContactFromMention,
  HAND_LOGGED_CHANNELS,
  logTouchFromNudge,
  type MentionAct,
  mentionFor,
  type NudgeAction,
  type NudgeRef,
  type NudgeView,
  normalizeEmail,
  savedContact,
  savedOnNudge,
  savedTouch,
  type TouchChannel,
} from "@touchpoint/core";
import type { AdaptiveCard } from "../cards/card.js";
import { DELIVERY_FIELD, digestCard, nudgeButtonOf } from "../cards/digest.js";
import { addContactForm, contactAddedFromNudge, doneOnNudge, logTouchForm, nudgeAlreadyDone } from "../cards/nudge.js";
import { replaceWith } from "../cards/send.js";
import { problem, touchLogged } from "../cards/touch.js";
import type { TeamsDeps } from "../deps.js";
import { teamsSourceRef } from "../handlers/touch.js";
import { recordSaved } from "../saved.js";
import type { Turn } from "../turn.js";
import { NUDGE_ADD_CONTACT_SAVE, NUDGE_LOG_TOUCH_SAVE } from "./action-ids.js";
import type { ActionAnswer, ActionHandler, CardActionValue } from "./value.js";
import { field } from "./value.js";

/**
 * The nudge's buttons in Teams, through the same core use cases as Slack's: each records what was
 * done on the day's nudge, and the nudge card is replaced in place to show who did what. A stale
 * press (someone was first) is told who, beside the card, and changes nothing.
 */

/**
 * Names of the people seen pressing, by Teams user id: a NudgeAction keeps only the id, and the Bot
 * Framework gives a name only with the activity. Someone not seen by this process is "Someone".
 */
const NAMES_KEPT = 1000;
const names = new Map<string, string>();

function remember(turn: Turn): void {
  const name = turn.context.activity.from?.name?.trim();
  if (!name) return;
  names.delete(turn.userId);
  names.set(turn.userId, name);
  if (names.size > NAMES_KEPT) names.delete(names.keys().next().value as string);
}

const nameOf = (userId: string): string | undefined => names.get(userId);

function whoDid(action: NudgeAction, turn: Turn): string {
  if (action.by === turn.userId) return "You";
  return (action.by && names.get(action.by)) || "Someone";
}

/**
 * The nudge card as it now stands, with what was done on it; still carrying its delivery id, so a
 * sender looking for the card it posted finds it however often it was replaced.
 */
export function nudgeCard(view: NudgeView, deliveryId?: string): AdaptiveCard {
  return digestCard(view.message, {
    buttons: true,
    actions: view.actions,
    nameOf,
    ...(deliveryId && { deliveryId }),
  });
}

interface Pressed {
  readonly ref: NudgeRef;
  readonly item: string;
  readonly name?: string;
  /** The pressed card's delivery id (its hidden input), when it had one. */
  readonly deliveryId?: string;
}

/**
 * The nudge a press names, if it is this tenant's: a press carrying another tenant's tenant_id is
 * refused, and nothing is written.
 */
function pressedOn(deps: TeamsDeps, turn: Turn, value: CardActionValue): Pressed | { refused: ActionAnswer } {
  remember(turn);
  const button = nudgeButtonOf(value);
  if (!button) return { refused: { reply: problem("That button no longer works.") } };
  if (button.tenantId !== turn.tenantId) {
    deps.logger.warn(
      { action: value.action, teamsTenantId: turn.teamsTenantId },
      "a Teams nudge press named another tenant; refused",
    );
    return { refused: { reply: problem("That nudge belongs to another organization; nothing was done.") } };
  }
  const { localDate, kind, owner, item, name } = button;
  const deliveryId = field(value, DELIVERY_FIELD);
  return {
    ref: { localDate, kind, owner },
    item,
    ...(name !== undefined && { name }),
    ...(deliveryId !== "" && { deliveryId }),
  };
}

/** The id after `mention:` or `contact:` in an item key, or "". */
function idIn(item: string, kind: "mention" | "contact"): string {
  return item.startsWith(`${kind}:`) ? item.slice(kind.length + 1) : "";
}

/** The nudge as it stands, and what someone already did with the pressed item, if anything. */
async function doneOn(
  deps: TeamsDeps,
  turn: Turn,
  pressed: Pressed,
): Promise<{ readonly view: NudgeView | undefined; readonly done: NudgeAction | undefined }> {
  const view = await deps.storage.withTenant(turn.tenantId, (r) => r.nudges.get(pressed.ref));
  return { view, done: view?.actions[pressed.item] };
}

/** Replaces the nudge card (the message `activityId`) with the nudge as it now stands. */
async function updateNudge(
  turn: Turn,
  activityId: string,
  view: NudgeView | undefined,
  deliveryId: string | undefined,
): Promise<void> {
  if (activityId && view) await replaceWith(turn.context, activityId, nudgeCard(view, deliveryId));
}

/** Someone was first: the nudge refreshed in place (when pressed on it), and who did what beside it. */
function stale(
  turn: Turn,
  done: NudgeAction,
  pressed: Pressed,
  view: NudgeView | undefined,
  onNudge: boolean,
): ActionAnswer {
  const reply = nudgeAlreadyDone(whoDid(done, turn), done);
  return onNudge && view ? { replace: nudgeCard(view, pressed.deliveryId), reply } : { reply };
}

/** What a form opened from the nudge carries to its submission: the nudge, the item, and the nudge's message. */
function formData(action: string, pressed: Pressed, turn: Turn): Record<string, string> & { action: string } {
  return {
    action,
    tenant_id: turn.tenantId,
    local_date: pressed.ref.localDate,
    kind: pressed.ref.kind,
    ...(pressed.ref.owner !== null && { owner: pressed.ref.owner }),
    item: pressed.item,
    nudge_activity: turn.context.activity.replyToId ?? "",
    ...(pressed.deliveryId !== undefined && { [DELIVERY_FIELD]: pressed.deliveryId }),
  };
}

/** Mark replied, Snooze a day or a week, Assign to me: core does it once, and the card shows it. */
function mentionAction(act: MentionAct): ActionHandler {
  return async (deps, turn, value) => {
    const pressed = pressedOn(deps, turn, value);
    if ("refused" in pressed) return pressed.refused;
    const mentionId = idIn(pressed.item, "mention");
    if (!mentionId) return { reply: problem("That button no longer works.") };
    const acted = await actOnMention(deps, {
      tenantId: turn.tenantId,
      mentionId,
      by: turn.userId,
      nudge: pressed.ref,
      act,
      source: "teams",
    });
    if (!acted.ok) return { reply: problem(acted.error.message) };
    const { nudge, done, action } = acted.value;
    if (!done) return stale(turn, action, pressed, nudge, true);
    const saved = savedOnNudge(action);
    recordSaved(turn, saved);
    // Done either way: with the nudge gone (no card to show it on), the reply says what was done.
    return nudge ? { replace: nudgeCard(nudge, pressed.deliveryId) } : { reply: doneOnNudge(saved) };
  };
}

export const nudgeRepliedAction = mentionAction({ kind: "reply" });
export const nudgeSnoozeDayAction = mentionAction({ kind: "snooze", days: 1 });
export const nudgeSnoozeWeekAction = mentionAction({ kind: "snooze", days: 7 });
export const nudgeAssignAction = mentionAction({ kind: "assign" });

/** Log touch on a going-cold contact: the form, beside the nudge (nothing is written yet). */
export const nudgeLogTouchAction: ActionHandler = async (deps, turn, value) => {
  const pressed = pressedOn(deps, turn, value);
  if ("refused" in pressed) return pressed.refused;
  if (!idIn(pressed.item, "contact")) return { reply: problem("That button no longer works.") };
  const { view, done } = await doneOn(deps, turn, pressed);
  if (done) return stale(turn, done, pressed, view, true);
  return { reply: logTouchForm(pressed.name ?? "this contact", formData(NUDGE_LOG_TOUCH_SAVE, pressed, turn)) };
};

/** The Log touch form submitted: the touch, as `touch` logs it, noted on the nudge, which is updated in place. */
export const nudgeLogTouchSaveAction: ActionHandler = async (deps, turn, value) => {
  const pressed = pressedOn(deps, turn, value);
  if ("refused" in pressed) return pressed.refused;
  const contactId = idIn(pressed.item, "contact");
  if (!contactId) return { reply: problem("That form no longer works.") };
  const channel = field(value, "channel");
  if (!HAND_LOGGED_CHANNELS.includes(channel as TouchChannel))
    return { reply: problem("Choose how you were in touch; nothing was saved.") };
  const nudgeActivity = field(value, "nudge_activity");
  const { view, done } = await doneOn(deps, turn, pressed);
  if (done) {
    await updateNudge(turn, nudgeActivity, view, pressed.deliveryId);
    return stale(turn, done, pressed, view, false);
  }
  const logged = await logTouchFromNudge(deps, {
    tenantId: turn.tenantId,
    contactId,
    channel: channel as TouchChannel,
    note: field(value, "note") || null,
    by: turn.userId,
    nudge: pressed.ref,
    source: "teams",
    // The form's message: submitting the same form again logs nothing twice.
    sourceRef: teamsSourceRef(turn, turn.context.activity.replyToId ?? turn.context.activity.id, "nudge"),
  });
  if (!logged.ok) return { reply: problem(`${logged.error.message} Nothing was saved.`) };
  const touch = logged.value.logged;
  recordSaved(turn, savedTouch(touch.touchpoint, touch.contact));
  await updateNudge(turn, nudgeActivity, logged.value.nudge, pressed.deliveryId);
  return { replace: touchLogged(touch, deps.clock.now(), touch.timeZone) };
};

/** Add as contact on a new voice: the form, prefilled from the X author, beside the nudge. */
export const nudgeAddContactAction: ActionHandler = async (deps, turn, value) => {
  const pressed = pressedOn(deps, turn, value);
  if ("refused" in pressed) return pressed.refused;
  const mentionId = idIn(pressed.item, "mention");
  const mention = mentionId ? await mentionFor(deps, { tenantId: turn.tenantId, mentionId }) : undefined;
  if (!mention) return { reply: problem("That mention is no longer here.") };
  const { view, done } = await doneOn(deps, turn, pressed);
  if (done) return stale(turn, done, pressed, view, true);
  if (mention.contactId !== null) {
    return { reply: problem(`@${mention.author.handle} is a contact already; nothing was done twice.`) };
  }
  return { reply: addContactForm(mention, formData(NUDGE_ADD_CONTACT_SAVE, pressed, turn)) };
};

/** The Add as contact form submitted: the contact with the author's X identity and mentions, or what is wrong. */
export const nudgeAddContactSaveAction: ActionHandler = async (deps, turn, value) => {
  const pressed = pressedOn(deps, turn, value);
  if ("refused" in pressed) return pressed.refused;
  const mentionId = idIn(pressed.item, "mention");
  if (!mentionId) return { reply: problem("That form no longer works.") };
  const nudgeActivity = field(value, "nudge_activity");
  const { view, done } = await doneOn(deps, turn, pressed);
  if (done) {
    await updateNudge(turn, nudgeActivity, view, pressed.deliveryId);
    return stale(turn, done, pressed, view, false);
  }
  const typedEmail = field(value, "email");
  const email = typedEmail === "" ? null : normalizeEmail(typedEmail);
  if (email && !email.ok) {
    return { reply: problem(`Email: ${email.error} Nothing was saved; correct it and press Add contact again.`) };
  }
  const added = await addContactFromMention(deps, {
    tenantId: turn.tenantId,
    mentionId,
    name: field(value, "name"),
    segment: field(value, "segment") || null,
    email: email?.value ?? null,
    by: turn.userId,
    nudge: pressed.ref,
  });
  if (!added.ok) {
    return { reply: problem(`${added.error.message} Nothing was saved; correct it and press Add contact again.`) };
  }
  recordSaved(turn, savedContact("added", added.value.contact));
  await updateNudge(turn, nudgeActivity, added.value.nudge, pressed.deliveryId);
  return { replace: contactAddedFromNudge(added.value.contact, added.value.mentions) };
};
