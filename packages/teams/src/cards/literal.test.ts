/**
 * What people typed (contact names, segments, tags, notes, owners' and admins' names, handles, the
 * words of a command) is shown as typed in every Teams card: never in a TextBlock or a fact, which
 * Teams reads as markdown, but in TextRuns, which it doesn't.
 */
import {
  AmbiguousContact,
  type LoggedTouch,
  type Member,
  type Mention,
  type RelationshipDetail,
  type SettingsView,
  savedContact,
  savedTouch,
} from "@touchpoint/core";
import { describe, expect, it } from "vitest";
import { literalTexts, markdownTexts } from "../testing/card-text.js";
import { contact, NOW, touch } from "../testing/fixtures.js";
import type { AdaptiveCard } from "./card.js";
import { connectXAdminsOnly, connectXForm, xConnected } from "./connect-x.js";
import { contactCard, contactSaved, contactsFound, lookupProblem } from "./contact.js";
import { addContactForm, contactAddedFromNudge, doneOnNudge, logTouchForm, nudgeAlreadyDone } from "./nudge.js";
import { settingsAdminsOnly, settingsSaved } from "./settings.js";
import {
  chooseContact,
  commandProblem,
  problem,
  touchLogged,
  touchUndone,
  unconfirmedSaves,
  unknownContact,
} from "./touch.js";

const NAME = "*Jane* [x](http://evil)";
const NOTE = "# heading\n- list\n**bold** _x_";
/** The note on one line, as confirmations and lists show it. */
const NOTE_SHOWN = "# heading - list **bold** _x_";
const SEGMENT = "**major** donor";
const OWNER = "_Sam_ **Staff**";
/** What would turn into formatting, a list, a heading or a link if Teams read it as markdown. */
const MARKS = ["*Jane*", "[x](http://evil)", "# heading", "- list", "**bold**", "_x_", "**major**", "_Sam_", "_gala_"];

const jane = contact(NAME, {
  segment: SEGMENT,
  owner: "aad-sam",
  tags: ["_gala_"],
  notes: NOTE,
  identities: [{ platform: "x", handle: "jane_doe_", externalUserId: null }],
});
const nameOf = (userId: string) => (userId === "aad-sam" ? OWNER : undefined);
const logged = (overrides: Partial<LoggedTouch> = {}): LoggedTouch => ({
  touchpoint: touch({ note: NOTE }),
  contact: jane,
  previous: touch({ id: "tp-0", channel: "email", note: NOTE, occurredAt: new Date("2026-03-01T12:00:00Z") }),
  created: true,
  timeZone: "UTC",
  ...overrides,
});

function expectShownAsTyped(card: AdaptiveCard, typed: readonly string[]): void {
  const markdown = markdownTexts(card);
  for (const mark of MARKS) expect(markdown.filter((text) => text.includes(mark))).toEqual([]);
  const shown = literalTexts(card).join("\n");
  for (const words of typed) expect(shown).toContain(words);
}

const mention: Mention = {
  tenantId: "t",
  id: "m-1",
  platform: "x",
  postId: "1800000000000000001",
  author: {
    externalUserId: "555",
    handle: "new_friend_",
    name: NAME,
    followers: 5,
    following: 3,
    postCount: 40,
    defaultAvatar: false,
    createdAt: NOW,
    verified: false,
  },
  contactId: null,
  text: "how do I volunteer?",
  url: "https://x.com/new_friend_/status/1800000000000000001",
  postedAt: NOW,
  kind: "mention",
  conversationId: null,
  status: "needs_reply",
  snoozedUntil: null,
  assignee: null,
  repliedAt: null,
};
const admins: Member[] = [{ tenantId: "t", platformUserId: "aad-sam", role: "admin", displayName: OWNER }];
const form = { action: "nudge_log_touch_save", tenant_id: "t", local_date: "2026-03-10", item: "contact:c1" };

const settings: SettingsView = {
  tenant: {
    id: "t",
    platform: "teams",
    externalId: "entra-t",
    enterpriseId: null,
    name: "Riverside",
    timeZone: "UTC",
    nudgeTime: "09:00",
    nudgeChannel: null,
    settings: { cadenceBySegment: { [SEGMENT]: 14 }, whenNothingToSay: "skip", ownerDms: false },
    createdAt: NOW,
  },
  admins,
  canEdit: true,
};

describe("Teams cards show what people typed as typed", () => {
  it.each<[string, () => AdaptiveCard, string[]]>([
    [
      "the settings as saved: a segment's cadence and the admins' names",
      () => settingsSaved(settings, null),
      [`Days between touches: ${SEGMENT}: `, OWNER],
    ],
    ["settings for admins only: who to ask", () => settingsAdminsOnly(admins), [`Ask an admin: ${OWNER}.`]],
    [
      "a touch confirmation: the name, segment, handle, note and the previous touch's note",
      () => touchLogged(logged(), NOW, "UTC"),
      [`Logged a call with ${NAME}`, `${NAME} · ${SEGMENT} · @jane_doe_`, NOTE_SHOWN, `“${NOTE_SHOWN}”`],
    ],
    [
      "a redelivered touch's confirmation, the first with the contact",
      () => touchLogged(logged({ created: false, previous: null }), NOW, "UTC"),
      [`First touch with ${NAME} on record.`],
    ],
    ["a touch undone", () => touchUndone(jane, touch(), false), [`the call with ${NAME} is no longer on record`]],
    ["a touch undone before", () => touchUndone(jane, touch(), true), [`That call with ${NAME} was already undone.`]],
    [
      "which contact (choose-contact)",
      () => chooseContact(`"${NAME}"`, [jane, contact(`${NAME} 2`)], "pending-1"),
      [`2 contacts match "${NAME}". Which one?`],
    ],
    ["one near match", () => chooseContact(NAME, [jane], "pending-1"), [`No contact is exactly ${NAME}.`]],
    [
      "no contact matches (create-contact)",
      () => unknownContact({ kind: "name", name: NAME, raw: `"${NAME}"` }, "pending-1"),
      [`No contact matches "${NAME}".`],
    ],
    [
      "a command problem repeating what was typed",
      () => commandProblem({ message: `${NOTE_SHOWN} is not a command.`, usage: "/touch <who> [note]" }),
      [`${NOTE_SHOWN} is not a command.`],
    ],
    ["a problem naming a contact", () => problem(`${NAME} was archived. Nothing was saved.`), [NAME]],
    [
      "a contact card: name, segment, owner, tags, handle, notes and touches' notes",
      () => contactCard(relationship(), NOW, nameOf),
      [NAME, SEGMENT, OWNER, "#_gala_", "@jane_doe_", `Notes: ${NOTE_SHOWN}`, `“${NOTE_SHOWN}”`],
    ],
    ["a contact added", () => contactSaved("Added", jane, nameOf), [NAME, SEGMENT, OWNER, "#_gala_"]],
    ["a contact updated", () => contactSaved("Updated", jane, nameOf), [NAME, SEGMENT, OWNER]],
    ["contacts found", () => contactsFound(NAME, [jane], nameOf), [NAME, SEGMENT, `owner ${OWNER}`]],
    ["nobody found", () => contactsFound(NAME, []), [NAME]],
    [
      "several match the contact named",
      () => lookupProblem(new AmbiguousContact(`"${NAME}"`, [jane, contact(NAME)]), "/contact show <who>"),
      [`${NAME} · ${SEGMENT} · @jane_doe_`],
    ],
    [
      "a save whose confirmation didn't arrive",
      () => unconfirmedSaves([savedTouch(touch(), jane)]),
      [`Your call with ${NAME} was saved, but the confirmation didn't reach you`],
    ],
    [
      "saves whose confirmations didn't arrive",
      () => unconfirmedSaves([savedTouch(touch(), jane), savedContact("added", jane)]),
      [`Your call with ${NAME} was saved.`, `${NAME} was added as a contact.`],
    ],
    ["the nudge's Log touch form", () => logTouchForm(NAME, form), [NAME]],
    ["the nudge's Add as contact form", () => addContactForm(mention, form), ["@new_friend_"]],
    ["a stale press on the nudge", () => nudgeAlreadyDone(OWNER, { kind: "touched", by: "x", at: "" }), [OWNER]],
    ["a contact added from the nudge", () => contactAddedFromNudge(jane, 2), [NAME]],
    ["a press done with no nudge to show it", () => doneOnNudge({ said: `Your touch with ${NAME} was saved` }), [NAME]],
    ["connect-x for a member", () => connectXAdminsOnly(admins), [`Ask an admin: ${OWNER}.`]],
    [
      "the connect-x form, an account connected",
      () =>
        connectXForm(
          {
            tenantId: "t",
            id: "sa",
            platform: "x",
            handle: "river_side_",
            externalUserId: "1",
            status: "active",
            createdAt: NOW,
          },
          "t",
          { problem: `X says @_x_ is not an account.` },
        ),
      ["@river_side_", "X says @_x_ is not an account."],
    ],
    [
      "X connected",
      () =>
        xConnected(
          {
            tenantId: "t",
            id: "sa",
            platform: "x",
            handle: "river_side_",
            externalUserId: "1",
            status: "active",
            createdAt: NOW,
          },
          OWNER,
        ),
      [`Connected @river_side_ to ${OWNER}.`],
    ],
  ])("%s", (_, make, typed) => {
    expectShownAsTyped(make(), typed);
  });

  it("the checker itself finds markdown in a TextBlock and a fact", () => {
    const card = {
      type: "AdaptiveCard",
      body: [
        { type: "TextBlock", text: `Hello ${NAME}` },
        { type: "FactSet", facts: [{ title: "Note", value: NOTE }] },
      ],
    };
    expect(markdownTexts(card)).toEqual([`Hello ${NAME}`, "Note", NOTE]);
    expect(literalTexts(card)).toEqual([]);
  });
});

function relationship(): RelationshipDetail {
  return {
    summary: {
      contact: jane,
      lastTouch: { channel: "call", direction: "outbound", occurredAt: NOW, note: NOTE },
      daysSince: 0,
      cadenceDays: 30,
      overdueRatio: 0,
      status: "healthy",
      recent: { total: 1, inbound: 0, outbound: 1 },
    },
    recentTouches: [touch({ note: NOTE })],
    timeZone: "UTC",
  };
}
