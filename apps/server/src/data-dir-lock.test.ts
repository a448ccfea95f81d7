import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirBusy } from "./data-dir-lock.js";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "touchpoint-lock-"));
  dirs.push(dir);
  return dir;
}

const LOCK_MODULE = fileURLToPath(new URL("./data-dir-lock.ts", import.meta.url));

/** Another process trying the lock at the same moment; prints "got" or "busy", holds it a while. */
function contender(dir: string) {
  const script = `
    const { acquireDataDirLock } = await import(${JSON.stringify(LOCK_MODULE)});
    try {
      const lock = await acquireDataDirLock(${JSON.stringify(dir)});
      console.log("got");
      await new Promise((r) => setTimeout(r, 1500));
      await lock.release();
    } catch (e) {
      console.log(e.name === "DataDirBusy" ? "busy" : "error " + e.message);
    }`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  return once(child, "exit").then(() => out.trim());
}

describe("the embedded data directory lock", () => {
  it("lets one holder in at a time, names it to the next, and can be taken again once released", async () => {
    const dir = await dataDir();
    const lock = await acquireDataDirLock(dir);
    const error = await acquireDataDirLock(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirBusy);
    expect((error as DataDirBusy).message).toContain(`in use by process ${process.pid}`);
    await lock.release();
    await (await acquireDataDirLock(dir)).release();
  });

  it("goes to exactly one of several processes starting at once", async () => {
    const dir = await dataDir();
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => contender(dir)));
    expect(outcomes.filter((o) => o === "got")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "busy")).toHaveLength(3);
  });

  it("takes over a lock its holder stopped refreshing (the process died)", async () => {
    const dir = await dataDir();
    await mkdir(join(dir, "db.lock"));
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(join(dir, "db.lock"), longAgo, longAgo);
    const lock = await acquireDataDirLock(dir);
    await lock.release();
  });
});
