import {
  type Contact,
  type ContactLookupError,
  channelLabel,
  describeContact,
  describeDay,
  formatIdentity,
  type RelationshipDetail,
  type RelationshipSummary,
  USAGE,
} from "@touchpoint/core";
import {
  type AdaptiveCard,
  type CardElement,
  card,
  container,
  heading,
  literalFacts,
  oneLine,
  richText,
  run,
  subtle,
  text,
  truncate,
} from "./card.js";
import { commandProblem, withoutSlash } from "./touch.js";

/** A person's name for a platform user id (a contact's owner); undefined when not known. */
export type NameOf = (userId: string) => string | undefined;

const STATUS: Readonly<Record<RelationshipSummary["status"], string>> = {
  never: "🆕 never touched",
  healthy: "🟢 in touch",
  due: "🟡 due soon",
  overdue: "🔴 going cold",
};

const NAME_MAX = 200;
const FOUND_MAX = 25;

/** An owner as Teams shows them: the colleague's name when known, else the owner as stored. */
function ownerName(contact: Pick<Contact, "owner">, nameOf: NameOf): string | null {
  return contact.owner ? (nameOf(contact.owner) ?? contact.owner) : null;
}

/** What is known about a contact, one fact each; the same facts as Slack's line, in the same order. */
function contactFacts(contact: Contact, nameOf: NameOf): readonly (readonly [string, string | null])[] {
  const x = contact.identities.filter((i) => i.platform !== "email").map(formatIdentity);
  const email = contact.identities.filter((i) => i.platform === "email").map(formatIdentity);
  return [
    ["Segment", contact.segment],
    ["Handle", x.join(", ") || null],
    ["Email", email.join(", ") || null],
    ["Owner", ownerName(contact, nameOf)],
    ["Tags", contact.tags.map((t) => `#${t}`).join(" ") || null],
    ["Cadence", contact.cadenceDays === null ? null : `${contact.cadenceDays} days`],
  ];
}

/** One line for a contact in a list: its name (never read as markdown) and what is known. */
function contactLine(contact: Contact, nameOf: NameOf): CardElement {
  const details = contactFacts(contact, nameOf)
    .filter(([title, value]) => value && title !== "Cadence")
    .map(([title, value]) => (title === "Owner" ? `owner ${value}` : value));
  return richText(
    [
      run(truncate(oneLine(contact.name), NAME_MAX), { weight: "Bolder" }),
      run(details.length > 0 ? truncate(` · ${oneLine(details.join(" · "))}`, 500) : ""),
    ],
    { spacing: "Small" },
  );
}

/** `contact show`: who they are, how the relationship is doing, the last few touches. */
export function contactCard(detail: RelationshipDetail, now: Date, nameOf: NameOf = () => undefined): AdaptiveCard {
  const { summary, recentTouches, timeZone } = detail;
  const { contact } = summary;
  const health =
    summary.daysSince === null
      ? `${STATUS[summary.status]} · cadence ${summary.cadenceDays} days`
      : `${STATUS[summary.status]} · ${summary.daysSince} days since the last touch · cadence ${summary.cadenceDays} days`;
  const recent = summary.recent
    ? `Last 90 days: ${summary.recent.total} touches · ${summary.recent.inbound} inbound · ${summary.recent.outbound} outbound`
    : null;
  const touches = recentTouches.map((t) =>
    richText(
      [
        run(`${describeDay(t.occurredAt, now, timeZone)} · ${channelLabel(t.channel)} · ${t.direction}`),
        run(t.note ? ` “${truncate(oneLine(t.note), 200)}”` : "", { italic: true }),
      ],
      { spacing: "Small" },
    ),
  );
  const known = literalFacts(contactFacts(contact, nameOf).filter(([title]) => title !== "Cadence"));
  return card(`${contact.name}: ${summary.status}`, [
    richText([run(truncate(oneLine(contact.name), NAME_MAX), { weight: "Bolder", size: "Medium" })]),
    ...(known ? [known] : []),
    text(health, { spacing: "Medium" }),
    ...(recent ? [subtle(recent)] : []),
    ...(touches.length > 0
      ? [container([text("Last touches", { weight: "Bolder" }), ...touches], { separator: true })]
      : [subtle("No touches logged yet.")]),
    ...(contact.notes
      ? [richText([run(`Notes: ${truncate(oneLine(contact.notes), 1000)}`, { isSubtle: true })], { separator: true })]
      : []),
  ]);
}

/** `contact add`, `tag`, `owner`, `cadence`: what was saved. */
export function contactSaved(
  verb: "Added" | "Updated",
  contact: Contact,
  nameOf: NameOf = () => undefined,
): AdaptiveCard {
  const headline = `${verb} ${contact.name}`;
  const known = literalFacts(contactFacts(contact, nameOf));
  return card(headline, [
    heading(`✅ ${verb}`),
    richText([run(truncate(oneLine(contact.name), NAME_MAX), { weight: "Bolder" })]),
    ...(known ? [known] : []),
  ]);
}

/** `contact find`: who matches, the best first. */
export function contactsFound(
  query: string,
  contacts: readonly Contact[],
  nameOf: NameOf = () => undefined,
): AdaptiveCard {
  const shown = truncate(oneLine(query), NAME_MAX);
  if (contacts.length === 0) {
    return card(`No contacts match ${query}.`, [
      richText([run("No contacts match "), run(shown, { weight: "Bolder" }), run(".")]),
    ]);
  }
  const listed = contacts.slice(0, FOUND_MAX);
  const rest = contacts.length - listed.length;
  return card(`${contacts.length} contacts match ${query}`, [
    richText([
      run(contacts.length === 1 ? "1 contact matches " : `${contacts.length} contacts match `),
      run(shown, { weight: "Bolder" }),
      run(":"),
    ]),
    ...listed.map((c) => contactLine(c, nameOf)),
    ...(rest > 0 ? [subtle(`and ${rest} more; search with more words to narrow it down.`)] : []),
  ]);
}

/** Nobody, or several, match who the command named: said with a way to write it that works. */
export function lookupProblem(error: ContactLookupError, usage: string): AdaptiveCard {
  if (error.kind === "unknown_contact") {
    return commandProblem({ message: `${error.message} Add them with contact add.`, usage: USAGE.contactAdd });
  }
  const names = error.candidates.slice(0, 10).map(describeContact).join("; ");
  const more = error.candidates.length > 10 ? "; …" : "";
  return commandProblem({ message: `${error.message} ${names}${more}. Use their @handle or email.`, usage });
}

/** `nudges` written in a channel or group chat: the nudge is for one person, so it is shown only in a personal chat. */
export function nudgesInPersonalChat(): AdaptiveCard {
  const line = "Today's nudge is shown privately, so I show it only in our personal chat: write nudges to me there.";
  return card(line, [text(`ℹ️ ${line}`), subtle(`Usage: ${withoutSlash(USAGE.nudges)}`)]);
}
