import {
  type CommandError,
  type Contact,
  channelArticle,
  channelLabel,
  describeContact,
  describeDay,
  describeUnconfirmed,
  type LoggedTouch,
  MAX_NAME_LENGTH,
  normalizeXHandle,
  type SavedWork,
  type Touchpoint,
  type WhoRef,
} from "@touchpoint/core";
import { CHOOSE_CONTACT, CREATE_CONTACT, UNDO_TOUCH } from "../actions/action-ids.js";
import {
  type AdaptiveCard,
  card,
  LIMITS,
  literal,
  literalFacts,
  literalHeading,
  literalSubtle,
  oneLine,
  quoteNote,
  submit,
  subtle,
  type TextInput,
  text,
  textInput,
  truncate,
} from "./card.js";

/** Teams drops the slash: the core's usage lines say "/touch …", people in Teams type "touch …". */
export function withoutSlash(line: string): string {
  return line.replace(/(^|[\s(“"'])\/(touch|contact|nudges|touchpoint)\b/g, "$1$2");
}

function previousLine(previous: Touchpoint | null, contact: Contact, now: Date, timeZone: string): string {
  if (!previous) return `First touch with ${oneLine(contact.name)} on record.`;
  const day = describeDay(previous.occurredAt, now, timeZone).replace(/^(\d)/, "on $1");
  return `Previous touch: ${channelLabel(previous.channel)} ${day}${quoteNote(previous.note, 200)}`;
}

/**
 * "Logged a call with Jane Doe": the same content as Slack's confirmation, with Undo. Names and
 * notes are shown as typed (TextRuns), never read as markdown.
 */
export function touchLogged(logged: LoggedTouch, now: Date, timeZone: string): AdaptiveCard {
  const { touchpoint, contact, previous, created } = logged;
  const label = channelLabel(touchpoint.channel);
  const headline = `Logged ${channelArticle(touchpoint.channel)} ${label} with ${contact.name}`;
  const before = previousLine(previous, contact, now, timeZone);
  const details = literalFacts([
    ["Contact", oneLine(describeContact(contact))],
    ["Channel", label],
    ["When", describeDay(touchpoint.occurredAt, now, timeZone)],
    ["Note", touchpoint.note && truncate(oneLine(touchpoint.note), 300)],
  ]);
  return card(
    headline,
    [
      literalHeading(`✅ ${oneLine(headline)}`),
      ...(details ? [details] : []),
      literalSubtle(created ? before : `Already logged from this message; nothing new was written. ${before}`),
    ],
    [submit("Undo", { action: UNDO_TOUCH, touchpointId: touchpoint.id })],
  );
}

export function touchUndone(
  contact: Contact | undefined,
  touchpoint: Touchpoint,
  alreadyUndone: boolean,
): AdaptiveCard {
  const name = contact ? oneLine(contact.name) : "that contact";
  const line = alreadyUndone
    ? `That ${channelLabel(touchpoint.channel)} with ${name} was already undone.`
    : `Undone: the ${channelLabel(touchpoint.channel)} with ${name} is no longer on record.`;
  return card(line, [literal(`↩️ ${line}`)]);
}

/** What was wrong with the message (which may repeat what was typed), and a way to write it that works. */
export function commandProblem(error: Pick<CommandError, "message" | "usage">): AdaptiveCard {
  const message = withoutSlash(error.message);
  return card(message, [
    literal(`⚠️ ${message}`, { color: "Attention" }),
    subtle(`Usage: ${withoutSlash(error.usage)}`),
  ]);
}

/** Something went wrong or was refused; the message may name a contact or repeat what was typed. */
export function problem(message: string): AdaptiveCard {
  return card(message, [literal(`⚠️ ${message}`, { color: "Attention" })]);
}

/** The typed who, as far as it fills the Create contact form. */
function draftFrom(who: WhoRef): { name?: string; xHandle?: string; email?: string } {
  switch (who.kind) {
    case "name":
      return { name: truncate(who.name, 200) };
    case "handle":
      // Only an X handle fits the form's X field; a Bluesky or Mastodon handle is left to type.
      return normalizeXHandle(who.handle).ok ? { xHandle: `@${who.handle}` } : {};
    case "email":
      return { email: who.email };
    default:
      return {};
  }
}

/** A new contact's name, required (and prefilled when there is a guess): the create-contact forms share it. */
export function contactNameInput(value?: string): TextInput {
  return textInput({
    id: "name",
    label: "Name",
    placeholder: "Jane Doe",
    isRequired: true,
    errorMessage: "A name, please",
    maxLength: MAX_NAME_LENGTH,
    ...(value && { value: truncate(value, MAX_NAME_LENGTH) }),
  });
}

/** Nobody matches: a prefilled form that creates the contact and logs the waiting touch with it. */
export function unknownContact(who: WhoRef, pendingId: string): AdaptiveCard {
  const draft = draftFrom(who);
  const shown = truncate(oneLine(who.raw), 200);
  return card(
    `No contact matches ${who.raw}.`,
    [
      literal(`No contact matches ${shown}. Create one and log this touch with it?`),
      contactNameInput(draft.name),
      textInput({
        id: "x_handle",
        label: "X handle",
        placeholder: "@janedoe",
        ...(draft.xHandle && { value: draft.xHandle }),
      }),
      textInput({
        id: "email",
        label: "Email",
        placeholder: "jane@example.org",
        ...(draft.email && { value: draft.email }),
      }),
      textInput({ id: "segment", label: "Segment", placeholder: "major donor, board, influencer…" }),
    ],
    [submit("Create and log", { action: CREATE_CONTACT, pendingId }, "positive")],
  );
}

/** Several contacts fit: a button each (as many as fit), the rest counted. */
export function chooseContact(who: string, candidates: readonly Contact[], pendingId: string): AdaptiveCard {
  const shown = candidates.slice(0, LIMITS.actions);
  const rest = candidates.length - shown.length;
  const typed = truncate(oneLine(who), 200);
  const question =
    candidates.length === 1
      ? `No contact is exactly ${typed}. Did you mean this one?`
      : `${candidates.length} contacts match ${typed}. Which one?`;
  return card(
    `Which contact did you mean by ${who}?`,
    [
      literal(question),
      ...(rest > 0
        ? [subtle(`and ${rest} more; type more of the name, or an @handle or email, to narrow it down.`)]
        : []),
    ],
    shown.map((contact) =>
      submit(describeContact(contact), { action: CHOOSE_CONTACT, pendingId, contactId: contact.id }),
    ),
  );
}

export function alreadyHandled(): AdaptiveCard {
  return card("Someone already handled this.", [text("ℹ️ Someone already handled this; nothing was done twice.")]);
}

/** A save as a notice says it: long enough for any name, short enough that a list of them fits a message. */
const SAVED_MAX = 400;

/** On an Undo button: answer beside the card instead of in its place. */
export const UNDO_BESIDE = "beside";

/**
 * Saves whose confirmation never reached the person (the connector refused it, or something
 * failed after the save): said as saved, so nothing is sent twice, with an Undo for each touch.
 * The Undo answers beside this card, which stays with the other Undos.
 */
export function unconfirmedSaves(saved: readonly SavedWork[]): AdaptiveCard {
  const { lead, lines } = describeUnconfirmed(saved);
  const shown = (line: string) => truncate(oneLine(line), SAVED_MAX);
  const touches = saved.filter((s): s is SavedWork & { touchpointId: string } => Boolean(s.touchpointId));
  return card(
    shown(lead),
    [
      literal(`ℹ️ ${shown(lead)}`, { weight: "Bolder" }),
      ...lines.map((line) => literal(`• ${shown(line)}`, { spacing: "None" })),
    ],
    touches.slice(-LIMITS.actions).map((s) =>
      submit(touches.length === 1 ? "Undo" : `Undo: ${oneLine(s.said)}`, {
        action: UNDO_TOUCH,
        touchpointId: s.touchpointId,
        [UNDO_BESIDE]: "true",
      }),
    ),
  );
}
