import { describe, expect, it } from "vitest";
import { UnknownContact } from "../errors.js";
import {
  byHandle,
  daysAgo,
  seedContact,
  seedTouch,
  unwrap,
  unwrapErr,
  type World,
  world,
  xId,
} from "../testing/builders.js";
import { summarizeRelationship } from "./summarize-relationship.js";

async function withJane(options: { timeZone?: string; now?: string } = {}, cadenceDays: number | null = 30) {
  const w = await world(options);
  const jane = await seedContact(w, { name: "Jane Doe", segment: "donor", cadenceDays, identities: [xId("janedoe")] });
  return { w, jane };
}

const summarize = (w: World, recentLimit?: number) =>
  summarizeRelationship(w.deps, { tenantId: w.tenantId, who: byHandle("janedoe"), recentLimit });

describe("summarizeRelationship", () => {
  it("says never for a contact never touched", async () => {
    const { w, jane } = await withJane();
    const detail = unwrap(await summarize(w));
    expect(detail).toEqual({
      summary: {
        contact: jane,
        lastTouch: null,
        daysSince: null,
        cadenceDays: 30,
        overdueRatio: null,
        status: "never",
        recent: { total: 0, inbound: 0, outbound: 0 },
      },
      recentTouches: [],
      timeZone: "UTC",
    });
  });

  it.each([
    [10, "healthy"],
    [24, "due"],
    [30, "due"],
    [31, "overdue"],
  ] as const)("%i days after the last touch, with a 30-day cadence, is %s", async (days, status) => {
    const { w, jane } = await withJane();
    await seedTouch(w, jane.id, { occurredAt: daysAgo(days), note: "gala seating" });
    const { summary } = unwrap(await summarize(w));
    expect(summary).toMatchObject({ status, daysSince: days, cadenceDays: 30 });
    expect(summary.lastTouch).toEqual({
      occurredAt: daysAgo(days),
      channel: "call",
      direction: "outbound",
      note: "gala seating",
    });
  });

  it("uses the tenant's cadence for the segment when the contact has none", async () => {
    const { w, jane } = await withJane({}, null);
    await w.storage.withTenant(w.tenantId, (repos) =>
      repos.tenant.update({ settings: { cadenceBySegment: { donor: 20 } } }),
    );
    await seedTouch(w, jane.id, { occurredAt: daysAgo(21) });
    expect(unwrap(await summarize(w)).summary).toMatchObject({ cadenceDays: 20, status: "overdue" });
  });

  it("counts days since in calendar days of the tenant's time zone", async () => {
    // The touch was at 23:30 on 10 March in Auckland; it is now 00:30 on 11 March there.
    const now = "2026-03-10T11:30:00Z";
    const auckland = await withJane({ now, timeZone: "Pacific/Auckland" });
    const utc = await withJane({ now });
    for (const { w, jane } of [auckland, utc])
      await seedTouch(w, jane.id, { occurredAt: new Date("2026-03-10T10:30:00Z") });
    expect(unwrap(await summarize(auckland.w))).toMatchObject({
      summary: { daysSince: 1 },
      timeZone: "Pacific/Auckland",
    });
    expect(unwrap(await summarize(utc.w))).toMatchObject({ summary: { daysSince: 0 }, timeZone: "UTC" });
  });

  it("counts inbound and outbound touches of the last 90 days, ignoring older and undone ones", async () => {
    const { w, jane } = await withJane();
    await seedTouch(w, jane.id, { occurredAt: daysAgo(2), channel: "donation", direction: "inbound" });
    await seedTouch(w, jane.id, { occurredAt: daysAgo(30), channel: "call", direction: "outbound" });
    await seedTouch(w, jane.id, { occurredAt: daysAgo(89), channel: "email", direction: "outbound" });
    await seedTouch(w, jane.id, { occurredAt: daysAgo(91), channel: "x_mention", direction: "inbound" });
    const undone = await seedTouch(w, jane.id, { occurredAt: daysAgo(1), channel: "x_mention", direction: "inbound" });
    await w.storage.withTenant(w.tenantId, (repos) => repos.touchpoints.undo(undone.id, new Date()));

    const { summary } = unwrap(await summarize(w));
    expect(summary.recent).toEqual({ total: 3, inbound: 1, outbound: 2 });
    expect(summary.daysSince).toBe(2);
  });

  it("lists the most recent touches first, as many as asked for", async () => {
    const { w, jane } = await withJane();
    const notes = ["a", "b", "c", "d", "e", "f", "g"];
    for (const [i, note] of notes.entries()) await seedTouch(w, jane.id, { occurredAt: daysAgo(i + 1), note });
    expect(unwrap(await summarize(w)).recentTouches.map((t) => t.note)).toEqual(["a", "b", "c", "d", "e"]);
    expect(unwrap(await summarize(w, 2)).recentTouches.map((t) => t.note)).toEqual(["a", "b"]);
  });

  it("says UnknownContact for nobody", async () => {
    const { w } = await withJane();
    const result = await summarizeRelationship(w.deps, { tenantId: w.tenantId, who: byHandle("nobody") });
    expect(unwrapErr(result)).toBeInstanceOf(UnknownContact);
  });
});
