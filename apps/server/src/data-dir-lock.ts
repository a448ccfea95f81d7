import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";

export class DataDirBusy extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by process ${pid} (is \`pnpm start\` running?); ` +
        "stop it, use another TOUCHPOINT_DATA_DIR, or set DATABASE_URL to share a PostgreSQL server",
    );
    this.name = "DataDirBusy";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite is one process's database: two processes opening the same files would corrupt them.
 * A pid file guards the data directory; a lock left by a process that died is taken over.
 */
export async function acquireDataDirLock(dataDir: string): Promise<{ release(): Promise<void> }> {
  const path = join(dataDir, "db.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, "wx");
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new DataDirBusy(dataDir, pid);
      await rm(path, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
