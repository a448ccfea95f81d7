import {
  type Contact,
  channelLabel,
  describeDay,
  formatIdentity,
  helpText,
  type RelationshipDetail,
  type RelationshipSummary,
} from "@touchpoint/core";
import { context, escapeMrkdwn, message, quoteNote, type SlackMessage, section, userMention } from "./text.js";

const STATUS: Readonly<Record<RelationshipSummary["status"], string>> = {
  never: ":new: never touched",
  healthy: ":large_green_circle: in touch",
  due: ":large_yellow_circle: due soon",
  overdue: ":red_circle: going cold",
};

/** A contact's owner as Slack shows them: a mention for a Slack user id, else the name as imported. */
export function owner(contact: Pick<Contact, "owner">): string | null {
  return contact.owner ? userMention(contact.owner) : null;
}

function facts(contact: Contact): string {
  return [
    contact.segment && escapeMrkdwn(contact.segment),
    ...contact.identities.map((i) => escapeMrkdwn(formatIdentity(i))),
    owner(contact) && `owner ${owner(contact)}`,
    contact.tags.length > 0 && contact.tags.map((t) => `#${escapeMrkdwn(t)}`).join(" "),
  ]
    .filter(Boolean)
    .join(" · ");
}

/** `/contact show`: who they are, how the relationship is doing, the last few touches. */
export function contactCard(detail: RelationshipDetail, now: Date): SlackMessage {
  const { summary, recentTouches, timeZone } = detail;
  const { contact } = summary;
  const health =
    summary.daysSince === null
      ? `${STATUS[summary.status]} · cadence ${summary.cadenceDays} days`
      : `${STATUS[summary.status]} · ${summary.daysSince} days since the last touch · cadence ${summary.cadenceDays} days`;
  const recent = summary.recent
    ? `Last 90 days: ${summary.recent.total} touches · ${summary.recent.inbound} inbound · ${summary.recent.outbound} outbound`
    : "";
  const touches = recentTouches.map(
    (t) =>
      `• ${describeDay(t.occurredAt, now, timeZone)} · ${channelLabel(t.channel)} · ${t.direction}${quoteNote(t.note, 200)}`,
  );
  return message(`${contact.name}: ${summary.status}`, [
    section(`*${escapeMrkdwn(contact.name)}*${facts(contact) ? `\n${facts(contact)}` : ""}`),
    section(`${health}${recent ? `\n${recent}` : ""}`),
    ...(touches.length > 0 ? [section(touches.join("\n"))] : [context("No touches logged yet.")]),
    ...(contact.notes ? [context(`Notes: ${escapeMrkdwn(contact.notes)}`)] : []),
  ]);
}

export function contactSaved(verb: "Added" | "Updated", contact: Contact): SlackMessage {
  return message(`${verb} ${contact.name}`, [
    section(
      `:white_check_mark: ${verb} *${escapeMrkdwn(contact.name)}*${facts(contact) ? ` · ${facts(contact)}` : ""}`,
    ),
  ]);
}

export function contactsFound(query: string, contacts: readonly Contact[]): SlackMessage {
  if (contacts.length === 0) {
    return message(`No contacts match ${query}.`, [section(`No contacts match *${escapeMrkdwn(query)}*.`)]);
  }
  const lines = contacts.map((c) => `• *${escapeMrkdwn(c.name)}*${facts(c) ? ` · ${facts(c)}` : ""}`);
  return message(`${contacts.length} contacts match ${query}`, [
    section(
      `${contacts.length === 1 ? "1 contact matches" : `${contacts.length} contacts match`} *${escapeMrkdwn(query)}*:`,
    ),
    section(lines.join("\n")),
  ]);
}

/** `/nudges` until the daily nudge exists: who is going cold or due, most urgent first. */
export function help(): SlackMessage {
  return message("How to use Touchpoint", [section(escapeMrkdwn(helpText()))]);
}
