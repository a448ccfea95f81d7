import { type FreshDatabase, freshDatabase } from "@touchpoint/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chaosProblems, describeChaos, runChaos } from "../support/chaos.js";

/**
 * A few kill -9s of a real `touchpoint serve` on PostgreSQL while staff log touches, nudges go out
 * and mentions come in (`pnpm bench chaos` does hundreds): nothing confirmed is lost, nothing doubled.
 */
let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe("kill -9 at random moments, on PostgreSQL", () => {
  it("loses and doubles nothing, and every restart succeeds", { timeout: 240_000 }, async () => {
    const report = await runChaos({
      database: { kind: "postgres", appUrl: database.appUrl, adminUrl: database.adminUrl },
      kills: 4,
      tenants: 3,
      contactsPerTenant: 4,
      staff: 4,
      upMs: [500, 2500],
    });
    expect(report.kills).toBe(4);
    expect(chaosProblems(report), describeChaos("PostgreSQL", report)).toEqual([]);
  });
});
