import { describe, expect, it } from "vitest";
import { isChatUserId, validateChannelId, validateTimeZone } from "./tenant.js";

describe("time zones", () => {
  it("are stored by their canonical place name", () => {
    expect(validateTimeZone("america/new_york")).toEqual({ ok: true, value: "America/New_York" });
    expect(validateTimeZone(" Europe/London ")).toEqual({ ok: true, value: "Europe/London" });
    expect(validateTimeZone("utc")).toEqual({ ok: true, value: "UTC" });
  });

  it("refuse abbreviations, which are fixed offsets with no daylight saving", () => {
    for (const abbreviation of ["EST", "PST", "CET", "PST8PDT"]) {
      const result = validateTimeZone(abbreviation);
      expect(result.ok, abbreviation).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/is an abbreviation, not a place/);
    }
  });

  it("refuse names that are no time zone", () => {
    const result = validateTimeZone("Mars/Olympus_Mons");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/is not a time zone/);
  });
});

describe("channel ids", () => {
  it("accept Slack and Teams ids, clear on empty, refuse anything else", () => {
    expect(validateChannelId("C0123ABCD")).toEqual({ ok: true, value: "C0123ABCD" });
    expect(validateChannelId("19:abc@thread.tacv2")).toEqual({ ok: true, value: "19:abc@thread.tacv2" });
    expect(validateChannelId("  ")).toEqual({ ok: true, value: null });
    expect(validateChannelId(null)).toEqual({ ok: true, value: null });
    expect(validateChannelId("#general channel").ok).toBe(false);
  });
});

describe("isChatUserId", () => {
  it("knows who a direct message can reach, and not what an import brought in", () => {
    expect(isChatUserId("slack", "U024BE7LH")).toBe(true);
    expect(isChatUserId("slack", "Maria")).toBe(false);
    expect(isChatUserId("teams", "29:1abcDEF")).toBe(true);
    expect(isChatUserId("teams", "0f8fad5b-d9cb-469f-a165-70867728950e")).toBe(true);
    expect(isChatUserId("teams", "development")).toBe(false);
    expect(isChatUserId("teams", "U024BE7LH")).toBe(false);
  });
});
