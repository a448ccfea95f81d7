import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { runTouchpoint, spawnCli, startTouchpoint } from "../support/processes.js";
import { tempDir } from "../support/temp.js";

describe("touchpoint serve, on the embedded default", () => {
  it("migrates, answers /healthz and /readyz, holds the data dir, and stops cleanly on SIGTERM", async () => {
    const dataDir = await tempDir("serve");
    const server = await startTouchpoint({ TOUCHPOINT_DATA_DIR: dataDir });
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: "ready" });

      // A second process on the same embedded files is refused, not allowed to corrupt them.
      const cli = await runTouchpoint(["tenants", "list"], { TOUCHPOINT_DATA_DIR: dataDir });
      expect(cli.code).toBe(1);
      expect(cli.stderr).toMatch(/is in use by process \d+/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.logs()).toContain('"msg":"shutting down"');
  });

  it("drains and exits 0 on a SIGTERM that comes while it is still starting", async () => {
    const child = spawnCli(["serve"], {
      PORT: "0",
      HOST: "127.0.0.1",
      TOUCHPOINT_DATA_DIR: await tempDir("serve-early-stop"),
    });
    let logs = "";
    const exited = once(child, "exit") as Promise<[number | null, string | null]>;
    // A fresh data directory: migrations are the first thing it says, long before it serves.
    await new Promise<void>((resolve) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        logs += chunk.toString();
        if (logs.includes("applying migrations")) resolve();
      });
    });
    expect(logs).not.toContain("touchpoint is serving");
    child.kill("SIGTERM");
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(logs).toContain('"msg":"touchpoint is serving"');
    expect(logs).toContain('"msg":"shutting down"');
  });

  it("stops at start-up with one line per bad variable", async () => {
    const cli = await runTouchpoint(["serve"], { PORT: "eighty", DATABASE_URL: "postgres://x@localhost/db" });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('PORT: needs a port number (got "eighty")');
    expect(cli.stderr).toContain("TOUCHPOINT_ENCRYPTION_KEY: required with DATABASE_URL");
  });
});
