import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Storage } from "@touchpoint/core";
import {
  checkSealingKey,
  createDb,
  createSecretBox,
  createStorage,
  type DatabaseHandle,
  expireLeases,
  migrate,
  SealingKeyMismatch,
  type SecretBox,
} from "@touchpoint/db";
import { acquireDataDirLock } from "./data-dir-lock.js";
import type { Env } from "./env.js";
import type { Logger } from "./logger.js";
import { type EncryptionKeys, loadEncryptionKeys, rotateKeyFile } from "./secrets.js";

/** What opening a database did that a person may want to know: reported, not just logged. */
export type DatabaseEvent =
  | { readonly kind: "key-generated"; readonly path: string }
  | { readonly kind: "key-rotated"; readonly path: string; readonly previousPath: string }
  | { readonly kind: "key-registered"; readonly keyId: string }
  | { readonly kind: "key-rotating"; readonly keyId: string; readonly previous: readonly string[] }
  | { readonly kind: "migrating"; readonly pending: readonly string[] }
  | { readonly kind: "migrated"; readonly applied: number; readonly ms: number }
  /** The embedded database's leases of a process that died, ended so its work resumes now. */
  | { readonly kind: "leases-expired"; readonly deliveries: number; readonly accounts: number };

export type DatabaseReport = (event: DatabaseEvent) => void;

/** The server's report: structured log lines. */
export function logDatabaseEvents(logger: Logger): DatabaseReport {
  return (event) => {
    switch (event.kind) {
      case "key-generated":
        return logger.info({ path: event.path }, "generated an encryption key");
      case "key-rotated":
        return logger.info({ path: event.path, previousPath: event.previousPath }, "wrote a new encryption key");
      case "key-registered":
        return logger.info({ keyId: event.keyId }, "registered the encryption key");
      case "key-rotating":
        return logger.info(
          { keyId: event.keyId, previous: event.previous },
          "encryption key rotation under way: opening values under either key, sealing under the new one",
        );
      case "migrating":
        return logger.info({ pending: event.pending }, "applying migrations");
      case "migrated":
        return logger.info({ applied: event.applied, ms: event.ms }, "migrations applied");
      case "leases-expired":
        return logger.info(
          { deliveries: event.deliveries, accounts: event.accounts },
          "took over the work a stopped process had leased",
        );
    }
  };
}

/**
 * The key given is not the one the database's tokens were sealed with: found at start-up, so the
 * server stops with one line instead of failing on the first request that opens a token.
 */
export class WrongEncryptionKey extends Error {
  constructor(
    readonly keys: EncryptionKeys,
    readonly mismatch: SealingKeyMismatch,
  ) {
    const given = `key id ${mismatch.keyId}`;
    const sealed = `key id ${mismatch.expected.join(" or ")}`;
    super(
      keys.source.kind === "env"
        ? `TOUCHPOINT_ENCRYPTION_KEY is not the key this database's tokens were sealed with (it is ${given}; they were sealed with ${sealed}); ` +
            "set the right key, or rotate to this one: the old key in TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS, then `touchpoint rotate-key`"
        : `the key in ${keys.source.path} is not the key this database's tokens were sealed with (it is ${given}; they were sealed with ${sealed}); ` +
            "restore the key file that belongs with this data, or set TOUCHPOINT_ENCRYPTION_KEY to that key",
    );
    this.name = "WrongEncryptionKey";
  }
}

export function secretBoxOf(keys: EncryptionKeys): SecretBox {
  return createSecretBox(keys.current, { previous: keys.previous });
}

/** The start-up check of the key against the database's key registry (packages/db/src/sealing.ts). */
async function checkKey(handle: DatabaseHandle, keys: EncryptionKeys, report: DatabaseReport): Promise<SecretBox> {
  const box = secretBoxOf(keys);
  try {
    const check = await checkSealingKey(handle.db, box);
    if (check.kind === "registered") report({ kind: "key-registered", keyId: box.keyId });
    if (check.kind === "rotating") report({ kind: "key-rotating", keyId: box.keyId, previous: check.previous });
  } catch (error) {
    if (error instanceof SealingKeyMismatch) throw new WrongEncryptionKey(keys, error);
    throw error;
  }
  return box;
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

  const opened = await openHandle(env, report, { migrate: shouldMigrate, keys: loadEncryptionKeys });
  try {
    const secrets = await checkKey(opened.handle, opened.keys, report);
    return {
      handle: opened.handle,
      storage: createStorage(opened.handle.db, { secrets }),
      description: opened.description,
      close: opened.close,
    };
  } catch (error) {
    await opened.close();
    throw error;
  }
}

/** The database as rotate-key needs it: its keys, and no start-up check (rotate-key keeps the registry itself). */
export interface DatabaseForRotation {
  readonly handle: DatabaseHandle;
  /** The keys as they are before this run: on the embedded default, the key file (and an unfinished rotation's previous one). */
  readonly keys: EncryptionKeys;
  /**
   * The embedded default without TOUCHPOINT_ENCRYPTION_KEY: rotating means a new key file, made
   * (or an unfinished rotation's resumed) while this process holds the data-directory lock.
   */
  readonly rotateKeyFile?: () => ReturnType<typeof rotateKeyFile>;
  readonly description: string;
  close(): Promise<void>;
}

/** Opens the database for `touchpoint rotate-key`. */
export async function openDatabaseForRotation(env: Env, report: DatabaseReport): Promise<DatabaseForRotation> {
  const opened = await openHandle(env, report, { migrate: true, keys: loadEncryptionKeys });
  return {
    ...opened,
    ...(opened.keys.source.kind === "file" && { rotateKeyFile: () => rotateKeyFile(env, report) }),
  };
}

async function openHandle(
  env: Env,
  report: DatabaseReport,
  options: { readonly migrate: boolean; readonly keys: (env: Env, report: DatabaseReport) => Promise<EncryptionKeys> },
): Promise<{ handle: DatabaseHandle; keys: EncryptionKeys; description: string; close(): Promise<void> }> {
  if (env.DATABASE_URL) {
    const keys = await options.keys(env, report);
    const appUrl = env.DATABASE_URL;
    if (options.migrate) await migratePostgres(appUrl, env.DATABASE_ADMIN_URL ?? appUrl, report);
    const handle = await createDb({ kind: "postgres", url: appUrl });
    return { handle, keys, description: `PostgreSQL at ${describeUrl(appUrl)}`, close: () => handle.close() };
  }

  const dataDir = resolve(env.TOUCHPOINT_DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const lock = await acquireDataDirLock(dataDir);
  let handle: DatabaseHandle | undefined;
  try {
    // Under the lock: two first starts must not both generate a key.
    const keys = await options.keys(env, report);
    handle = await createDb({ kind: "embedded", dataDir: join(dataDir, "pgdata") });
    if (options.migrate) await migrateReporting(handle, {}, report);
    // One process at a time holds these files: any lease in them was a dead process's.
    const expired = await expireLeases(handle.db, new Date());
    if (expired.deliveries + expired.accounts > 0) report({ kind: "leases-expired", ...expired });
    const opened = handle;
    return {
      handle: opened,
      keys,
      description: `embedded PGlite in ${env.TOUCHPOINT_DATA_DIR}`,
      close: async () => {
        await opened.close();
        await lock.release();
      },
    };
  } catch (error) {
    await handle?.close();
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
