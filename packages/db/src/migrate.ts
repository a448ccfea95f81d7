import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { type Database, type DatabaseHandle, queryRows } from "./client.js";

/** drizzle/ at the repository root; the same depth from src/ and from dist/. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../../drizzle", import.meta.url));
const MIGRATIONS_TABLE = sql`drizzle.__drizzle_migrations`;
// Any constant works; every replica must use the same one.
const MIGRATION_LOCK_KEY = 727_001;

interface JournalEntry {
  readonly idx: number;
  readonly when: number;
  readonly tag: string;
}

export function shippedMigrations(folder: string = MIGRATIONS_FOLDER): JournalEntry[] {
  const journal = JSON.parse(readFileSync(`${folder}/meta/_journal.json`, "utf8")) as {
    entries: JournalEntry[];
  };
  return journal.entries;
}

async function appliedMillis(db: Database): Promise<number[]> {
  const exists = await queryRows<{ present: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!exists[0]?.present) return [];
  const rows = await queryRows<{ created_at: string | number }>(db, sql`select created_at from ${MIGRATIONS_TABLE}`);
  return rows.map((r) => Number(r.created_at));
}

export interface MigrateOptions {
  /** Login users (from DATABASE_URL) that must be able to act as the app roles. */
  readonly grantTo?: readonly string[];
  readonly onProgress?: (event: { readonly pending: readonly string[] } | { readonly applied: number }) => void;
  /** Tests of a migration's backfill: a copy of drizzle/ cut short before it, applied first. */
  readonly migrationsFolder?: string;
}

/**
 * Applies drizzle/ once: on Postgres under a session advisory lock, so replicas starting together
 * queue behind one another and the later ones find nothing left to do.
 */
export async function migrate(handle: DatabaseHandle, options: MigrateOptions = {}): Promise<{ applied: number }> {
  return handle.exclusive(async (db) => {
    if (handle.kind === "postgres") await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      const before = new Set(await appliedMillis(db));
      const folder = options.migrationsFolder ?? MIGRATIONS_FOLDER;
      const pending = shippedMigrations(folder).filter((m) => !before.has(m.when));
      options.onProgress?.({ pending: pending.map((m) => m.tag) });
      if (pending.length > 0) {
        const config = { migrationsFolder: folder };
        if (handle.kind === "postgres") await migratePostgres(db as unknown as PostgresJsDatabase, config);
        else await migratePglite(db as unknown as PgliteDatabase, config);
      }
      for (const user of options.grantTo ?? []) {
        await db.execute(sql`grant touchpoint_app, touchpoint_system to ${sql.identifier(user)}`);
      }
      options.onProgress?.({ applied: pending.length });
      return { applied: pending.length };
    } finally {
      if (handle.kind === "postgres") await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  });
}

export interface MigrationStatus {
  readonly applied: number;
  readonly shipped: number;
  readonly current: boolean;
}

/**
 * For /readyz: every shipped migration applied, read as the app role (so its grants are checked
 * too). An empty database is simply not current; only an unreachable one throws.
 */
export async function migrationStatus(db: Database): Promise<MigrationStatus> {
  const shipped = shippedMigrations();
  const [state] = await queryRows<{ journal: boolean; role: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as journal,
               exists (select from pg_roles where rolname = 'touchpoint_app') as role`,
  );
  if (!state?.journal || !state.role) return { applied: 0, shipped: shipped.length, current: false };
  const applied = await db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'touchpoint_app', true)`);
    return queryRows<{ created_at: string | number }>(tx, sql`select created_at from ${MIGRATIONS_TABLE}`);
  });
  const appliedSet = new Set(applied.map((r) => Number(r.created_at)));
  return {
    applied: appliedSet.size,
    shipped: shipped.length,
    current: shipped.every((m) => appliedSet.has(m.when)),
  };
}
