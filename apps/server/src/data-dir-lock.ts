import { randomBytes } from "node:crypto";
import { link, lstat, readFile, readlink, rmdir, unlink, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";

/**
 * How long a holder we cannot check by its pid (another machine or container, or no /proc) may
 * go without refreshing the lock before it counts as dead. Holders refresh every half of it.
 */
const STALE_MS = 10_000;
/** Takeovers lost to a process that got there first, before we say the directory is busy. */
const MAX_ATTEMPTS = 5;

export class DataDirBusy extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number | undefined,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by ${pid ? `process ${pid}` : "another process"} ` +
        "(is `pnpm start` running?); stop it, use another TOUCHPOINT_DATA_DIR, or set DATABASE_URL to share a " +
        "PostgreSQL server.",
    );
    this.name = "DataDirBusy";
  }
}

/** Who holds a lock, as the holder wrote it: enough for another process to tell whether it still runs. */
interface Holder {
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks after boot): a reused pid has another one. */
  readonly startTicks: string | null;
  /** The pid means this process only on the same machine, boot and pid namespace. */
  readonly host: string;
  readonly bootId: string | null;
  readonly pidNamespace: string | null;
  /** Tells two holdings by the same process apart, so a takeover never removes a newer one. */
  readonly nonce: string;
}

interface Machine {
  readonly host: string;
  readonly bootId: string | null;
  readonly pidNamespace: string | null;
  readonly hasProc: boolean;
}

let machine: Promise<Machine> | undefined;
function thisMachine(): Promise<Machine> {
  machine ??= (async () => {
    const bootId = await readFile("/proc/sys/kernel/random/boot_id", "utf8").then(
      (text) => text.trim(),
      () => null,
    );
    const pidNamespace = await readlink("/proc/self/ns/pid").catch(() => null);
    const hasProc = (await processStart(process.pid)) !== "gone";
    return { host: hostname(), bootId, pidNamespace, hasProc };
  })();
  return machine;
}

/**
 * A process's start time from /proc/<pid>/stat, "gone" when it has no entry or is a zombie (it
 * holds no files any more), undefined where /proc cannot say.
 */
async function processStart(pid: number): Promise<string | "gone" | undefined> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, "utf8");
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? "gone" : undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces or parentheses of its own.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  if (state === "Z" || state === "X" || state === "x") return "gone";
  return fields[19]; // field 22 overall: fields[0] is field 3
}

function pidIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

async function describeSelf(): Promise<Holder> {
  const here = await thisMachine();
  const start = here.hasProc ? await processStart(process.pid) : undefined;
  return {
    pid: process.pid,
    startTicks: typeof start === "string" && start !== "gone" ? start : null,
    host: here.host,
    bootId: here.bootId,
    pidNamespace: here.pidNamespace,
    nonce: randomBytes(8).toString("hex"),
  };
}

/** What is at a lock path: its raw text (compared before a takeover), its holder, and when it was refreshed. */
interface Found {
  readonly raw: string;
  readonly holder: Holder | undefined;
  /** The holder's pid, for the message the next process sees. */
  readonly pid: number | undefined;
  readonly refreshedAt: number;
  /** A directory: the lock of a Touchpoint from before holders were recorded (proper-lockfile's). */
  readonly legacy: boolean;
}

async function inspect(path: string): Promise<Found | undefined> {
  try {
    const stats = await lstat(path);
    if (stats.isDirectory()) {
      // Its pid sat in a file beside it, and only named the holder: such a lock expires by age alone.
      const pid = Number((await readFile(`${path}.pid`, "utf8").catch(() => "")).trim());
      return {
        raw: `directory ${stats.mtimeMs}`,
        holder: undefined,
        pid: Number.isInteger(pid) && pid > 0 ? pid : undefined,
        refreshedAt: stats.mtimeMs,
        legacy: true,
      };
    }
    const raw = await readFile(path, "utf8");
    const holder = parseHolder(raw);
    return { raw, holder, pid: holder?.pid, refreshedAt: stats.mtimeMs, legacy: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function parseHolder(raw: string): Holder | undefined {
  try {
    const value = JSON.parse(raw) as Partial<Holder>;
    return Number.isInteger(value.pid) && typeof value.nonce === "string" ? (value as Holder) : undefined;
  } catch {
    return undefined; // a holder file cut short is treated like an unknown holder: by its age
  }
}

/**
 * Whether the process that wrote `found` has ended: "gone", "alive", or "by age" while its lock is
 * fresh but only its age can tell. On this machine, boot and pid namespace its pid says so at once:
 * no such process, a zombie, or a process that started at another time (the pid was reused). Where
 * that cannot be checked (no /proc, so a live pid may be another program; or a holder in another
 * container — a restarted container has a new pid namespace — or on another machine sharing the
 * directory), a lock its holder stopped refreshing for `staleMs` counts as gone.
 */
async function holderVerdict(found: Found, staleMs: number): Promise<"gone" | "alive" | "by age"> {
  const byAge = Date.now() - found.refreshedAt > staleMs ? "gone" : "by age";
  const holder = found.holder;
  if (!holder) return byAge;
  const here = await thisMachine();
  const sameMachine =
    holder.host === here.host && holder.bootId === here.bootId && holder.pidNamespace === here.pidNamespace;
  if (!sameMachine) return byAge;
  if (here.hasProc) {
    const start = await processStart(holder.pid);
    if (start === "gone") return "gone";
    if (start !== undefined && holder.startTicks !== null) return start !== holder.startTicks ? "gone" : "alive";
    return byAge;
  }
  return pidIsGone(holder.pid) ? "gone" : byAge;
}

/** Writes `content` whole under a temporary name, then links it into place: it appears complete or not at all. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const draft = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(draft, content, { mode: 0o600 });
  try {
    await link(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

/** Who a lock names, whatever its refreshes: an older Touchpoint's directory names no one. */
const holderOf = (found: Found) => (found.legacy ? "an older Touchpoint's lock directory" : found.raw);

type Takeover = { readonly kind: "removed" | "changed" } | { readonly kind: "busy"; readonly pid: number | undefined };

/**
 * Removes the dead holder's lock at `path`, if it is still exactly `found`. Takeovers of one path
 * go one at a time, through a marker made the same exclusive way as the lock: two processes that
 * both saw the same dead holder cannot both remove a lock, because the second, once it has the
 * marker, finds the first one's lock there instead and stops. A marker left by a taker that died
 * is itself taken over the same way.
 */
async function takeOver(path: string, found: Found, self: Holder, staleMs: number): Promise<Takeover> {
  const marker = `${path}.takeover`;
  for (let attempt = 0; ; attempt++) {
    if (await createExclusive(marker, JSON.stringify(self))) break;
    const other = await inspect(marker);
    if (!other) continue;
    if (attempt >= MAX_ATTEMPTS || (await holderVerdict(other, staleMs)) !== "gone") {
      return { kind: "busy", pid: other.pid };
    }
    const cleared = await takeOver(marker, other, self, staleMs);
    if (cleared.kind === "busy") return cleared;
  }
  try {
    const now = await inspect(path);
    if (now?.raw !== found.raw) return { kind: "changed" };
    if (found.legacy) await rmdir(path);
    else await unlink(path);
    return { kind: "removed" };
  } finally {
    await unlink(marker).catch(() => undefined);
  }
}

export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * PGlite is one process's database: two processes opening the same files would corrupt them.
 * The lock is a file naming its holder (pid, start time, machine), created whole and exclusively
 * (written aside, then hard-linked into place). A holder that is gone — killed, crashed — is
 * taken over at once; a live one refuses the next process with its pid.
 */
export async function acquireDataDirLock(
  dataDir: string,
  options: {
    readonly onCompromised?: (error: Error) => void;
    /** Tests: a shorter time without refreshing after which a holder only its age can judge is gone. */
    readonly staleMs?: number;
  } = {},
): Promise<DataDirLock> {
  const staleMs = options.staleMs ?? STALE_MS;
  const path = join(dataDir, "db.lock");
  const self = await describeSelf();
  const raw = JSON.stringify(self);
  let waitedOut: Found | undefined;
  for (let attempt = 0; ; attempt++) {
    if (await createExclusive(path, raw)) break;
    const found = await inspect(path);
    if (!found) continue; // released between our attempt and our look: try again
    const verdict = attempt >= MAX_ATTEMPTS ? "alive" : await holderVerdict(found, staleMs);
    if (verdict === "by age" && (waitedOut === undefined || holderOf(waitedOut) !== holderOf(found))) {
      // Only its age can tell (a container restarted into a new pid namespace, say): wait until it
      // would be stale. A holder that refreshed it meanwhile is alive; one that didn't is gone.
      waitedOut = found;
      await new Promise((resolve) => setTimeout(resolve, found.refreshedAt + staleMs + 100 - Date.now()));
      attempt -= 1;
      continue;
    }
    if (verdict !== "gone") throw new DataDirBusy(dataDir, found.pid);
    const takeover = await takeOver(path, found, self, staleMs);
    if (takeover.kind === "busy") throw new DataDirBusy(dataDir, takeover.pid);
  }
  // The pid file of a Touchpoint from before holders were recorded in the lock, if one was left.
  await unlink(`${path}.pid`).catch(() => undefined);

  const onCompromised =
    options.onCompromised ??
    ((error: Error) => {
      // Another process has these files now: carrying on would corrupt them.
      throw error;
    });
  // Refreshed for the processes that can only judge this one by the lock's age.
  const refresh = setInterval(() => {
    void (async () => {
      const now = await inspect(path).catch(() => undefined);
      if (now?.raw !== raw) {
        clearInterval(refresh);
        return onCompromised(new Error(`the lock on the embedded database in ${dataDir} was taken by another process`));
      }
      const at = new Date();
      await utimes(path, at, at).catch(() => undefined);
    })();
  }, staleMs / 2);
  refresh.unref();

  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(refresh);
      const now = await inspect(path);
      if (now?.raw === raw) await unlink(path);
    },
  };
}
