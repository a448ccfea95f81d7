import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findUnstorable } from "../domain/text.js";
import { channelForWord, TOUCH_CHANNELS } from "../domain/touchpoint.js";
import { WEEKDAYS } from "../domain/when.js";
import type { Result } from "../result.js";
import { unwrap, unwrapErr } from "../testing/builders.js";
import {
  type ChatCommand,
  CommandError,
  type ContactAddCommand,
  parseCommand,
  parseMessage,
  type TouchCommand,
} from "./parse-command.js";
import { USAGE } from "./usage.js";

const touch = (text: string) => parseCommand("touch", text);
const contact = (text: string) => parseCommand("contact", text);

/** The parsed /touch command; fails the test on an error or another kind of command. */
function touched(text: string): TouchCommand {
  const command = unwrap(touch(text));
  if (command.kind !== "touch") throw new Error(`expected a touch, got ${command.kind}`);
  return command;
}

/** The parsed /contact add command. */
function added(text: string): ContactAddCommand {
  const command = unwrap(contact(text));
  if (command.kind !== "contact_add") throw new Error(`expected contact_add, got ${command.kind}`);
  return command;
}

/** Every bad input gets a CommandError that says what was wrong and shows the right usage. */
function expectCommandError(result: Result<ChatCommand, CommandError>, message: string | RegExp, usage: string): void {
  const error = unwrapErr(result);
  expect(error).toBeInstanceOf(CommandError);
  expect(error.kind).toBe("command_error");
  if (typeof message === "string") expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
  expect(error.usage).toBe(usage);
  expect(error.toString()).toBe(`${error.message}\nUsage: ${usage}`);
}

const WHO_HINT = /<who> is an X handle \(@janedoe\), an email \(jane@example\.org\) or a name/;

describe("/touch", () => {
  describe("who", () => {
    it("reads an @handle, lowercased, keeping what was typed as raw", () => {
      expect(touched("@JaneDoe called about the gala")).toEqual({
        kind: "touch",
        who: { kind: "handle", handle: "janedoe", raw: "@JaneDoe" },
        note: "called about the gala",
        channel: "call",
        direction: "outbound",
        when: null,
      });
    });

    it("reads an email address, lowercased", () => {
      expect(touched("Jane@Example.org emailed the invite")).toEqual({
        kind: "touch",
        who: { kind: "email", email: "jane@example.org", raw: "Jane@Example.org" },
        note: "emailed the invite",
        channel: "email",
        direction: "outbound",
        when: null,
      });
    });

    it("reads a single unquoted word as a name", () => {
      expect(touched("jane lunch").who).toEqual({ kind: "name", name: "jane", raw: "jane" });
    });

    it("reads a name of several words in straight quotes, collapsing inner spaces", () => {
      const parsed = touched('"Jane   Doe" met at the gala');
      expect(parsed).toMatchObject({
        who: { kind: "name", name: "Jane Doe", raw: '"Jane   Doe"' },
        note: "met at the gala",
        channel: "meeting",
      });
    });

    it("reads a name in the curly quotes phones type", () => {
      expect(touched("“Jane Doe” coffee downtown")).toMatchObject({
        who: { kind: "name", name: "Jane Doe", raw: "“Jane Doe”" },
        note: "coffee downtown",
        channel: "meeting",
      });
      expect(touched("„Jane Doe“ called").who).toMatchObject({ kind: "name", name: "Jane Doe" });
      expect(touched("«Jane Doe» called").who).toMatchObject({ kind: "name", name: "Jane Doe" });
    });

    it("reads a Slack mailto link as the email inside it", () => {
      expect(touched("<mailto:Amy@Example.org|Amy@Example.org> emailed")).toMatchObject({
        who: { kind: "email", email: "amy@example.org", raw: "<mailto:Amy@Example.org|Amy@Example.org>" },
        channel: "email",
      });
    });

    it("reads an X profile link, bare or as Slack markup, as the handle", () => {
      expect(touched("x.com/JaneDoe called").who).toEqual({ kind: "handle", handle: "janedoe", raw: "@janedoe" });
      expect(touched("https://twitter.com/JaneDoe called").who).toEqual({
        kind: "handle",
        handle: "janedoe",
        raw: "@janedoe",
      });
      expect(touched("<https://x.com/JaneDoe|x.com/JaneDoe> called").who).toEqual({
        kind: "handle",
        handle: "janedoe",
        raw: "@janedoe",
      });
    });

    it("refuses a Slack user mention: colleagues aren't contacts", () => {
      const result = touch("<@U024BE7LH|amy> called");
      expectCommandError(result, /^@amy is a colleague, and colleagues aren't contacts\. /, USAGE.touch);
      expect(unwrapErr(result).message).toMatch(WHO_HINT);
    });

    it("names a Slack user mention without a label by its user id", () => {
      expectCommandError(touch("<@U024BE7LH> called"), /^@U024BE7LH is a colleague/, USAGE.touch);
    });

    it("refuses a Teams mention: colleagues aren't contacts", () => {
      expectCommandError(
        touch("<at>Amy Lee</at> called"),
        /^@Amy Lee is a colleague, and colleagues aren't contacts/,
        USAGE.touch,
      );
    });

    it("refuses a Slack channel", () => {
      expectCommandError(touch("<#C1|general> called"), /^#general is a channel, not a contact\. /, USAGE.touch);
    });

    it("refuses a link that is not an X profile", () => {
      expectCommandError(
        touch("<https://example.org/about|example.org> called"),
        /^https:\/\/example\.org\/about is a link, not a contact/,
        USAGE.touch,
      );
    });

    it("refuses an @-word that is no platform's handle", () => {
      expectCommandError(
        touch("@this_is_far_too_long called"),
        /^"@this_is_far_too_long" is not a handle: an X handle is 1–15 letters, digits or _ \(like @janedoe\); Bluesky and Mastodon handles look like @jane\.bsky\.social and @jane@mastodon\.social\.$/,
        USAGE.touch,
      );
      expectCommandError(touch("@jane-doe called"), /"@jane-doe" is not a handle/, USAGE.touch);
    });

    it("reads Bluesky and Mastodon handles, and drops punctuation typed after a handle", () => {
      expect(touched("@Jane.bsky.social called").who).toEqual({
        kind: "handle",
        handle: "jane.bsky.social",
        raw: "@Jane.bsky.social",
      });
      expect(touched("@jane@Mastodon.social called").who).toMatchObject({ handle: "jane@mastodon.social" });
      expect(touched("@JaneDoe, called about the gala").who).toEqual({
        kind: "handle",
        handle: "janedoe",
        raw: "@JaneDoe",
      });
    });

    it("refuses something with an @ that is neither a handle nor an email", () => {
      expectCommandError(
        touch("jane@example called"),
        /^"jane@example" is neither an X handle nor an email\. /,
        USAGE.touch,
      );
    });

    it("refuses an empty quoted name", () => {
      expectCommandError(touch('"" called'), /^Say who\. <who> is/, USAGE.touch);
    });

    it("refuses a quote that is never closed", () => {
      expectCommandError(
        touch('"Jane Doe called'),
        /^Could not read who: a quote opened at .* is never closed\.$/,
        USAGE.touch,
      );
    });

    it("refuses a name longer than 200 characters", () => {
      expectCommandError(touch(`"${"a".repeat(201)}"`), "A name is at most 200 characters.", USAGE.touch);
      expect(touched(`"${"a".repeat(200)}"`).who).toMatchObject({ kind: "name" });
    });
  });

  describe("empty and oversized input", () => {
    it("answers empty text with usage", () => {
      expectCommandError(touch(""), "Say who you were in touch with.", USAGE.touch);
      expectCommandError(touch("   \n\t "), "Say who you were in touch with.", USAGE.touch);
    });

    it("logs a touch with no note as a plain note", () => {
      expect(touched("@janedoe")).toEqual({
        kind: "touch",
        who: { kind: "handle", handle: "janedoe", raw: "@janedoe" },
        note: null,
        channel: "note",
        direction: "outbound",
        when: null,
      });
    });

    it("accepts a note of exactly 10,000 characters and refuses one longer", () => {
      expect(touched(`@janedoe ${"n".repeat(10_000)}`).note).toHaveLength(10_000);
      expectCommandError(
        touch(`@janedoe ${"n".repeat(10_001)}`),
        "The note is 10,001 characters; keep it under 10,000.",
        USAGE.touch,
      );
    });

    it("refuses text over 12,000 characters before reading it", () => {
      expectCommandError(
        touch(`@janedoe ${"n".repeat(12_000)}`),
        "That is 12,009 characters; keep it under 12,000.",
        USAGE.touch,
      );
      expectCommandError(
        contact(`find ${"n".repeat(12_000)}`),
        "That is 12,005 characters; keep it under 12,000.",
        USAGE.contact,
      );
    });

    it("refuses a NUL, half an emoji or a control character anywhere, saying where it is", () => {
      expectCommandError(
        touch("@janedoe called about the gala\u0000"),
        "The text holds a NUL character (U+0000) after “…alled about the gala”; remove it and send it again.",
        USAGE.touch,
      );
      expectCommandError(
        contact('add "Jane\u0000Doe" @janedoe'),
        'The text holds a NUL character (U+0000) after “add "Jane”; remove it and send it again.',
        USAGE.contact,
      );
      expectCommandError(
        contact("tag @janedoe gala\uD83C"),
        "The text holds a broken character (half of a UTF-16 surrogate pair, U+D83C) after “tag @janedoe gala”; remove it and send it again.",
        USAGE.contact,
      );
      expectCommandError(
        parseMessage("touch @janedoe met \u001b[2J"),
        "The text holds an invisible control character (U+001B) after “touch @janedoe met ”; remove it and send it again.",
        USAGE.touch,
      );
      expect(touched("@janedoe called\tabout\nthe gala").note).toBe("called about the gala");
    });
  });

  describe("channel from the note's first word", () => {
    it.each([
      ["called", "call", "outbound"],
      ["phoned", "call", "outbound"],
      ["emailed", "email", "outbound"],
      ["met", "meeting", "outbound"],
      ["coffee", "meeting", "outbound"],
      ["lunch", "meeting", "outbound"],
      ["dm", "x_dm", "outbound"],
      ["donated", "donation", "inbound"],
      ["attended", "event", "outbound"],
      ["thanked", "note", "outbound"],
    ] as const)("%s → %s (%s)", (word, channel, direction) => {
      expect(touched(`@janedoe ${word} about the gala`)).toMatchObject({
        channel,
        direction,
        note: `${word} about the gala`,
      });
    });

    it("ignores case and trailing punctuation on the first word", () => {
      expect(touched("@janedoe Called, left a message").channel).toBe("call");
      expect(touched("@janedoe LUNCH!").channel).toBe("meeting");
    });

    it("only looks at the first word", () => {
      expect(touched("@janedoe thanked her after we called").channel).toBe("note");
    });
  });

  describe("via:<channel>", () => {
    it("sets the channel and is left out of the note", () => {
      expect(touched("@janedoe caught up via:email about the gala")).toMatchObject({
        channel: "email",
        direction: "outbound",
        note: "caught up about the gala",
      });
    });

    it("accepts any channel name, in any case, and the channel words", () => {
      expect(touched("@janedoe VIA:X_DM").channel).toBe("x_dm");
      expect(touched("@janedoe via:event").channel).toBe("event");
      expect(touched("@janedoe via:called").channel).toBe("call");
      expect(touched("@janedoe thanks via:email.").channel).toBe("email");
    });

    it("picks the direction for the channel it names", () => {
      expect(touched("@janedoe via:donation $50 online")).toMatchObject({
        channel: "donation",
        direction: "inbound",
        note: "$50 online",
      });
    });

    it("wins over a channel word at the start of the note", () => {
      expect(touched("@janedoe called but we ended up meeting via:meeting").channel).toBe("meeting");
    });

    it("leaves no note when via: is all there is", () => {
      expect(touched("@janedoe via:call")).toMatchObject({ channel: "call", note: null });
    });

    it("refuses an unknown channel, listing the real ones", () => {
      expectCommandError(
        touch("@janedoe via:pigeon"),
        `"pigeon" is not a channel; use via: with one of ${TOUCH_CHANNELS.join(", ")}.`,
        USAGE.touch,
      );
      expectCommandError(touch("@janedoe via:"), /^"" is not a channel; use via: with one of/, USAGE.touch);
    });

    it("refuses via: given twice", () => {
      expectCommandError(
        touch("@janedoe via:call via:email"),
        "via: is given twice; say the channel once.",
        USAGE.touch,
      );
    });
  });

  describe("date words", () => {
    it("reads yesterday and keeps it in the note", () => {
      expect(touched("@janedoe called yesterday about the gala")).toMatchObject({
        when: { kind: "yesterday" },
        channel: "call",
        note: "called yesterday about the gala",
      });
    });

    it("reads today", () => {
      expect(touched("@janedoe called today").when).toEqual({ kind: "today" });
    });

    it.each(WEEKDAYS)("reads %s as a weekday, in any case and with punctuation", (weekday) => {
      const capitalized = weekday[0]?.toUpperCase() + weekday.slice(1);
      expect(touched(`@janedoe met (${capitalized}).`).when).toEqual({ kind: "weekday", weekday });
    });

    it("reads a YYYY-MM-DD date", () => {
      expect(touched("@janedoe donated on 2026-01-15, $100").when).toEqual({ kind: "date", isoDate: "2026-01-15" });
      expect(touched("@janedoe called 2024-02-29").when).toEqual({ kind: "date", isoDate: "2024-02-29" });
    });

    it("leaves a typed YYYY-MM-DD date (and its 'on') out of the note, but keeps date words", () => {
      expect(touched("@janedoe met on 2026-09-20 about gala seating").note).toBe("met about gala seating");
      expect(touched("@janedoe called about the gala 2026-09-20").note).toBe("called about the gala");
      expect(touched("@janedoe called about the gala yesterday").note).toBe("called about the gala yesterday");
    });

    it("lets a typed date win over a weekday anywhere in the note", () => {
      const command = touched("@alvarezbakery called about the Tuesday pickup 2026-03-10");
      expect(command.when).toEqual({ kind: "date", isoDate: "2026-03-10" });
      expect(command.note).toBe("called about the Tuesday pickup");
    });

    it("reads a weekday as a date only where it says when, not inside a name", () => {
      expect(touched("@janedoe called about the Tuesday pickup").when).toBeNull();
      expect(touched("@janedoe thanked her for the Sunday brunch invite").when).toBeNull();
      expect(touched("@janedoe lunch on friday with the board").when).toEqual({ kind: "weekday", weekday: "friday" });
      expect(touched("@janedoe coffee last Monday about volunteers").when).toEqual({
        kind: "weekday",
        weekday: "monday",
      });
      expect(touched("@janedoe met friday about the gala").when).toEqual({ kind: "weekday", weekday: "friday" });
      expect(touched("@janedoe called about the gala Friday").when).toEqual({ kind: "weekday", weekday: "friday" });
    });

    it("takes the first date word when there are several", () => {
      expect(touched("@janedoe called yesterday and again friday").when).toEqual({ kind: "yesterday" });
    });

    it("refuses an impossible date", () => {
      expectCommandError(
        touch("@janedoe called 2026-02-30"),
        "2026-02-30 is not a real date; write dates as YYYY-MM-DD.",
        USAGE.touch,
      );
      expectCommandError(touch("@janedoe called 2026-13-01"), /^2026-13-01 is not a real date/, USAGE.touch);
      expectCommandError(touch("@janedoe called 2025-02-29."), /^2025-02-29 is not a real date/, USAGE.touch);
    });

    it("does not read other dates or words that merely contain a weekday", () => {
      expect(touched("@janedoe talked about sundays and 15/01/2026").when).toBeNull();
    });
  });

  describe("Teams mentions in the note", () => {
    it("writes mentions and links in the note back as plain text", () => {
      expect(touched("@janedoe met with <at>Amy Lee</at> at the gala").note).toBe("met with @Amy Lee at the gala");
      expect(
        touched(
          "@janedoe emailed <@U024BE7LH|amy> the deck <https://example.org/deck|example.org/deck> cc <mailto:ops@example.org|ops@example.org> in <#C0GENERAL|general>",
        ).note,
      ).toBe("emailed @amy the deck https://example.org/deck cc ops@example.org in #general");
      expect(touched("@janedoe called re Q&A a < b").note).toBe("called re Q&A a < b");
    });
  });
});

describe("/contact", () => {
  it("asks what to do when nothing follows", () => {
    expectCommandError(contact(""), "Say what to do: add, show, find, tag, owner, cadence.", USAGE.contact);
  });

  it("refuses an unknown subcommand", () => {
    expectCommandError(
      contact("delete @janedoe"),
      '"delete" is not something /contact does; use add, show, find, tag, owner, cadence.',
      USAGE.contact,
    );
  });

  it("refuses a quote that is never closed", () => {
    expectCommandError(
      contact('show "Jane Doe'),
      /^Could not read that: a quote opened at .* is never closed\.$/,
      USAGE.contact,
    );
  });

  it("reads the subcommand in any case", () => {
    expect(unwrap(contact("SHOW @janedoe")).kind).toBe("contact_show");
  });

  describe("add", () => {
    it("reads the full example from the usage", () => {
      expect(
        added('add "Jane Doe" @JaneDoe Jane@Example.org segment:"Major  Donor" cadence:30 tags:gala,board owner:me'),
      ).toEqual({
        kind: "contact_add",
        name: "Jane Doe",
        identities: [
          { platform: "x", handle: "janedoe", externalUserId: null },
          { platform: "email", handle: "jane@example.org", externalUserId: null },
        ],
        segment: "major donor",
        owner: { kind: "me" },
        cadenceDays: 30,
        tags: ["gala", "board"],
      });
    });

    it("takes an unquoted name of several words and leaves everything else unset", () => {
      expect(added("add Jane Doe")).toEqual({
        kind: "contact_add",
        name: "Jane Doe",
        identities: [],
        segment: null,
        owner: null,
        cadenceDays: null,
        tags: [],
      });
    });

    it("reads identities given as x: and email: fields, and as Slack markup", () => {
      expect(added("add Jane x:@JaneDoe email:jane@example.org")).toMatchObject({
        identities: [
          { platform: "x", handle: "janedoe" },
          { platform: "email", handle: "jane@example.org" },
        ],
      });
      expect(
        added("add Jane <https://x.com/JaneDoe|x.com/JaneDoe> <mailto:jane@example.org|jane@example.org>"),
      ).toMatchObject({
        identities: [
          { platform: "x", handle: "janedoe" },
          { platform: "email", handle: "jane@example.org" },
        ],
      });
    });

    it("accepts the same identity twice but not two different ones", () => {
      expect(added("add Jane @janedoe x:JaneDoe")).toMatchObject({ identities: [{ handle: "janedoe" }] });
      expectCommandError(contact("add Jane @janedoe @jdoe"), "Give one X handle per contact.", USAGE.contactAdd);
      expectCommandError(
        contact("add Jane a@example.org b@example.org"),
        "Give one email per contact.",
        USAGE.contactAdd,
      );
    });

    it("merges tags from tags: and tag:, normalized and without repeats", () => {
      expect(added("add Jane tags:Gala;board tag:#gala").tags).toEqual(["gala", "board"]);
      expect(added('add Jane tags:"Spring Appeal|board"').tags).toEqual(["spring-appeal", "board"]);
    });

    it("reads owner as me, none, a Slack colleague, a Teams colleague or a name", () => {
      expect(added("add Jane owner:none").owner).toEqual({ kind: "none" });
      expect(added("add Jane owner:<@U024BE7LH|amy>").owner).toEqual({ kind: "member", userId: "U024BE7LH" });
      expect(added("add Jane owner:<at>Amy Lee</at>").owner).toEqual({ kind: "text", value: "Amy Lee" });
      expect(added('add Jane owner:"Amy Lee"').owner).toEqual({ kind: "text", value: "Amy Lee" });
    });

    it("reads cadence as days, with or without a unit", () => {
      expect(added("add Jane cadence:45d").cadenceDays).toBe(45);
      expect(added("add Jane cadence:7days").cadenceDays).toBe(7);
      expect(added("add Jane cadence:3650").cadenceDays).toBe(3650);
    });

    it("refuses a cadence that is not a whole number of days from 1 to 3650", () => {
      for (const bad of ["0", "3651", "monthly", "1.5", "-3"]) {
        expectCommandError(
          contact(`add Jane cadence:${bad}`),
          `"${bad}" is not a cadence; use a whole number of days from 1 to 3650.`,
          USAGE.contactAdd,
        );
      }
    });

    it("needs a name", () => {
      expectCommandError(contact("add @janedoe jane@example.org"), "Say the contact's name.", USAGE.contactAdd);
      expectCommandError(contact("add"), "Say the contact's name.", USAGE.contactAdd);
    });

    it("refuses a name longer than 200 characters", () => {
      expectCommandError(contact(`add ${"a".repeat(201)}`), "A name is at most 200 characters.", USAGE.contactAdd);
    });

    it("refuses an unknown field, listing the known ones", () => {
      expectCommandError(
        contact("add Jane phone:555-0100"),
        '"phone:" is not a contact field; use segment:, owner:, cadence:, tags:, tag:, x:, email:.',
        USAGE.contactAdd,
      );
    });

    it("refuses a bad handle, a bad email and an empty segment", () => {
      expectCommandError(contact("add Jane x:not-a-handle"), /^"not-a-handle" is not an X handle/, USAGE.contactAdd);
      expectCommandError(
        contact("add Jane email:jane"),
        '"jane" is not an email address (like jane@example.org).',
        USAGE.contactAdd,
      );
      expectCommandError(contact("add Jane segment:"), "segment: needs a value, like segment:donor.", USAGE.contactAdd);
    });

    it("refuses a colleague or a channel as part of the contact, pointing at owner:", () => {
      expectCommandError(
        contact("add Jane <@U024BE7LH|amy>"),
        "<@U024BE7LH|amy> can't be part of a contact; to set the owner write owner:<@U024BE7LH|amy>.",
        USAGE.contactAdd,
      );
      expectCommandError(
        contact("add Jane <at>Amy</at>"),
        /^<at>Amy<\/at> can't be part of a contact/,
        USAGE.contactAdd,
      );
      expectCommandError(
        contact("add Jane <#C1|general>"),
        /^<#C1\|general> can't be part of a contact/,
        USAGE.contactAdd,
      );
    });
  });

  describe("show", () => {
    it("reads a handle, an email or a quoted name", () => {
      expect(unwrap(contact("show @JaneDoe"))).toEqual({
        kind: "contact_show",
        who: { kind: "handle", handle: "janedoe", raw: "@JaneDoe" },
      });
      expect(unwrap(contact("show jane@example.org"))).toEqual({
        kind: "contact_show",
        who: { kind: "email", email: "jane@example.org", raw: "jane@example.org" },
      });
      expect(unwrap(contact('show "Jane Doe"'))).toEqual({
        kind: "contact_show",
        who: { kind: "name", name: "Jane Doe", raw: '"Jane Doe"' },
      });
    });

    it("takes the whole rest as a name when it is unquoted", () => {
      expect(unwrap(contact("show Jane   Doe"))).toEqual({
        kind: "contact_show",
        who: { kind: "name", name: "Jane Doe", raw: "Jane Doe" },
      });
    });

    it("refuses several words that mix a name with a handle or email", () => {
      expectCommandError(
        contact("show Jane @janedoe"),
        /^Say one contact; for several words put the name in quotes\. /,
        USAGE.contactShow,
      );
      expectCommandError(contact("show Jane jane@example.org"), /^Say one contact/, USAGE.contactShow);
    });

    it("needs who", () => {
      expectCommandError(contact("show"), WHO_HINT, USAGE.contactShow);
    });

    it("refuses a colleague", () => {
      expectCommandError(contact("show <at>Amy Lee</at>"), /^@Amy Lee is a colleague/, USAGE.contactShow);
    });
  });

  describe("find", () => {
    it("searches for the words given", () => {
      expect(unwrap(contact("find gala  dinner"))).toEqual({ kind: "contact_find", query: "gala dinner" });
      expect(unwrap(contact('find "major donor"'))).toEqual({ kind: "contact_find", query: "major donor" });
    });

    it("needs something to look for", () => {
      expectCommandError(contact("find"), "Say what to look for.", USAGE.contactFind);
    });

    it("refuses a search over 200 characters", () => {
      expectCommandError(
        contact(`find ${"a".repeat(201)}`),
        "Keep the search under 200 characters.",
        USAGE.contactFind,
      );
    });
  });

  describe("tag", () => {
    it("adds plain and +tags and removes -tags, normalized and without repeats", () => {
      expect(unwrap(contact('tag "Jane Doe" gala +VIP #Board -lapsed gala'))).toEqual({
        kind: "contact_tag",
        who: { kind: "name", name: "Jane Doe", raw: '"Jane Doe"' },
        add: ["gala", "vip", "board"],
        remove: ["lapsed"],
      });
    });

    it("can only remove", () => {
      expect(unwrap(contact("tag @janedoe -lapsed"))).toMatchObject({ add: [], remove: ["lapsed"] });
    });

    it("needs who and at least one tag", () => {
      expectCommandError(contact("tag"), /^Say who to tag\. <who> is/, USAGE.contactTag);
      expectCommandError(contact("tag @janedoe"), "Say which tags to add (or -tag to remove).", USAGE.contactTag);
      expectCommandError(contact("tag @janedoe - +"), "Say which tags to add (or -tag to remove).", USAGE.contactTag);
    });

    it("refuses a tag over 50 characters", () => {
      expectCommandError(
        contact(`tag @janedoe ${"t".repeat(51)}`),
        `A tag is at most 50 characters; "${"t".repeat(20)}…" is longer.`,
        USAGE.contactTag,
      );
    });

    it("refuses a bad who", () => {
      expectCommandError(contact("tag <#C1|general> gala"), /^#general is a channel/, USAGE.contactTag);
      expectCommandError(contact("tag <at>Amy</at> gala"), /^@Amy is a colleague/, USAGE.contactTag);
    });
  });

  describe("owner", () => {
    it.each([
      ["me", { kind: "me" }],
      ["ME", { kind: "me" }],
      ["none", { kind: "none" }],
      ["nobody", { kind: "none" }],
      ["<@U024BE7LH|amy>", { kind: "member", userId: "U024BE7LH" }],
      ["<at>Amy Lee</at>", { kind: "text", value: "Amy Lee" }],
      ['"Amy Lee"', { kind: "text", value: "Amy Lee" }],
      ["amy", { kind: "text", value: "amy" }],
    ])("reads %s", (owner, expected) => {
      expect(unwrap(contact(`owner @janedoe ${owner}`))).toEqual({
        kind: "contact_owner",
        who: { kind: "handle", handle: "janedoe", raw: "@janedoe" },
        owner: expected,
      });
    });

    it("needs exactly one contact and one owner", () => {
      expectCommandError(contact("owner @janedoe"), "Say whose owner to set and who owns them.", USAGE.contactOwner);
      expectCommandError(
        contact("owner Jane Doe me"),
        "Say one contact and one owner; put a name of several words in quotes.",
        USAGE.contactOwner,
      );
    });

    it("refuses an owner name over 200 characters", () => {
      expectCommandError(
        contact(`owner @janedoe ${"a".repeat(201)}`),
        "Say who owns the relationship: @colleague, me or none.",
        USAGE.contactOwner,
      );
    });
  });

  describe("cadence", () => {
    it("reads days, and default or none as the segment's default", () => {
      expect(unwrap(contact("cadence @janedoe 30"))).toEqual({
        kind: "contact_cadence",
        who: { kind: "handle", handle: "janedoe", raw: "@janedoe" },
        cadenceDays: 30,
      });
      expect(unwrap(contact('cadence "Jane Doe" 14d'))).toMatchObject({ who: { name: "Jane Doe" }, cadenceDays: 14 });
      expect(unwrap(contact("cadence @janedoe default"))).toMatchObject({ kind: "contact_cadence", cadenceDays: null });
      expect(unwrap(contact("cadence @janedoe Default"))).toMatchObject({ cadenceDays: null });
      expect(unwrap(contact("cadence @janedoe none"))).toMatchObject({ cadenceDays: null });
    });

    it("refuses a bad number of days", () => {
      expectCommandError(
        contact("cadence @janedoe 0"),
        '"0" is not a cadence; use a whole number of days from 1 to 3650.',
        USAGE.contactCadence,
      );
      expectCommandError(contact("cadence @janedoe often"), /^"often" is not a cadence/, USAGE.contactCadence);
    });

    it("needs exactly one contact and one number", () => {
      expectCommandError(
        contact("cadence @janedoe"),
        "Say whose cadence to set and how many days.",
        USAGE.contactCadence,
      );
      expectCommandError(
        contact("cadence @janedoe 30 days"),
        "Say one contact and a number of days; put a name of several words in quotes.",
        USAGE.contactCadence,
      );
    });
  });
});

describe("/nudges", () => {
  it("takes nothing after it", () => {
    expect(unwrap(parseCommand("/nudges", ""))).toEqual({ kind: "nudges" });
    expect(unwrap(parseCommand("nudges", "   "))).toEqual({ kind: "nudges" });
    expectCommandError(parseCommand("nudges", "now please"), "/nudges takes nothing after it.", USAGE.nudges);
  });
});

describe("/touchpoint", () => {
  it.each([
    ["", { kind: "help", topic: null }],
    ["help", { kind: "help", topic: null }],
    ["HELP /Touch", { kind: "help", topic: "touch" }],
    ["help contact add", { kind: "help", topic: "contact add" }],
    ["settings", { kind: "settings" }],
    ["connect-x", { kind: "connect_x" }],
    ["Import", { kind: "import" }],
  ])("reads %j", (text, expected) => {
    expect(unwrap(parseCommand("touchpoint", text))).toEqual(expected);
  });

  it("refuses an unknown subcommand", () => {
    expectCommandError(
      parseCommand("touchpoint", "uninstall"),
      '"uninstall" is not something /touchpoint does; use help, settings, connect-x or import.',
      USAGE.touchpoint,
    );
  });
});

describe("parseCommand command names", () => {
  it("accepts the name with or without a slash, in any case, with spaces around", () => {
    expect(unwrap(parseCommand(" /TOUCH ", "@janedoe")).kind).toBe("touch");
  });

  it("refuses a command that is not Touchpoint's", () => {
    expectCommandError(
      parseCommand("/remind", "me later"),
      "/remind is not a Touchpoint command; use /touch, /contact, /nudges, /touchpoint.",
      USAGE.touchpoint,
    );
  });
});

describe("parseMessage (Teams and DMs: the slash is optional)", () => {
  it("reads a command without a slash exactly as the slash command", () => {
    expect(parseMessage("touch @JaneDoe called about the gala")).toEqual(
      parseCommand("/touch", "@JaneDoe called about the gala"),
    );
    expect(unwrap(parseMessage("Touch @janedoe called"))).toMatchObject({ kind: "touch", channel: "call" });
  });

  it("reads a command with a slash too", () => {
    expect(unwrap(parseMessage("/contact show @janedoe"))).toEqual({
      kind: "contact_show",
      who: { kind: "handle", handle: "janedoe", raw: "@janedoe" },
    });
  });

  it("reads a note over several lines", () => {
    expect(unwrap(parseMessage("touch @janedoe called\nabout the gala"))).toMatchObject({
      note: "called about the gala",
    });
  });

  it("reads a Teams mention of a colleague as an error, not a name", () => {
    expectCommandError(parseMessage("touch <at>Amy Lee</at> coffee"), /^@Amy Lee is a colleague/, USAGE.touch);
  });

  it.each([
    ["nudges", { kind: "nudges" }],
    ["help", { kind: "help", topic: null }],
    ["Help touch", { kind: "help", topic: "touch" }],
    ["/help", { kind: "help", topic: null }],
    ["settings", { kind: "settings" }],
    ["connect-x", { kind: "connect_x" }],
    ["import", { kind: "import" }],
    ["touchpoint settings", { kind: "settings" }],
  ])("reads %j", (text, expected) => {
    expect(unwrap(parseMessage(text))).toEqual(expected);
  });

  it("asks for a command when the text does not start with one", () => {
    const usage = USAGE.touch;
    expectCommandError(parseMessage(""), "Start with a command: touch, contact, nudges or touchpoint.", usage);
    expectCommandError(
      parseMessage("@janedoe called"),
      "Start with a command: touch, contact, nudges or touchpoint.",
      usage,
    );
    expectCommandError(
      parseMessage("remind me tomorrow"),
      '"remind" is not a command; start with touch, contact, nudges or touchpoint.',
      usage,
    );
  });

  it("passes errors of the command through", () => {
    expectCommandError(parseMessage("touch"), "Say who you were in touch with.", USAGE.touch);
    expectCommandError(parseMessage("nudges please"), "/nudges takes nothing after it.", USAGE.nudges);
  });
});

describe("usage lines", () => {
  it.each(Object.entries(USAGE))(
    "%s shows its shape and, where it gives one, an example that parses",
    (_key, usage) => {
      expect(usage).toMatch(/^\/(touch|contact|nudges|touchpoint)\b/);
      const example = /— e\.g\. (.+)$/.exec(usage)?.[1];
      if (example !== undefined) expect(unwrap(parseMessage(example)).kind).toBeTypeOf("string");
      else expect(usage).toBe(USAGE.nudges);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Properties

/** Fragments that stress the grammar: quotes, markup, fields, date words, odd whitespace. */
const fragment = fc.constantFrom(
  "@janedoe",
  "@",
  '"',
  "“",
  "”",
  "„",
  "«",
  "»",
  "<",
  ">",
  "<at>",
  "</at>",
  "<at>Amy Lee</at>",
  "<@U024BE7LH|amy>",
  "<#C1|general>",
  "<mailto:a@b.org|a@b.org>",
  "<https://x.com/jane|x.com/jane>",
  "via:",
  "via:call",
  "via:pigeon",
  "yesterday",
  "friday",
  "2026-02-30",
  "2026-01-01",
  "add",
  "show",
  "find",
  "tag",
  "owner",
  "cadence",
  "help",
  "-",
  "+",
  ":",
  "segment:",
  "owner:",
  "cadence:",
  "tags:",
  "x:",
  "email:",
  "me",
  "a@b.co",
  "x.com/jane",
  " ",
  "\n",
  "\t",
  "\u00a0",
  "\u2028",
  "😀",
  "\ud800",
  "\u0000",
  "\u001b",
  "\u0085",
);
const arbitraryText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(" ")),
  fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join("")),
  fc
    .tuple(
      fc.constantFrom("", "add ", "show ", "tag @jane ", "@jane "),
      fc.string({ minLength: 11_000, maxLength: 13_000 }),
    )
    .map(([prefix, long]) => prefix + long),
);

function isWellFormed(result: Result<ChatCommand, CommandError>): boolean {
  if (result.ok) return typeof result.value.kind === "string";
  return (
    result.error instanceof CommandError &&
    typeof result.error.message === "string" &&
    result.error.message.trim() !== "" &&
    typeof result.error.usage === "string" &&
    result.error.usage.trim() !== ""
  );
}

describe("properties", () => {
  it.each(["touch", "contact", "nudges", "touchpoint"])(
    "parseCommand(%j, anything) never throws and always says what went wrong",
    (command) => {
      fc.assert(
        fc.property(arbitraryText, (text) => isWellFormed(parseCommand(command, text))),
        { numRuns: 1000 },
      );
    },
  );

  it("parseMessage(anything) never throws and always says what went wrong", () => {
    const message = fc.oneof(
      arbitraryText,
      fc
        .tuple(
          fc.constantFrom("touch", "contact", "/nudges", "touchpoint", "help", "settings", "import"),
          arbitraryText,
        )
        .map(([word, rest]) => `${word} ${rest}`),
    );
    fc.assert(
      fc.property(message, (text) => isWellFormed(parseMessage(text))),
      { numRuns: 1500 },
    );
  });

  /** Every string anywhere in a parsed command. */
  const stringsIn = (value: unknown): string[] =>
    typeof value === "string"
      ? [value]
      : typeof value === "object" && value !== null
        ? Object.values(value).flatMap(stringsIn)
        : [];

  it("nothing parseCommand or parseMessage accepts holds a character the database can't hold", () => {
    const command = fc.constantFrom("touch", "contact", "nudges", "touchpoint");
    fc.assert(
      fc.property(command, arbitraryText, (name, text) => {
        for (const parsed of [parseCommand(name, text), parseMessage(`${name} ${text}`)]) {
          if (parsed.ok) expect(stringsIn(parsed.value).filter((s) => findUnstorable(s) !== undefined)).toEqual([]);
        }
      }),
      { numRuns: 1500 },
    );
  });

  const handle = fc.stringMatching(/^[A-Za-z0-9_]{1,15}$/);
  const DATE_WORDS = new Set<string>(["today", "yesterday", ...WEEKDAYS]);
  const isDateWord = (word: string) => {
    const bare = word.toLowerCase().replace(/^[(]+|[.,;:!?)]+$/g, "");
    return DATE_WORDS.has(bare) || /^\d{4}-\d{2}-\d{2}$/.test(bare);
  };
  const noteWord = fc.stringMatching(/^[A-Za-zÀ-ÖØ-öø-ÿ0-9$%&'.,!?()-]{1,12}$/).filter((word) => !isDateWord(word));
  const note = fc.array(noteWord, { minLength: 1, maxLength: 20 });

  it("a touch @<handle> <note> round-trips the handle, lowercased, and the note", () => {
    fc.assert(
      fc.property(handle, note, (h, words) => {
        const parsed = touch(`@${h} ${words.join(" ")}`);
        expect(parsed).toEqual({
          ok: true,
          value: {
            kind: "touch",
            who: { kind: "handle", handle: h.toLowerCase(), raw: `@${h}` },
            note: words.join(" "),
            channel: channelForWord(words[0]) ?? "note",
            direction: channelForWord(words[0]) === "donation" ? "inbound" : "outbound",
            when: null,
          },
        });
      }),
      { numRuns: 1000 },
    );
  });
});
