import {
  type Contact,
  channelLabel,
  HAND_LOGGED_CHANNELS,
  type Mention,
  type NudgeAction,
  type SavedWork,
} from "@touchpoint/core";
import {
  type AdaptiveCard,
  type CardElement,
  card,
  choiceSet,
  linkRun,
  oneLine,
  richText,
  run,
  type SubmitAction,
  submit,
  textInput,
  truncate,
} from "./card.js";
import { contactNameInput } from "./touch.js";

const NAME_MAX = 100;
const plain = (value: string, max = NAME_MAX) => truncate(oneLine(value), max);

/** What a second press on an item is told: who did what first. */
const ALREADY: Record<NudgeAction["kind"], string> = {
  replied: "already marked it replied",
  snoozed: "already snoozed it",
  assigned: "already has it",
  touched: "already logged a touch",
  added: "already added them as a contact",
};

/** Log touch on a going-cold contact: how they were in touch, and a note (Slack's modal, as a card). */
export function logTouchForm(contactName: string, data: SubmitAction["data"]): AdaptiveCard {
  const name = plain(contactName);
  return card(
    `Log a touch with ${name}`,
    [
      richText([run("Log a touch with ", { weight: "Bolder" }), run(name, { weight: "Bolder" })]),
      choiceSet({
        id: "channel",
        label: "How",
        style: "compact",
        value: "call",
        isRequired: true,
        errorMessage: "Choose how you were in touch",
        choices: HAND_LOGGED_CHANNELS.map((channel) => ({ title: channelLabel(channel), value: channel })),
      }),
      textInput({ id: "note", label: "Note", placeholder: "What you talked about", maxLength: 2000 }),
    ],
    [submit("Log touch", data, "positive")],
  );
}

/** Add as contact on a new voice: prefilled from the X author, whose handle and id come along. */
export function addContactForm(mention: Mention, data: SubmitAction["data"]): AdaptiveCard {
  const { author } = mention;
  const handle = plain(author.handle);
  return card(
    `Add @${handle} as a contact`,
    [
      richText([
        linkRun(`@${handle}`, `https://x.com/${encodeURIComponent(author.handle)}`),
        run(" on X, with their mentions so far."),
      ]),
      contactNameInput(author.name?.trim() || author.handle),
      textInput({ id: "segment", label: "Segment", placeholder: "major donor, board, influencer…" }),
      textInput({ id: "email", label: "Email", placeholder: "jane@example.org" }),
    ],
    [submit("Add contact", data, "positive")],
  );
}

/** A stale press: someone was there first, and nothing was done twice. */
export function nudgeAlreadyDone(who: string, done: NudgeAction): AdaptiveCard {
  const line = `${plain(who)} ${ALREADY[done.kind]}; nothing was done twice.`;
  return card(line, [richText([run(`ℹ️ ${line}`)])]);
}

/** A press done where there is no nudge card to show it on: what was done, said beside it. */
export function doneOnNudge(saved: SavedWork): AdaptiveCard {
  const line = `${plain(saved.said, 300)}.`;
  return card(line, [richText([run(`✅ ${line}`)])]);
}

/** Add as contact done: the contact, and how many of their mentions came with them. */
export function contactAddedFromNudge(contact: Contact, mentions: number): AdaptiveCard {
  const name = plain(contact.name);
  const count = mentions === 1 ? "their mention" : `their ${mentions} mentions`;
  const body: CardElement[] = [
    richText([run("✅ Added ", { weight: "Bolder" }), run(name, { weight: "Bolder" }), run(" as a contact")]),
    richText([run(`With ${count} on X.`, { isSubtle: true })], { spacing: "Small" }),
  ];
  return card(`Added ${name} as a contact`, body);
}
