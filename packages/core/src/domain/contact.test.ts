import { describe, expect, it } from "vitest";
import { contactProblems, normalizeSegment, normalizeTag, parseTagList, sameTags } from "./contact.js";

describe("normalizeSegment", () => {
  it("lowercases and collapses spaces; blank is no segment", () => {
    expect(normalizeSegment("  Major   Donor ")).toBe("major donor");
    expect(normalizeSegment("   ")).toBeNull();
    expect(normalizeSegment(null)).toBeNull();
    expect(normalizeSegment(undefined)).toBeNull();
  });
});

describe("tags", () => {
  it("normalizes one tag: no #, dashes for spaces, lower case", () => {
    expect(normalizeTag(" #Spring Appeal ")).toBe("spring-appeal");
  });

  it("splits lists on commas, semicolons and bars, dropping blanks and repeats", () => {
    expect(parseTagList("Gala; board|gala,, #Board ,spring appeal")).toEqual(["gala", "board", "spring-appeal"]);
    expect(parseTagList("")).toEqual([]);
  });

  it("compares tag lists as sets", () => {
    expect(sameTags(["a", "b"], ["b", "a"])).toBe(true);
    expect(sameTags(["a", "b"], ["a", "c"])).toBe(false);
    expect(sameTags(["a"], ["a", "b"])).toBe(false);
  });
});

describe("contactProblems", () => {
  it("finds nothing wrong with a good contact or an empty patch", () => {
    expect(contactProblems({ name: "Jane Doe", cadenceDays: 30, tags: ["gala"], notes: "hi", owner: "U1" })).toEqual(
      [],
    );
    expect(contactProblems({})).toEqual([]);
  });

  it("lists every problem as a sentence", () => {
    expect(
      contactProblems({
        name: " ",
        cadenceDays: 0,
        tags: ["t".repeat(51)],
        notes: "n".repeat(10_001),
        owner: "o".repeat(201),
      }),
    ).toEqual([
      "name is required",
      "cadence_days must be a whole number of days from 1 to 3650, not 0",
      `tag "${"t".repeat(20)}…" is longer than 50 characters`,
      "notes are longer than 10,000 characters",
      "owner is longer than 200 characters",
    ]);
  });

  it("refuses characters the database can't hold in every text field, and says only that", () => {
    expect(
      contactProblems({
        name: "Jane\u0000Doe",
        segment: "donor\u001b",
        owner: "amy",
        notes: "Met at the gala\uD83C",
        tags: ["gala", "bo\u0000ard"],
        cadenceDays: 0,
      }),
    ).toEqual([
      "name holds a NUL character (U+0000) after “Jane”",
      "segment holds an invisible control character (U+001B) after “donor”",
      "notes hold a broken character (half of a UTF-16 surrogate pair, U+D83C) after “Met at the gala”",
      "tag holds a NUL character (U+0000) after “bo”",
    ]);
    expect(contactProblems({ name: "Jane Doe", notes: "line one\nline two\ttabbed" })).toEqual([]);
    expect(
      contactProblems({
        name: "Jane Doe",
        identities: [
          { platform: "email", handle: "jane\u0000@example.org", externalUserId: null },
          { platform: "x", handle: "janedoe", externalUserId: "12\u001b" },
        ],
      }),
    ).toEqual([
      "email holds a NUL character (U+0000) after “jane”",
      "X user id holds an invisible control character (U+001B) after “12”",
    ]);
  });

  it("limits names to 200 characters and contacts to 50 tags", () => {
    expect(contactProblems({ name: "a".repeat(201) })).toEqual(["name is longer than 200 characters"]);
    expect(contactProblems({ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) })).toEqual([
      "tags are limited to 50",
    ]);
  });
});
