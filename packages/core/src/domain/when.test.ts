import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { unwrap, unwrapErr } from "../testing/builders.js";
import { describeDay, resolveWhen, type WhenSpec } from "./when.js";

/** Tuesday 10 March 2026, 15:00 UTC — Wednesday 11 March, 04:00 in Auckland (UTC+13). */
const TUESDAY_AFTERNOON_UTC = new Date("2026-03-10T15:00:00Z");
/** Tuesday 10 March 2026, 11:30 UTC — just after midnight, Wednesday 11 March, in Auckland. */
const AUCKLAND_JUST_AFTER_MIDNIGHT = new Date("2026-03-10T11:30:00Z");
const AUCKLAND = "Pacific/Auckland";

const resolve = (spec: WhenSpec | null, now: Date, zone = "UTC") => unwrap(resolveWhen(spec, now, zone)).toISOString();
const date = (isoDate: string): WhenSpec => ({ kind: "date", isoDate });

describe("resolveWhen", () => {
  it("is now when no date word was given, or for today", () => {
    expect(resolve(null, TUESDAY_AFTERNOON_UTC)).toBe("2026-03-10T15:00:00.000Z");
    expect(resolve({ kind: "today" }, TUESDAY_AFTERNOON_UTC, AUCKLAND)).toBe("2026-03-10T15:00:00.000Z");
  });

  it("is noon of the previous local day for yesterday", () => {
    expect(resolve({ kind: "yesterday" }, TUESDAY_AFTERNOON_UTC)).toBe("2026-03-09T12:00:00.000Z");
  });

  it("reads yesterday in the tenant's time zone, not UTC, near midnight", () => {
    // In UTC it is still Tuesday the 10th; in Auckland it is already Wednesday the 11th.
    expect(resolve({ kind: "yesterday" }, AUCKLAND_JUST_AFTER_MIDNIGHT, "UTC")).toBe("2026-03-09T12:00:00.000Z");
    expect(resolve({ kind: "yesterday" }, AUCKLAND_JUST_AFTER_MIDNIGHT, AUCKLAND)).toBe("2026-03-09T23:00:00.000Z"); // noon, 10 Mar, NZDT
  });

  it("keeps noon local across a daylight-saving change", () => {
    // New York moved to EDT on Sunday 8 March 2026.
    const mondayMorning = new Date("2026-03-09T15:00:00Z");
    expect(resolve({ kind: "yesterday" }, mondayMorning, "America/New_York")).toBe("2026-03-08T16:00:00.000Z");
    expect(resolve({ kind: "weekday", weekday: "saturday" }, mondayMorning, "America/New_York")).toBe(
      "2026-03-07T17:00:00.000Z",
    );
  });

  it("reads a weekday as the most recent such day, today included", () => {
    expect(resolve({ kind: "weekday", weekday: "tuesday" }, TUESDAY_AFTERNOON_UTC)).toBe("2026-03-10T15:00:00.000Z");
    expect(resolve({ kind: "weekday", weekday: "monday" }, TUESDAY_AFTERNOON_UTC)).toBe("2026-03-09T12:00:00.000Z");
    expect(resolve({ kind: "weekday", weekday: "sunday" }, TUESDAY_AFTERNOON_UTC)).toBe("2026-03-08T12:00:00.000Z");
    expect(resolve({ kind: "weekday", weekday: "wednesday" }, TUESDAY_AFTERNOON_UTC)).toBe("2026-03-04T12:00:00.000Z");
  });

  it("reads a weekday in the tenant's time zone", () => {
    // Already Wednesday in Auckland: "wednesday" is today, "tuesday" was yesterday there.
    expect(resolve({ kind: "weekday", weekday: "wednesday" }, AUCKLAND_JUST_AFTER_MIDNIGHT, AUCKLAND)).toBe(
      "2026-03-10T11:30:00.000Z",
    );
    expect(resolve({ kind: "weekday", weekday: "tuesday" }, AUCKLAND_JUST_AFTER_MIDNIGHT, AUCKLAND)).toBe(
      "2026-03-09T23:00:00.000Z",
    );
    expect(resolve({ kind: "weekday", weekday: "wednesday" }, AUCKLAND_JUST_AFTER_MIDNIGHT, "UTC")).toBe(
      "2026-03-04T12:00:00.000Z",
    );
  });

  it("reads a date as noon local on that day", () => {
    expect(resolve(date("2026-03-01"), TUESDAY_AFTERNOON_UTC)).toBe("2026-03-01T12:00:00.000Z");
    expect(resolve(date("2026-03-01"), TUESDAY_AFTERNOON_UTC, AUCKLAND)).toBe("2026-02-28T23:00:00.000Z");
  });

  it("reads today's date as now", () => {
    expect(resolve(date("2026-03-10"), TUESDAY_AFTERNOON_UTC)).toBe("2026-03-10T15:00:00.000Z");
  });

  it("refuses a date in the future, judged in the tenant's time zone", () => {
    expect(unwrapErr(resolveWhen(date("2026-03-11"), AUCKLAND_JUST_AFTER_MIDNIGHT, "UTC"))).toBe(
      "2026-03-11 is in the future; log touches that happened",
    );
    expect(resolve(date("2026-03-11"), AUCKLAND_JUST_AFTER_MIDNIGHT, AUCKLAND)).toBe("2026-03-10T11:30:00.000Z");
  });

  it("refuses a date more than ten years back", () => {
    expect(resolve(date("2016-03-10"), TUESDAY_AFTERNOON_UTC)).toBe("2016-03-10T12:00:00.000Z");
    expect(unwrapErr(resolveWhen(date("2016-03-09"), TUESDAY_AFTERNOON_UTC, "UTC"))).toBe(
      "2016-03-09 is more than 10 years ago; import older history from a CSV",
    );
  });

  it("refuses an impossible date", () => {
    expect(unwrapErr(resolveWhen(date("2026-02-30"), TUESDAY_AFTERNOON_UTC, "UTC"))).toBe(
      "2026-02-30 is not a real date",
    );
  });
});

describe("describeDay", () => {
  const now = TUESDAY_AFTERNOON_UTC;
  it.each([
    ["2026-03-10T01:00:00Z", "today"],
    ["2026-03-09T23:59:00Z", "yesterday"],
    ["2026-03-08T12:00:00Z", "Sunday"],
    ["2026-03-04T12:00:00Z", "Wednesday"],
    ["2026-03-03T12:00:00Z", "3 Mar"],
    ["2025-12-24T12:00:00Z", "24 Dec 2025"],
  ])("%s reads as %j", (at, expected) => {
    expect(describeDay(new Date(at), now, "UTC")).toBe(expected);
  });

  it("counts days in the tenant's time zone", () => {
    // 23:00 UTC on the 9th is noon on the 10th in Auckland, and now is the 11th there.
    expect(describeDay(new Date("2026-03-09T23:00:00Z"), now, AUCKLAND)).toBe("yesterday");
    expect(describeDay(new Date("2026-03-09T23:00:00Z"), now, "UTC")).toBe("yesterday");
    expect(describeDay(new Date("2026-03-10T11:30:00Z"), now, AUCKLAND)).toBe("today");
  });
});

describe("describeDay against luxon's calendar", () => {
  /** What describeDay said when it was written with luxon: the reference the Intl version must match. */
  const withLuxon = (at: Date, now: Date, timeZone: string) => {
    const day = DateTime.fromJSDate(at, { zone: timeZone }).startOf("day");
    const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf("day");
    const days = Math.round(today.diff(day, "days").days);
    if (days === 0) return "today";
    if (days === 1) return "yesterday";
    if (days > 1 && days < 7) return day.toFormat("cccc");
    return day.year === today.year ? day.toFormat("d LLL") : day.toFormat("d LLL yyyy");
  };
  const zones = ["UTC", "America/New_York", "Pacific/Auckland", "Asia/Kolkata", "Europe/London", "Pacific/Chatham"];
  const instant = fc.date({
    min: new Date("2020-01-01T00:00:00Z"),
    max: new Date("2030-12-31T00:00:00Z"),
    noInvalidDate: true,
  });

  it("agrees across time zones, DST changes and year ends", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 400 * 24 }), fc.constantFrom(...zones), (now, hoursBack, zone) => {
        const at = new Date(now.getTime() - hoursBack * 3_600_000);
        expect(describeDay(at, now, zone)).toBe(withLuxon(at, now, zone));
      }),
      { numRuns: 2000 },
    );
  });
});
