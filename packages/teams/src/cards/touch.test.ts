import type { LoggedTouch } from "@touchpoint/core";
import { describe, expect, it } from "vitest";
import { literalTexts, markdownTexts } from "../testing/card-text.js";
import { contact, NOW, touch } from "../testing/fixtures.js";
import { CARD_SCHEMA, CARD_VERSION } from "./card.js";
import { chooseContact, commandProblem, touchLogged, withoutSlash } from "./touch.js";

describe("withoutSlash", () => {
  it("drops the slash before Touchpoint's commands only", () => {
    expect(withoutSlash("/touch <who> [note] — e.g. /touch @janedoe called")).toBe(
      "touch <who> [note] — e.g. touch @janedoe called",
    );
    expect(withoutSlash("/nudges takes nothing after it.")).toBe("nudges takes nothing after it.");
    expect(withoutSlash("see https://example.org/touch and a/contact")).toBe(
      "see https://example.org/touch and a/contact",
    );
  });
});

describe("touch cards", () => {
  const jane = contact("Jane Doe", {
    segment: "major donor",
    identities: [{ platform: "x", handle: "janedoe", externalUserId: null }],
  });

  it("confirms a touch as a 1.5 card: contact, channel, day, note, previous touch, Undo", () => {
    const previous = touch({ id: "tp-0", channel: "email", occurredAt: new Date("2026-03-09T12:00:00Z"), note: null });
    const logged: LoggedTouch = { touchpoint: touch(), contact: jane, previous, created: true, timeZone: "UTC" };
    const card = touchLogged(logged, NOW, "UTC");
    expect(card).toMatchObject({ type: "AdaptiveCard", $schema: CARD_SCHEMA, version: CARD_VERSION });
    expect(card.fallbackText).toBe("Logged a call with Jane Doe");
    // Names and notes are what people typed: TextRuns, which Teams never reads as markdown.
    expect(literalTexts(card.body[1])).toEqual([
      "Contact: ",
      "Jane Doe · major donor · @janedoe",
      "Channel: ",
      "call",
      "When: ",
      "today",
      "Note: ",
      "called about the gala",
    ]);
    expect(literalTexts(card.body[2])).toEqual(["Previous touch: email yesterday"]);
    expect(markdownTexts(card)).toEqual([]);
    expect(card.actions).toEqual([
      { type: "Action.Submit", title: "Undo", data: { action: "undo_touch", touchpointId: "tp-1" } },
    ]);
  });

  it("says when a redelivery wrote nothing new", () => {
    const logged: LoggedTouch = { touchpoint: touch(), contact: jane, previous: null, created: false, timeZone: "UTC" };
    expect(JSON.stringify(touchLogged(logged, NOW, "UTC"))).toContain(
      "Already logged from this message; nothing new was written. First touch with Jane Doe on record.",
    );
  });

  it("offers at most six contacts to choose from, and counts the rest", () => {
    const many = Array.from({ length: 9 }, (_, i) => contact(`Pat Kim ${i}`));
    const card = chooseContact('"Pat"', many, "pending-1");
    expect(card.actions).toHaveLength(6);
    expect(card.actions?.[0]?.data).toEqual({
      action: "choose_contact",
      pendingId: "pending-1",
      contactId: "c-Pat Kim 0",
    });
    expect(JSON.stringify(card.body)).toContain("and 3 more");
  });

  it("writes a command problem with its usage the Teams way", () => {
    const card = commandProblem({ message: "/nudges takes nothing after it.", usage: "/nudges — today's nudge" });
    expect(literalTexts(card.body[0])).toEqual(["⚠️ nudges takes nothing after it."]);
    expect(markdownTexts(card.body[1])).toEqual(["Usage: nudges — today's nudge"]);
  });
});
