import { describe, expect, it } from "vitest";
import { runTouchpoint } from "../support/processes.js";
import { tempDir } from "../support/temp.js";

describe("pnpm demo, on the embedded default", () => {
  it("builds the sample organization and prints its relationships; a second run duplicates nothing", async () => {
    const dataDir = await tempDir("demo");
    const env = { TOUCHPOINT_DATA_DIR: dataDir };

    const first = await runTouchpoint(["demo"], env);
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("created the sample organization: Riverside Food Bank");
    expect(first.stdout).toContain("Imported 40 rows: 40 new, 0 updated, 0 unchanged.");
    expect(first.stdout).toContain("logged 14 touches through /touch");
    expect(first.stdout).toMatch(/40 contacts: 5 going cold · 1 due soon · 28 never touched · 6 in touch/);
    expect(first.stdout).toContain(
      "• Maria Chen · major donor · owner amy · 62 days since the last touch (cadence 30)",
    );
    expect(first.stdout).toContain("/contact show @janedoe");
    expect(first.stdout).toContain("last 90 days: 3 touches · 1 inbound · 2 outbound");

    const second = await runTouchpoint(["demo"], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("found the sample organization");
    expect(second.stdout).toContain("Imported 40 rows: 0 new, 0 updated, 40 unchanged.");
    expect(second.stdout).toContain("(14 already logged by an earlier run, not logged twice)");
    expect(second.stdout).toMatch(/40 contacts: 5 going cold/);
  });
});
