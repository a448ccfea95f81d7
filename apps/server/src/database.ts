import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Storage } from "@touchpoint/core";
import { createDb, createSecretBox, createStorage, type DatabaseHandle, migrate } from "@touchpoint/db";
import { acquireDataDirLock } from "./data-dir-lock.js";
import type { Env } from "./env.js";
import type { Logger } from "./logger.js";
import { loadEncryptionKey } from "./secrets.js";

export interface OpenDatabase {
  readonly handle: DatabaseHandle;
  readonly storage: Storage;
  /** "PGlite at ./.touchpoint" or "PostgreSQL at host:5432/db": for banners, never with a password. */
  readonly description: string;
  close(): Promise<void>;
}

/**
 * Opens the database the environment names (PostgreSQL with DATABASE_URL, else embedded PGlite
 * in TOUCHPOINT_DATA_DIR), applying any pending migrations first: on PostgreSQL as the admin user
 * and under an advisory lock, so replicas starting together migrate once.
 */
export async function openDatabase(
  env: Env,
  logger: Logger,
  options: { readonly migrate?: boolean } = {},
): Promise<OpenDatabase> {
  const key = await loadEncryptionKey(env, logger);
  const secrets = createSecretBox(key);
  const shouldMigrate = options.migrate ?? true;

  if (env.DATABASE_URL) {
    const appUrl = env.DATABASE_URL;
    if (shouldMigrate) await migratePostgres(appUrl, env.DATABASE_ADMIN_URL ?? appUrl, logger);
    const handle = await createDb({ kind: "postgres", url: appUrl });
    return {
      handle,
      storage: createStorage(handle.db, { secrets }),
      description: `PostgreSQL at ${describeUrl(appUrl)}`,
      close: () => handle.close(),
    };
  }

  const dataDir = resolve(env.TOUCHPOINT_DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const lock = await acquireDataDirLock(dataDir);
  try {
    const handle = await createDb({ kind: "embedded", dataDir: join(dataDir, "pgdata") });
    if (shouldMigrate) await migrate(handle, { onProgress: (event) => logMigration(logger, event) });
    return {
      handle,
      storage: createStorage(handle.db, { secrets }),
      description: `embedded PGlite in ${env.TOUCHPOINT_DATA_DIR}`,
      close: async () => {
        await handle.close();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

export async function migratePostgres(appUrl: string, adminUrl: string, logger: Logger): Promise<{ applied: number }> {
  const admin = await createDb({ kind: "postgres", url: adminUrl, maxConnections: 1 });
  try {
    const appUser = decodeURIComponent(new URL(appUrl).username);
    const adminUser = decodeURIComponent(new URL(adminUrl).username);
    return await migrate(admin, {
      grantTo: appUser && appUser !== adminUser ? [appUser] : [],
      onProgress: (event) => logMigration(logger, event),
    });
  } finally {
    await admin.close();
  }
}

function logMigration(logger: Logger, event: { pending: readonly string[] } | { applied: number }): void {
  if ("pending" in event) {
    if (event.pending.length > 0)
      logger.info({ pending: event.pending }, `applying ${event.pending.length} migration(s)`);
  } else if (event.applied > 0) {
    logger.info({ applied: event.applied }, "migrations applied");
  }
}

function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}
