import { describe, expect, it } from "vitest";
import { describeChaos, runChaos } from "../support/chaos.js";

/**
 * A few kill -9s of a real `touchpoint serve` on the embedded database (PGlite in its data
 * directory) while staff log touches, nudges go out and mentions come in (`pnpm bench chaos` does
 * hundreds): nothing confirmed is lost, nothing doubled, and each restart takes over at once.
 */
describe("kill -9 at random moments, on the embedded database", () => {
  it("loses and doubles nothing, and every restart succeeds", { timeout: 240_000 }, async () => {
    const report = await runChaos({
      database: { kind: "embedded" },
      kills: 4,
      tenants: 3,
      contactsPerTenant: 4,
      staff: 4,
      upMs: [500, 2500],
    });
    const summary = describeChaos("embedded PGlite", report);
    expect(report.kills, summary).toBe(4);
    expect(report.failedRestarts, summary).toEqual([]);
    expect(report.commands.confirmed, summary).toBe(report.commands.sent);
    expect(report.commands.sent, summary).toBeGreaterThan(0);
    expect(report.touches, summary).toMatchObject({ lost: 0, doubled: 0, stored: report.commands.sent });
    expect(report.mentions, summary).toMatchObject({ lost: 0, doubled: 0 });
    expect(report.mentionTouches.stored, summary).toBe(report.mentionTouches.expected);
    expect(report.nudges, summary).toMatchObject({
      notSent: 0,
      doubled: 0,
      missing: 0,
      tenantsWithoutDaily: 0,
      tenantsWithoutWelcome: 0,
    });
  });
});
