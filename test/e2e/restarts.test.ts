import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { loadEnv, openDatabase } from "@touchpoint/server/testing";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runTouchpoint, startTouchpoint } from "../support/processes.js";
import { tempDir } from "../support/temp.js";

const holderPid = async (dataDir: string) => JSON.parse(await readFile(join(dataDir, "db.lock"), "utf8")).pid as number;

interface Writer {
  /** The tenant count it found on opening the database. */
  readonly opened: Promise<number>;
  /** Resolves with the last count it said was committed, once it has said at least `count`. */
  committed(count: number): Promise<number>;
  /** kill -9, and wait for it to be gone. */
  kill(): Promise<void>;
}

/** test/support/embedded-writer.ts in its own process: tenants created one commit at a time. */
function startWriter(dataDir: string): Writer {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=@touchpoint/source", "test/support/embedded-writer.ts", dataDir],
    { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = once(child, "exit");
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const failed = exited.then(() => {
    throw new Error(`the writer exited early:\n${stderr}`);
  });
  failed.catch(() => undefined);
  let last = 0;
  const waiting: { count: number; resolve: (n: number) => void }[] = [];
  let resolveOpened: (n: number) => void = () => {};
  const opened = new Promise<number>((resolve) => {
    resolveOpened = resolve;
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    const [word, count] = line.split(" ");
    if (word === "opened") resolveOpened(Number(count));
    if (word !== "committed") return;
    last = Number(count);
    for (const waiter of waiting.filter((w) => last >= w.count)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(last);
    }
  });
  return {
    opened: Promise.race([opened, failed]),
    committed: (count) =>
      Promise.race([new Promise<number>((resolve) => waiting.push({ count, resolve })), failed]).then(() => last),
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

describe("restarts on the embedded default", () => {
  it("serve starts again at once after kill -9, and a live server still refuses a second process", async () => {
    const dataDir = await tempDir("restart");
    const first = await startTouchpoint({ TOUCHPOINT_DATA_DIR: dataDir });
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    const firstPid = await holderPid(dataDir);
    first.kill();
    expect(await first.exited).toBeNull();

    // The dead server's lock is still there: the next start takes it over instead of waiting.
    expect(await holderPid(dataDir)).toBe(firstPid);
    const second = await startTouchpoint({ TOUCHPOINT_DATA_DIR: dataDir });
    try {
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
      const secondPid = await holderPid(dataDir);
      expect(secondPid).not.toBe(firstPid);
      const refused = await runTouchpoint(["tenants", "list"], { TOUCHPOINT_DATA_DIR: dataDir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`is in use by process ${secondPid}`);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it("keeps every commit PGlite confirmed through kill -9 mid-write, and opens again at once each time", async () => {
    const dataDir = await tempDir("crash");
    let confirmed = 0;
    for (let kill = 1; kill <= 3; kill++) {
      const writer = startWriter(dataDir);
      // Opening right after the last kill: the lock is taken over, and every confirmed commit is there.
      expect(await writer.opened).toBeGreaterThanOrEqual(confirmed);
      confirmed = await writer.committed(confirmed + 15 * kill);
      await writer.kill();
    }
    const database = await openDatabase(loadEnv({ TOUCHPOINT_DATA_DIR: dataDir }), () => {});
    try {
      const tenants = await database.storage.tenants.list();
      // At most the one commit in flight when it was killed may have landed beyond what was confirmed.
      expect(tenants.length).toBeGreaterThanOrEqual(confirmed);
      expect(tenants.length).toBeLessThanOrEqual(confirmed + 1);
      expect(new Set(tenants.map((t) => t.externalId)).size).toBe(tenants.length);
    } finally {
      await database.close();
    }
  });
});
