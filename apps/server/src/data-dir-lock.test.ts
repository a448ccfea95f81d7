import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readFile, readlink, rm, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirBusy } from "./data-dir-lock.js";

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "touchpoint-lock-"));
  dirs.push(dir);
  return dir;
}

const LOCK_MODULE = fileURLToPath(new URL("./data-dir-lock.ts", import.meta.url));

interface Contender {
  readonly pid: number;
  /** "got", "busy <pid>" or "error …": its first line after it tried. */
  readonly outcome: Promise<string>;
  /** Resolves once it is loaded and waiting for go(). */
  readonly ready: Promise<void>;
  /** Tells it to try the lock now. */
  go(): void;
  /** Closes its standard input: a holder releases the lock and exits. */
  finish(): Promise<void>;
  /** Ends it at once, as a crash or an OOM kill would. */
  kill(): Promise<void>;
}

/**
 * Another process trying the lock once it is told to go (so that several try at the same moment,
 * not as each finishes loading); it holds what it got until its standard input closes.
 */
function contender(dir: string): Contender {
  const script = `
    const { acquireDataDirLock } = await import(${JSON.stringify(LOCK_MODULE)});
    const { createInterface } = await import("node:readline");
    const input = createInterface({ input: process.stdin });
    console.log("ready");
    await new Promise((resolve) => input.once("line", resolve));
    try {
      const lock = await acquireDataDirLock(${JSON.stringify(dir)});
      console.log("got");
      await new Promise((resolve) => input.once("close", resolve));
      await lock.release();
    } catch (e) {
      console.log(e.name === "DataDirBusy" ? "busy " + e.pid : "error " + e.message);
    }`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  children.push(child);
  const exited = once(child, "exit");
  const lines = createInterface({ input: child.stdout });
  const said: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  lines.on("line", (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else said.push(line);
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const line = said.shift();
      if (line !== undefined) return resolve(line);
      waiting.push(resolve);
      exited.then(() => reject(new Error("the contender exited without a word")));
    });
  const ready = nextLine().then((line) => {
    if (line !== "ready") throw new Error(`the contender said ${line}`);
  });
  const outcome = ready.then(nextLine);
  outcome.catch(() => undefined);
  return {
    pid: child.pid ?? 0,
    ready,
    go: () => child.stdin?.write("go\n"),
    outcome,
    finish: async () => {
      child.stdin?.end();
      await exited;
    },
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

async function startTogether(dir: string, count: number): Promise<Contender[]> {
  const contenders = Array.from({ length: count }, () => contender(dir));
  await Promise.all(contenders.map((c) => c.ready));
  for (const c of contenders) c.go();
  return contenders;
}

/** The lock file a holder writes, as another process on this machine would write it. */
async function holderFile(fields: { pid: number; startTicks: string | null; bootId?: string }): Promise<string> {
  return JSON.stringify({
    pid: fields.pid,
    startTicks: fields.startTicks,
    host: hostname(),
    bootId: fields.bootId ?? (await readFile("/proc/sys/kernel/random/boot_id", "utf8")).trim(),
    pidNamespace: await readlink("/proc/self/ns/pid"),
    nonce: "0123456789abcdef",
  });
}

async function startTicksOf(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
}

/** A pid that belonged to a process which has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await once(child, "exit");
  return child.pid ?? 0;
}

const busyPid = (error: unknown) => (error instanceof DataDirBusy ? error.pid : `not busy: ${String(error)}`);

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
    const contenders = await startTogether(dir, 4);
    const outcomes = await Promise.all(contenders.map((c) => c.outcome));
    expect(outcomes.filter((o) => o === "got")).toHaveLength(1);
    const holder = contenders[outcomes.indexOf("got")];
    expect(outcomes.filter((o) => o.startsWith("busy"))).toEqual([
      `busy ${holder?.pid}`,
      `busy ${holder?.pid}`,
      `busy ${holder?.pid}`,
    ]);
    await Promise.all(contenders.map((c) => c.finish()));
  });

  it("is refused while its holder runs, and taken at once after the holder is killed (kill -9)", async () => {
    const dir = await dataDir();
    const [holder] = await startTogether(dir, 1);
    if (!holder) throw new Error("no holder");
    expect(await holder.outcome).toBe("got");
    expect(busyPid(await acquireDataDirLock(dir).catch((e: unknown) => e))).toBe(holder.pid);

    await holder.kill();
    // The lock file is still there, freshly written: only the holder's pid says it is dead.
    expect(JSON.parse(await readFile(join(dir, "db.lock"), "utf8")).pid).toBe(holder.pid);
    const lock = await acquireDataDirLock(dir);
    expect(JSON.parse(await readFile(join(dir, "db.lock"), "utf8")).pid).toBe(process.pid);
    await lock.release();
  });

  it("takes over a lock whose pid is alive but belongs to a process started at another time (a reused pid)", async () => {
    const dir = await dataDir();
    const mine = await startTicksOf(process.pid);
    const reused = await holderFile({ pid: process.pid, startTicks: String(Number(mine) - 1) });
    await writeFile(join(dir, "db.lock"), reused);
    const lock = await acquireDataDirLock(dir);
    await lock.release();

    // The same pid with its real start time is that process, alive: refused.
    await writeFile(join(dir, "db.lock"), await holderFile({ pid: process.pid, startTicks: mine }));
    expect(busyPid(await acquireDataDirLock(dir).catch((e: unknown) => e))).toBe(process.pid);
  });

  it("gives a dead holder's lock to exactly one of several processes taking it over at once", async () => {
    for (let round = 0; round < 3; round++) {
      const dir = await dataDir();
      const dead = await deadPid();
      await writeFile(join(dir, "db.lock"), await holderFile({ pid: dead, startTicks: "1" }));
      const contenders = await startTogether(dir, 4);
      const outcomes = await Promise.all(contenders.map((c) => c.outcome));
      expect(outcomes.filter((o) => o === "got")).toHaveLength(1);
      expect(outcomes.filter((o) => o.startsWith("busy"))).toHaveLength(3);
      const winner = contenders[outcomes.indexOf("got")];
      expect(JSON.parse(await readFile(join(dir, "db.lock"), "utf8")).pid).toBe(winner?.pid);
      await Promise.all(contenders.map((c) => c.finish()));
    }
  });

  it("gets past a takeover left half-done by a process that died in it", async () => {
    const dir = await dataDir();
    await writeFile(join(dir, "db.lock"), await holderFile({ pid: await deadPid(), startTicks: "1" }));
    await writeFile(join(dir, "db.lock.takeover"), await holderFile({ pid: await deadPid(), startTicks: "1" }));
    const lock = await acquireDataDirLock(dir);
    await lock.release();
  });

  it("judges a holder in another container or boot by the lock's age: waits it out, and refuses one that keeps it fresh", async () => {
    const staleMs = 1500;
    const dir = await dataDir();
    const lockPath = join(dir, "db.lock");
    const elsewhere = await holderFile({ pid: await deadPid(), startTicks: "1", bootId: "another-boot" });
    // A live holder elsewhere: it refreshes the lock, as holders do, so it is refused after the wait.
    await writeFile(lockPath, elsewhere);
    const refresher = setInterval(() => void utimes(lockPath, new Date(), new Date()).catch(() => undefined), 300);
    const refusedAt = Date.now();
    try {
      expect(await acquireDataDirLock(dir, { staleMs }).catch((e: unknown) => e)).toBeInstanceOf(DataDirBusy);
    } finally {
      clearInterval(refresher);
    }
    expect(Date.now() - refusedAt).toBeGreaterThanOrEqual(staleMs);
    // Its holder gone (a container restarted into a new pid namespace): taken once it would be stale,
    // not refused at once as before.
    await writeFile(lockPath, elsewhere);
    const lock = await acquireDataDirLock(dir, { staleMs });
    expect(JSON.parse(await readFile(lockPath, "utf8"))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it("respects the lock of an older Touchpoint (a directory) while it is refreshed, and takes it once it is not", async () => {
    const staleMs = 1500;
    const dir = await dataDir();
    const lockPath = join(dir, "db.lock");
    await mkdir(lockPath);
    await writeFile(join(dir, "db.lock.pid"), "4242\n");
    const refresher = setInterval(() => void utimes(lockPath, new Date(), new Date()).catch(() => undefined), 300);
    try {
      expect(busyPid(await acquireDataDirLock(dir, { staleMs }).catch((e: unknown) => e))).toBe(4242);
    } finally {
      clearInterval(refresher);
    }
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(lockPath, longAgo, longAgo);
    const lock = await acquireDataDirLock(dir, { staleMs });
    await lock.release();
  });
});
