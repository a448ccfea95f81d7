import { describe, expect, it } from "vitest";
import { daysAgo, seedContact, seedTouch, world } from "../testing/builders.js";
import { listRelationships } from "./list-relationships.js";

describe("listRelationships", () => {
  it("puts overdue first, by how overdue × how important, then never touched, due and healthy", async () => {
    const w = await world();
    const add = async (name: string, segment: string | null, days: number | null) => {
      const contact = await seedContact(w, { name, segment });
      if (days !== null) await seedTouch(w, contact.id, { occurredAt: daysAgo(days) });
    };
    await add("Sam Supporter", "supporter", 200); // 200/90 = 2.2 × 2 = 4.4
    await add("Maria Major", "major donor", 40); // 40/30 = 1.33 × 5 = 6.7
    await add("Pat Press", "press", 70); // 70/60 = 1.17 × 3 = 3.5
    await add("Nia Never", "volunteer", null);
    await add("Bo Board", "board", null);
    await add("Dana Due", "donor", 50); // 50/60 = 0.83
    await add("Hal Healthy", "major donor", 3);

    const overview = await listRelationships(w.deps, { tenantId: w.tenantId });
    expect(overview.relationships.map((r) => [r.contact.name, r.status])).toEqual([
      ["Maria Major", "overdue"],
      ["Sam Supporter", "overdue"],
      ["Pat Press", "overdue"],
      ["Bo Board", "never"],
      ["Nia Never", "never"],
      ["Dana Due", "due"],
      ["Hal Healthy", "healthy"],
    ]);
    expect(overview.counts).toEqual({ overdue: 3, never: 2, due: 1, healthy: 1 });
    expect(overview.tenant.id).toBe(w.tenantId);
  });

  it("breaks ties by name", async () => {
    const w = await world();
    for (const name of ["Cy", "Al", "Bea"]) await seedContact(w, { name });
    const overview = await listRelationships(w.deps, { tenantId: w.tenantId });
    expect(overview.relationships.map((r) => r.contact.name)).toEqual(["Al", "Bea", "Cy"]);
  });

  it("judges by the latest touch that was not undone, and leaves out archived contacts", async () => {
    const w = await world();
    const jane = await seedContact(w, { name: "Jane", segment: "major donor" });
    await seedTouch(w, jane.id, { occurredAt: daysAgo(45) });
    const recent = await seedTouch(w, jane.id, { occurredAt: daysAgo(1) });
    await w.storage.withTenant(w.tenantId, (repos) => repos.touchpoints.undo(recent.id, new Date()));
    const gone = await seedContact(w, { name: "Gone" });
    await w.storage.withTenant(w.tenantId, (repos) => repos.contacts.update(gone.id, { archived: true }));

    const overview = await listRelationships(w.deps, { tenantId: w.tenantId });
    expect(overview.relationships).toHaveLength(1);
    expect(overview.relationships[0]).toMatchObject({ status: "overdue", daysSince: 45, recent: null });
  });

  it("uses the tenant's time zone and cadences", async () => {
    const w = await world({ now: "2026-03-10T11:30:00Z", timeZone: "Pacific/Auckland" });
    await w.storage.withTenant(w.tenantId, (repos) =>
      repos.tenant.update({ settings: { cadenceBySegment: { donor: 1 } } }),
    );
    const jane = await seedContact(w, { name: "Jane", segment: "donor" });
    await seedTouch(w, jane.id, { occurredAt: new Date("2026-03-09T10:30:00Z") }); // 23:30 on the 9th in Auckland
    const [only] = (await listRelationships(w.deps, { tenantId: w.tenantId })).relationships;
    expect(only).toMatchObject({ daysSince: 2, cadenceDays: 1, status: "overdue" });
  });

  it("is empty for a tenant with no contacts", async () => {
    const w = await world();
    const overview = await listRelationships(w.deps, { tenantId: w.tenantId });
    expect(overview.relationships).toEqual([]);
    expect(overview.counts).toEqual({ overdue: 0, never: 0, due: 0, healthy: 0 });
  });
});
