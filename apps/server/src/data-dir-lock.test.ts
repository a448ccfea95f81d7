import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirBusy } from "./data-dir-lock.js";

describe("the embedded data directory lock", () => {
  it("lets one process in at a time and names the one holding it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "touchpoint-lock-"));
    // Another live process holds it.
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      await writeFile(join(dir, "db.lock"), `${other.pid}\n`);
      const error = await acquireDataDirLock(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataDirBusy);
      expect((error as DataDirBusy).message).toContain(`process ${other.pid}`);
    } finally {
      other.kill();
    }
  });

  it("takes over a lock left by a process that died, and releases it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "touchpoint-lock-"));
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => dead.on("exit", resolve));
    await writeFile(join(dir, "db.lock"), `${dead.pid}\n`);
    const lock = await acquireDataDirLock(dir);
    expect((await readFile(join(dir, "db.lock"), "utf8")).trim()).toBe(String(process.pid));
    await lock.release();
    const again = await acquireDataDirLock(dir);
    await again.release();
  });
});
