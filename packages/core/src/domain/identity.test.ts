import { describe, expect, it } from "vitest";
import { unwrap, unwrapErr } from "../testing/builders.js";
import { formatIdentity, looksLikeEmail, normalizeEmail, normalizeHandle, normalizeXHandle } from "./identity.js";

describe("normalizeXHandle", () => {
  it.each([
    ["@JaneDoe", "janedoe"],
    ["JaneDoe", "janedoe"],
    ["  @jane_doe_99  ", "jane_doe_99"],
    ["https://x.com/JaneDoe", "janedoe"],
    ["https://twitter.com/JaneDoe/", "janedoe"],
    ["http://www.x.com/JaneDoe?s=20", "janedoe"],
    ["mobile.twitter.com/JaneDoe#top", "janedoe"],
    ["x.com/@JaneDoe", "janedoe"],
    ["a", "a"],
    ["@abcdefghijklmno", "abcdefghijklmno"],
  ])("%j → %j", (input, handle) => {
    expect(unwrap(normalizeXHandle(input))).toBe(handle);
  });

  it.each([
    "",
    "@",
    "@abcdefghijklmnop",
    "jane-doe",
    "jane doe",
    "jane.doe",
    "@jane@example.org",
    "https://x.com/jane/status/1",
    "https://example.com/jane",
    "ＪＡＮＥ",
  ])("refuses %j, saying what a handle looks like", (input) => {
    expect(unwrapErr(normalizeXHandle(input))).toBe(
      `"${input.trim()}" is not an X handle (1–15 letters, digits or _, like @janedoe)`,
    );
  });
});

describe("normalizeEmail", () => {
  it("trims and lowercases", () => {
    expect(unwrap(normalizeEmail("  Jane.Doe+gala@Example.ORG "))).toBe("jane.doe+gala@example.org");
  });

  it.each([
    "jane",
    "jane@example",
    "jane@@example.org",
    "jane doe@example.org",
    "jane@example.c",
    "<jane@example.org>",
    "jane@example.org,",
    `${"a".repeat(250)}@example.org`,
  ])("refuses %j", (input) => {
    expect(unwrapErr(normalizeEmail(input))).toBe(`"${input.trim()}" is not an email address (like jane@example.org)`);
  });
});

describe("a handle or address holding what the database can't hold", () => {
  it("is refused without echoing it, for every platform", () => {
    expect(unwrapErr(normalizeEmail("jane\u0000@example.org"))).toBe(
      "the email address holds a NUL character (U+0000) after “jane”",
    );
    expect(unwrapErr(normalizeXHandle("@jane\u001b"))).toBe(
      "the X handle holds an invisible control character (U+001B) after “@jane”",
    );
    expect(unwrapErr(normalizeHandle("bluesky", "jane.bsky.social\uD83C"))).toMatch(/^the handle holds a broken/);
  });
});

describe("normalizeHandle", () => {
  it("normalizes each platform's handles the way that platform writes them", () => {
    expect(unwrap(normalizeHandle("x", "@JaneDoe"))).toBe("janedoe");
    expect(unwrap(normalizeHandle("email", "Jane@Example.org"))).toBe("jane@example.org");
    expect(unwrap(normalizeHandle("bluesky", "@Jane.bsky.social"))).toBe("jane.bsky.social");
    expect(unwrap(normalizeHandle("mastodon", "Jane@Mastodon.Social"))).toBe("jane@mastodon.social");
    expect(unwrap(normalizeHandle("mastodon", "@jane@mastodon.social"))).toBe("jane@mastodon.social");
    expect(unwrap(normalizeHandle("slack", "u024be7lh"))).toBe("U024BE7LH");
  });

  it("refuses handles that do not fit the platform", () => {
    expect(unwrapErr(normalizeHandle("bluesky", "jane"))).toMatch(/is not a Bluesky handle/);
    expect(unwrapErr(normalizeHandle("bluesky", "-jane.bsky.social"))).toMatch(/is not a Bluesky handle/);
    expect(unwrapErr(normalizeHandle("mastodon", "@jane"))).toMatch(/is not a Mastodon handle/);
    expect(unwrapErr(normalizeHandle("slack", "C024BE7LH"))).toMatch(/is not a Slack user id/);
    expect(unwrapErr(normalizeHandle("x", "jane doe"))).toMatch(/is not an X handle/);
  });
});

describe("looksLikeEmail", () => {
  it("tells emails from handles and names", () => {
    expect(looksLikeEmail("Jane@Example.org")).toBe(true);
    expect(looksLikeEmail("@janedoe")).toBe(false);
    expect(looksLikeEmail("Jane Doe")).toBe(false);
    expect(looksLikeEmail("jane@example")).toBe(false);
  });
});

describe("formatIdentity", () => {
  it("writes social handles with @, emails and Slack ids as stored", () => {
    expect(formatIdentity({ platform: "x", handle: "janedoe" })).toBe("@janedoe");
    expect(formatIdentity({ platform: "bluesky", handle: "jane.bsky.social" })).toBe("@jane.bsky.social");
    expect(formatIdentity({ platform: "mastodon", handle: "jane@mastodon.social" })).toBe("@jane@mastodon.social");
    expect(formatIdentity({ platform: "email", handle: "jane@example.org" })).toBe("jane@example.org");
    expect(formatIdentity({ platform: "slack", handle: "U024BE7LH" })).toBe("U024BE7LH");
  });
});
