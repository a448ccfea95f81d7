import { describe, expect, it } from "vitest";
import { protectTeamsMentions, readMarkup } from "./markup.js";

describe("readMarkup", () => {
  it("reads a Slack user mention as a colleague, with or without a label", () => {
    expect(readMarkup("<@U024BE7LH|amy>")).toEqual({ kind: "colleague", userId: "U024BE7LH", label: "amy" });
    expect(readMarkup("<@W024BE7LH>")).toEqual({ kind: "colleague", userId: "W024BE7LH", label: "W024BE7LH" });
  });

  it("reads a Teams mention as a colleague with no user id", () => {
    expect(readMarkup("<at>Amy Lee</at>")).toEqual({ kind: "colleague", userId: null, label: "Amy Lee" });
  });

  it("reads Slack channels, mailto links and other links", () => {
    expect(readMarkup("<#C123|general>")).toEqual({ kind: "channel", label: "general" });
    expect(readMarkup("<#G123>")).toEqual({ kind: "channel", label: "G123" });
    expect(readMarkup("<mailto:a@b.org|a@b.org>")).toEqual({ kind: "email", address: "a@b.org" });
    expect(readMarkup("<mailto:a@b.org>")).toEqual({ kind: "email", address: "a@b.org" });
    expect(readMarkup("<https://x.com/jane|x.com/jane>")).toEqual({ kind: "link", url: "https://x.com/jane" });
  });

  it("leaves anything else as text", () => {
    for (const text of ["jane", "@jane", "<jane>", "<@lowercase>", "<#general>", "<ftp://x.org>", ""]) {
      expect(readMarkup(text)).toEqual({ kind: "text", text });
    }
  });
});

describe("protectTeamsMentions", () => {
  it("quotes each Teams mention so its spaces stay in one token", () => {
    expect(protectTeamsMentions("met <at>Amy Lee</at> and <at>Sam</at>")).toBe(
      'met "<at>Amy Lee</at>" and "<at>Sam</at>"',
    );
  });

  it("leaves text without mentions alone", () => {
    expect(protectTeamsMentions("@janedoe <at>unclosed")).toBe("@janedoe <at>unclosed");
  });
});
