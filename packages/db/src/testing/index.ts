import { createDb, type DatabaseHandle } from "../client.js";
import { createSecretBox } from "../crypto.js";
import { migrate } from "../migrate.js";
import { createStorage } from "../storage.js";

/** A fixed key for tests; never used outside them. */
export const testSecrets = createSecretBox(Buffer.alloc(32, 7));

const WORKER_DB = Symbol.for("touchpoint.test.embedded-db");
type WorkerGlobal = typeof globalThis & { [WORKER_DB]?: Promise<DatabaseHandle> };

/**
 * One migrated in-memory PGlite per test worker: starting PGlite takes seconds, so every test
 * file in the worker shares it (vitest runs these files with isolate: false). Tests keep out of
 * each other's way by creating their own tenants.
 */
export function sharedEmbeddedDb(): Promise<DatabaseHandle> {
  const global = globalThis as WorkerGlobal;
  global[WORKER_DB] ??= (async () => {
    const handle = await createDb({ kind: "embedded", dataDir: undefined });
    await migrate(handle);
    return handle;
  })();
  return global[WORKER_DB];
}

export async function sharedEmbeddedStorage() {
  const handle = await sharedEmbeddedDb();
  return createStorage(handle.db, { secrets: testSecrets });
}

/** Raw SQL for tests that look underneath the repositories (is it encrypted? is the index used?). */
export { sql } from "drizzle-orm";
export { insertContactsPlain, type MentionCopier, openMentionCopier } from "./baseline.js";
export { type FreshDatabase, freshDatabase } from "./postgres.js";
export { describeQueryErrors } from "./query-errors.js";
export { describeRowLevelSecurity } from "./row-level-security.js";
export { describeSealing, legacySecretBox, storedSealedValues, tenantWithSecrets } from "./sealing.js";
