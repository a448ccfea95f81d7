import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Storage } from "@touchpoint/core";
import { createDb, createSecretBox, createStorage, type DatabaseHandle, migrate } from "@touchpoint/db";
import { acquireDataDirLock } from "./data-dir-lock.js";
import type { Env } from "./env.js";
import type { Logger } from "./logger.js";
import { loadEncryptionKey } from "./secrets.js";

/** What opening a database did that a person may want to know: reported, not just logged. */
export type DatabaseEvent =
  | { readonly kind: "key-generated"; readonly path: string }
  | { readonly kind: "migrating"; readonly pending: readonly string[] }
  | { readonly kind: "migrated"; readonly applied: number; readonly ms: number };

export type DatabaseReport = (event: DatabaseEvent) => void;

/** The server's report: structured log lines. */
export function logDatabaseEvents(logger: Logger): DatabaseReport {
  return (event) => {
    if (event.kind === "key-generated") logger.info({ path: event.path }, "generated an encryption key");
    else if (event.kind === "migrating") logger.info({ pending: event.pending }, "applying migrations");
    else logger.info({ applied: event.applied, ms: event.ms }, "migrations applied");
  };
}

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
  report: DatabaseReport,
  options: { readonly migrate?: boolean } = {},
): Promise<OpenDatabase> {
  const shouldMigrate = options.migrate ?? true;

  if (env.DATABASE_URL) {
    const secrets = createSecretBox(await loadEncryptionKey(env, report));
    const appUrl = env.DATABASE_URL;
    if (shouldMigrate) await migratePostgres(appUrl, env.DATABASE_ADMIN_URL ?? appUrl, report);
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
    // Under the lock: two first starts must not both generate a key.
    const secrets = createSecretBox(await loadEncryptionKey(env, report));
    const handle = await createDb({ kind: "embedded", dataDir: join(dataDir, "pgdata") });
    if (shouldMigrate) await migrateReporting(handle, {}, report);
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

export async function migratePostgres(
  appUrl: string,
  adminUrl: string,
  report: DatabaseReport,
): Promise<{ applied: number }> {
  const admin = await createDb({ kind: "postgres", url: adminUrl, maxConnections: 1 });
  try {
    const appUser = decodeURIComponent(new URL(appUrl).username);
    const adminUser = decodeURIComponent(new URL(adminUrl).username);
    return await migrateReporting(admin, { grantTo: appUser && appUser !== adminUser ? [appUser] : [] }, report);
  } finally {
    await admin.close();
  }
}

async function migrateReporting(
  handle: DatabaseHandle,
  options: { readonly grantTo?: readonly string[] },
  report: DatabaseReport,
): Promise<{ applied: number }> {
  const started = Date.now();
  return migrate(handle, {
    ...options,
    onProgress: (event) => {
      if ("pending" in event) {
        if (event.pending.length > 0) report({ kind: "migrating", pending: event.pending });
      } else if (event.applied > 0) {
        report({ kind: "migrated", applied: event.applied, ms: Date.now() - started });
      }
    },
  });
}

function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}
