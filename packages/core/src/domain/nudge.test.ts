import { describe, expect, it } from "vitest";
import { dueLocalDate, type NudgeCandidate, reviveDigest } from "./nudge.js";

const tenant = (timeZone: string, nudgeTime: string, lastLocalDate: string | null = null): NudgeCandidate => ({
  tenantId: "t1",
  timeZone,
  nudgeTime,
  lastLocalDate,
});
const due = (candidate: NudgeCandidate, utc: string) => dueLocalDate(candidate, new Date(utc));

describe("dueLocalDate", () => {
  it("is due from the tenant's nudge time on, once per local day", () => {
    const ny = tenant("America/New_York", "09:00");
    expect(due(ny, "2026-11-10T13:59:00Z")).toBeNull(); // 08:59 EST
    expect(due(ny, "2026-11-10T14:00:00Z")).toBe("2026-11-10");
    expect(due(ny, "2026-11-10T22:00:00Z")).toBe("2026-11-10");
    expect(due({ ...ny, lastLocalDate: "2026-11-10" }, "2026-11-10T22:00:00Z")).toBeNull();
  });

  it("does not make up a day every replica missed: the next nudge is the next day's, at its time", () => {
    const ny = tenant("America/New_York", "09:00", "2026-11-01");
    expect(due(ny, "2026-11-03T13:00:00Z")).toBeNull(); // 08:00 on the 3rd: the 2nd is gone
    expect(due(ny, "2026-11-03T14:00:00Z")).toBe("2026-11-03");
  });

  it("New York's spring-forward day: a 09:00 nudge an hour earlier in UTC, a 02:30 one at 03:00", () => {
    expect(due(tenant("America/New_York", "09:00"), "2026-03-08T12:59:00Z")).toBeNull();
    expect(due(tenant("America/New_York", "09:00"), "2026-03-08T13:00:00Z")).toBe("2026-03-08");
    // 02:30 never happens on 8 March: 01:59 EST is followed by 03:00 EDT.
    expect(due(tenant("America/New_York", "02:30"), "2026-03-08T06:59:00Z")).toBeNull();
    expect(due(tenant("America/New_York", "02:30"), "2026-03-08T07:00:00Z")).toBe("2026-03-08");
  });

  it("New York's fall-back day: 01:30 happens twice and is due at the first", () => {
    const early = tenant("America/New_York", "01:30");
    expect(due(early, "2026-11-01T05:29:00Z")).toBeNull();
    expect(due(early, "2026-11-01T05:30:00Z")).toBe("2026-11-01"); // 01:30 EDT
    expect(due({ ...early, lastLocalDate: "2026-11-01" }, "2026-11-01T06:30:00Z")).toBeNull(); // 01:30 EST
    expect(due(tenant("America/New_York", "09:00"), "2026-11-01T13:59:00Z")).toBeNull(); // 08:59 EST
    expect(due(tenant("America/New_York", "09:00"), "2026-11-01T14:00:00Z")).toBe("2026-11-01");
  });

  it("Auckland's spring-forward day and Kolkata's half-hour offset", () => {
    // 27 September 2026, NZDT from 02:00: 09:00 there is 20:00 UTC the day before.
    expect(due(tenant("Pacific/Auckland", "09:00"), "2026-09-26T19:59:00Z")).toBeNull();
    expect(due(tenant("Pacific/Auckland", "09:00"), "2026-09-26T20:00:00Z")).toBe("2026-09-27");
    expect(due(tenant("Asia/Kolkata", "09:00"), "2026-11-10T03:29:00Z")).toBeNull();
    expect(due(tenant("Asia/Kolkata", "09:00"), "2026-11-10T03:30:00Z")).toBe("2026-11-10");
  });

  it("a tenant at 00:30 is nudged for the new day, not the one before", () => {
    const night = tenant("America/New_York", "00:30", "2026-11-09");
    expect(due(night, "2026-11-10T05:29:00Z")).toBeNull(); // 00:29 on the 10th
    expect(due(night, "2026-11-10T05:30:00Z")).toBe("2026-11-10");
    expect(due(night, "2026-11-10T04:59:00Z")).toBeNull(); // 23:59 on the 9th, already nudged
  });
});

describe("reviveDigest", () => {
  it("brings back the dates a message stored as JSON", () => {
    const stored = JSON.parse(
      JSON.stringify({
        asOf: new Date("2026-11-02T14:00:00Z"),
        waiting: { items: [{ post: { postedAt: new Date("2026-11-01T10:00:00Z"), text: "2026-11-01" } }] },
      }),
    );
    const revived = reviveDigest(stored) as unknown as {
      asOf: Date;
      waiting: { items: { post: { postedAt: Date; text: string } }[] };
    };
    expect(revived.asOf).toEqual(new Date("2026-11-02T14:00:00Z"));
    expect(revived.waiting.items[0]?.post.postedAt).toEqual(new Date("2026-11-01T10:00:00Z"));
    expect(revived.waiting.items[0]?.post.text).toBe("2026-11-01");
  });
});
