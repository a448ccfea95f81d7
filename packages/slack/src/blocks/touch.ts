import {
  type CommandError,
  type Contact,
  channelArticle,
  channelLabel,
  describeContact,
  describeDay,
  describeUnconfirmed,
  type LoggedTouch,
  normalizeXHandle,
  type SavedWork,
  type Touchpoint,
  type WhoRef,
} from "@touchpoint/core";
import { CHOOSE_CONTACT, CREATE_CONTACT, UNDO_TOUCH } from "../listeners/actions/action-ids.js";
import {
  actions,
  type Block,
  button,
  context,
  escapeMrkdwn,
  LIMITS,
  message,
  quoteNote,
  type SlackMessage,
  section,
  truncate,
} from "./text.js";
import type { ContactDraft } from "./views.js";

function previousLine(previous: Touchpoint | null, contact: Contact, now: Date, timeZone: string): string {
  if (!previous) return `First touch with ${escapeMrkdwn(contact.name)} on record.`;
  return `Previous touch: ${channelLabel(previous.channel)} ${describeDay(previous.occurredAt, now, timeZone).replace(/^(\d)/, "on $1")}${quoteNote(previous.note, 200)}`;
}

/** "Logged a call with Jane Doe", privately, with the previous touch and an Undo button. */
export function touchLogged(logged: LoggedTouch, now: Date, timeZone: string): SlackMessage {
  const { touchpoint, contact, previous, created } = logged;
  const label = channelLabel(touchpoint.channel);
  const when = describeDay(touchpoint.occurredAt, now, timeZone);
  const article = channelArticle(touchpoint.channel);
  const headline = `Logged ${article} *${label}* with *${escapeMrkdwn(contact.name)}*${contact.segment ? ` · ${escapeMrkdwn(contact.segment)}` : ""} — ${when}${quoteNote(touchpoint.note)}`;
  return message(`Logged ${article} ${label} with ${contact.name}`, [
    section(`:white_check_mark: ${headline}`),
    context(
      created
        ? previousLine(previous, contact, now, timeZone)
        : `Already logged from this command; nothing new was written. ${previousLine(previous, contact, now, timeZone)}`,
    ),
    actions([button(UNDO_TOUCH, "Undo", touchpoint.id)]),
  ]);
}

export function touchUndone(
  contact: Contact | undefined,
  touchpoint: Touchpoint,
  alreadyUndone: boolean,
): SlackMessage {
  const name = contact ? escapeMrkdwn(contact.name) : "that contact";
  const text = alreadyUndone
    ? `That ${channelLabel(touchpoint.channel)} with ${name} was already undone.`
    : `Undone: the ${channelLabel(touchpoint.channel)} with ${name} is no longer on record.`;
  return message(text, [section(`:leftwards_arrow_with_hook: ${text}`)]);
}

/** What was wrong with the command, and a way to write it that works. */
export function commandProblem(error: Pick<CommandError, "message" | "usage">): SlackMessage {
  return message(error.message, [
    section(`:warning: ${escapeMrkdwn(error.message)}`),
    context(`Usage: ${escapeMrkdwn(error.usage)}`),
  ]);
}

export function problem(text: string): SlackMessage {
  return message(text, [section(`:warning: ${escapeMrkdwn(text)}`)]);
}

/** What the Create contact button carries: the pending touch, and the typed who to prefill. */
export interface CreateContactValue {
  readonly pendingId: string;
  readonly draft: ContactDraft;
}

function draftFrom(who: WhoRef): ContactDraft {
  switch (who.kind) {
    case "name":
      return { name: truncate(who.name, 200) };
    case "handle":
      // Only an X handle fits the form's X field; a Bluesky or Mastodon handle is left to type.
      return normalizeXHandle(who.handle).ok ? { xHandle: who.handle } : {};
    case "email":
      return { email: who.email };
    default:
      return {};
  }
}

export function unknownContact(who: string, pendingId: string, whoRef: WhoRef): SlackMessage {
  const value: CreateContactValue = { pendingId, draft: draftFrom(whoRef) };
  return message(`No contact matches ${who}.`, [
    section(`No contact matches *${escapeMrkdwn(truncate(who, 200))}*. Create one and log this touch with it?`),
    actions([button(CREATE_CONTACT, "Create contact", JSON.stringify(value), "primary")]),
  ]);
}

/** Several contacts fit: a button each (as many as fit), the rest counted. */
export function chooseContact(who: string, candidates: readonly Contact[], pendingId: string): SlackMessage {
  const shown = candidates.slice(0, LIMITS.actionsPerBlock);
  const rest = candidates.length - shown.length;
  const question =
    candidates.length === 1
      ? `No contact is exactly *${escapeMrkdwn(truncate(who, 200))}*. Did you mean this one?`
      : `${candidates.length} contacts match *${escapeMrkdwn(truncate(who, 200))}*. Which one?`;
  return message(`Which contact did you mean by ${who}?`, [
    section(question),
    actions(
      shown.map((contact, i) =>
        button(`${CHOOSE_CONTACT}_${i}`, describeContact(contact), `${pendingId}|${contact.id}`),
      ),
    ),
    ...(rest > 0
      ? [context(`and ${rest} more; type more of the name, or an @handle or email, to narrow it down.`)]
      : []),
  ]);
}

export function alreadyHandled(): SlackMessage {
  return message("Someone already handled this.", [
    section(":information_source: Someone already handled this; nothing was done twice."),
  ]);
}

/** The block_ids of a notice's Undo buttons start so: an Undo there answers beside the message, which keeps the rest. */
export const UNCONFIRMED_SAVES_BLOCK = "unconfirmed_saves";

/**
 * Saves whose confirmation never reached the person (Slack refused it, or something failed after
 * the save): said as saved, so nothing is sent twice, with an Undo for each touch. Blocks that
 * lead another message (the next answer), or a message of their own.
 */
export function unconfirmedSavesBlocks(saved: readonly SavedWork[]): Block[] {
  if (saved.length === 0) return [];
  const { lead, lines } = describeUnconfirmed(saved);
  const touches = saved.filter((s): s is SavedWork & { touchpointId: string } => Boolean(s.touchpointId));
  const list = lines.map((line) => `• ${escapeMrkdwn(truncate(line, 300))}`).join("\n");
  return [
    section(`:information_source: ${escapeMrkdwn(truncate(lead, 500))}${list ? `\n${list}` : ""}`),
    // A block each (ids unique within a message), so every Undo is the one action id Touchpoint routes.
    ...touches
      .slice(-5)
      .map((s, i) =>
        actions(
          [button(UNDO_TOUCH, touches.length === 1 ? "Undo" : `Undo: ${s.said}`, s.touchpointId)],
          `${UNCONFIRMED_SAVES_BLOCK}_${i}`,
        ),
      ),
  ];
}

/** The notice of saves as a message of its own. */
export function unconfirmedSaves(saved: readonly SavedWork[]): SlackMessage {
  return message(describeUnconfirmed(saved).lead, unconfirmedSavesBlocks(saved));
}

/** An answer led by the notice of earlier saves, when there are any. */
export function ledBy(saved: readonly SavedWork[], reply: SlackMessage): SlackMessage {
  if (saved.length === 0) return reply;
  return message(reply.text, [...unconfirmedSavesBlocks(saved), { type: "divider" }, ...reply.blocks]);
}
