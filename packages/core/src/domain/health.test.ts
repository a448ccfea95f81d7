import { describe, expect, it } from "vitest";
import type { Contact } from "./contact.js";
import { assessRelationship, type LastTouch } from "./health.js";
import { calendarDaysBetween } from "./when.js";

const NOW = new Date("2026-03-10T15:00:00Z");

function contact(overrides: Partial<Contact> = {}): Contact {
  return {
    id: "c1",
    tenantId: "t1",
    name: "Jane Doe",
    segment: "major donor",
    tags: [],
    owner: null,
    cadenceDays: null,
    notes: null,
    archived: false,
    identities: [],
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

const touchedAt = (iso: string): LastTouch => ({
  occurredAt: new Date(iso),
  channel: "call",
  direction: "outbound",
  note: "gala seating",
});

const assess = (lastTouch: LastTouch | null, cadenceDays = 30, timeZone = "UTC", now = NOW) =>
  assessRelationship({ contact: contact(), lastTouch, cadenceDays, recent: null, now, timeZone });

describe("calendarDaysBetween", () => {
  it("counts calendar days, not 24-hour periods", () => {
    expect(calendarDaysBetween(new Date("2026-03-09T23:59:00Z"), new Date("2026-03-10T00:01:00Z"), "UTC")).toBe(1);
    expect(calendarDaysBetween(new Date("2026-03-10T00:01:00Z"), new Date("2026-03-10T23:59:00Z"), "UTC")).toBe(0);
  });

  it("counts in the given time zone", () => {
    // 23:30 and 00:30 in Auckland, across midnight there; both on 10 March in UTC.
    const earlier = new Date("2026-03-10T10:30:00Z");
    const later = new Date("2026-03-10T11:30:00Z");
    expect(calendarDaysBetween(earlier, later, "Pacific/Auckland")).toBe(1);
    expect(calendarDaysBetween(earlier, later, "UTC")).toBe(0);
  });

  it("stays whole across a daylight-saving change", () => {
    expect(
      calendarDaysBetween(new Date("2026-03-07T17:00:00Z"), new Date("2026-03-09T16:00:00Z"), "America/New_York"),
    ).toBe(2);
  });
});

describe("assessRelationship", () => {
  it("says never for a contact never touched", () => {
    expect(assess(null)).toMatchObject({
      status: "never",
      daysSince: null,
      overdueRatio: null,
      cadenceDays: 30,
      lastTouch: null,
    });
  });

  it("is healthy below 80% of the cadence", () => {
    expect(assess(touchedAt("2026-02-15T12:00:00Z"))).toMatchObject({ status: "healthy", daysSince: 23 });
  });

  it("is due from 80% of the cadence up to the cadence itself", () => {
    expect(assess(touchedAt("2026-02-14T12:00:00Z"))).toMatchObject({
      status: "due",
      daysSince: 24,
      overdueRatio: 0.8,
    });
    expect(assess(touchedAt("2026-02-08T12:00:00Z"))).toMatchObject({ status: "due", daysSince: 30, overdueRatio: 1 });
  });

  it("is overdue past the cadence", () => {
    const summary = assess(touchedAt("2026-02-07T12:00:00Z"));
    expect(summary).toMatchObject({ status: "overdue", daysSince: 31 });
    expect(summary.overdueRatio).toBeCloseTo(31 / 30);
  });

  it("counts days since in the tenant's time zone", () => {
    const lastTouch = touchedAt("2026-03-10T10:30:00Z");
    const now = new Date("2026-03-10T11:30:00Z");
    expect(assess(lastTouch, 30, "Pacific/Auckland", now).daysSince).toBe(1);
    expect(assess(lastTouch, 30, "UTC", now).daysSince).toBe(0);
  });

  it("never counts a touch in the future as negative days", () => {
    expect(assess(touchedAt("2026-03-12T12:00:00Z"))).toMatchObject({ daysSince: 0, status: "healthy" });
  });

  it("passes the contact, the last touch and the recent counts through", () => {
    const lastTouch = touchedAt("2026-03-01T12:00:00Z");
    const recent = { total: 3, inbound: 1, outbound: 2 };
    const summary = assessRelationship({
      contact: contact(),
      lastTouch,
      cadenceDays: 60,
      recent,
      now: NOW,
      timeZone: "UTC",
    });
    expect(summary).toEqual({
      contact: contact(),
      lastTouch,
      daysSince: 9,
      cadenceDays: 60,
      overdueRatio: 9 / 60,
      status: "healthy",
      recent,
    });
  });
});
