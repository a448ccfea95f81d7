import { describe, expect, it } from "vitest";
import { chaosProblems, describeChaos, runChaos } from "../support/chaos.js";

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
    expect(report.kills).toBe(4);
    expect(chaosProblems(report), describeChaos("embedded PGlite", report)).toEqual([]);
  });
});
