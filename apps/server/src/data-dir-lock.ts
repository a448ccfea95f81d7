import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import lockfile from "proper-lockfile";

/** A lock not refreshed for this long belongs to a process that died; the next one may take it. */
const STALE_MS = 10_000;

export class DataDirBusy extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number | undefined,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by ${pid ? `process ${pid}` : "another process"} ` +
        "(is `pnpm start` running?); stop it, use another TOUCHPOINT_DATA_DIR, or set DATABASE_URL to share a " +
        `PostgreSQL server. A lock left by a process that died expires within ${STALE_MS / 1000} s.`,
    );
    this.name = "DataDirBusy";
  }
}

/**
 * PGlite is one process's database: two processes opening the same files would corrupt them.
 * The lock is a directory made atomically (proper-lockfile), kept fresh while held; the pid file
 * beside it only names the holder in the message the next process sees.
 */
export async function acquireDataDirLock(dataDir: string): Promise<{ release(): Promise<void> }> {
  const lockPath = join(dataDir, "db.lock");
  const pidPath = join(dataDir, "db.lock.pid");
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dataDir, { lockfilePath: lockPath, stale: STALE_MS, retries: 0, realpath: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    const pid = Number((await readFile(pidPath, "utf8").catch(() => "")).trim());
    throw new DataDirBusy(dataDir, Number.isInteger(pid) && pid > 0 ? pid : undefined);
  }
  await writeFile(pidPath, `${process.pid}\n`);
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await rm(pidPath, { force: true });
      await release();
    },
  };
}
