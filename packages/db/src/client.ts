import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres, { type Sql } from "postgres";
import { cleanQueryErrors, toDatabaseError } from "./errors.js";
import * as schema from "./schema.js";

export type Schema = typeof schema;
/** The same typed database whether it runs on postgres.js or on embedded PGlite. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type Queryable = Database | Transaction;

export type DatabaseConfig =
  | { readonly kind: "postgres"; readonly url: string; readonly maxConnections?: number }
  /** `dataDir` undefined keeps the database in memory (tests). */
  | { readonly kind: "embedded"; readonly dataDir: string | undefined };

export interface DatabaseHandle {
  readonly db: Database;
  readonly kind: DatabaseConfig["kind"];
  /**
   * Runs work on one dedicated session: what session-level advisory locks need. On Postgres that
   * is a fresh single connection; PGlite only ever has one.
   */
  exclusive<T>(work: (db: Database) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * drizzle sends its queries through postgres.js's `unsafe()`, which does not prepare statements:
 * every parameterized query then costs a Describe round trip before it runs. Preparing them
 * (postgres.js caches each statement per connection) halves the round trips of every transaction.
 * Statement texts must not vary without bound (an IN list of any length would): each is kept per
 * connection until the connection is recycled. Behind PgBouncer in transaction mode, add
 * `?prepare=false` to DATABASE_URL.
 */
function preparing(client: Sql, prepare = client.options.prepare !== false): Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, args?: unknown[], options?: Record<string, unknown>) =>
          // postgres.js's own setting (true unless ?prepare=false), instead of drizzle's per-query false.
          target.unsafe(query, args as never, { ...options, prepare });
      }
      if (property === "begin") {
        return (...args: unknown[]) => {
          const work = args.pop() as (tx: Sql) => Promise<unknown>;
          return pipelinedTransaction(target, typeof args[0] === "string" ? args[0] : "", (tx) =>
            work(preparing(tx, prepare)),
          );
        };
      }
      // Savepoints and reserved connections hand out clients of their own.
      if (property === "savepoint") {
        return (...args: unknown[]) => {
          const work = args.pop() as (tx: Sql) => unknown;
          const open = Reflect.get(target, property) as (...a: unknown[]) => unknown;
          return open.call(target, ...args, (tx: Sql) => work(preparing(tx, prepare)));
        };
      }
      if (property === "reserve") {
        return async () => preparing((await target.reserve()) as unknown as Sql, prepare);
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

/**
 * postgres.js's own begin() waits for BEGIN to come back before the transaction's first query is
 * sent. Here BEGIN goes out with the first queries, on a reserved connection, in one write: every
 * transaction costs one round trip less (on the /touch path, a quarter of them).
 */
async function pipelinedTransaction<T>(client: Sql, mode: string, work: (tx: Sql) => Promise<T>): Promise<T> {
  const connection = await client.reserve();
  try {
    const begun = connection.unsafe(`begin ${mode.replace(/[^a-z ]/gi, "")}`).execute();
    begun.catch(() => undefined); // reported below, after the work that queued behind it
    let result: T;
    try {
      result = await work(withSavepoints(connection));
      await begun;
    } catch (error) {
      await connection.unsafe("rollback").catch(() => undefined);
      throw error;
    }
    await connection.unsafe("commit");
    return result;
  } finally {
    connection.release();
  }
}

/** A reserved connection inside a transaction, with the savepoint() that drizzle's nested transactions call. */
function withSavepoints(connection: postgres.ReservedSql): Sql {
  let depth = 0;
  const savepoint = async (...args: unknown[]): Promise<unknown> => {
    const work = args.pop() as (tx: Sql) => Promise<unknown>;
    const name = `s${++depth}`;
    await connection.unsafe(`savepoint ${name}`);
    try {
      const result = await work(tx);
      await connection.unsafe(`release savepoint ${name}`);
      return result;
    } catch (error) {
      await connection.unsafe(`rollback to savepoint ${name}`);
      throw error;
    }
  };
  const tx = new Proxy(connection, {
    get: (target, property, receiver) =>
      property === "savepoint" ? savepoint : Reflect.get(target, property, receiver),
  }) as unknown as Sql;
  return tx;
}

/**
 * A failed BEGIN or COMMIT comes from the driver itself, not through drizzle's query path, and
 * PGlite's errors keep the statement and its parameters: cleaned here like any failed query.
 */
function withCleanTransactions(db: Database): Database {
  const transaction = db.transaction.bind(db);
  db.transaction = ((work, config) =>
    transaction(work, config).catch((error: unknown) => {
      throw toDatabaseError(error);
    })) as Database["transaction"];
  return db;
}

/**
 * Opens the database. Every failed query then throws a DatabaseError (errors.ts): the database's
 * code and message, never the statement's text or the data it carried.
 */
export async function createDb(config: DatabaseConfig): Promise<DatabaseHandle> {
  cleanQueryErrors();
  if (config.kind === "postgres") {
    const connect = (max: number) =>
      preparing(postgres(config.url, { max, onnotice: () => {}, connection: { application_name: "touchpoint" } }));
    const max = config.maxConnections ?? 10;
    const client = connect(max);
    const db = withCleanTransactions(drizzlePostgres(client, { schema }) as unknown as Database);
    return {
      db,
      kind: "postgres",
      exclusive: async (work) => {
        if (max === 1) return work(db); // already one session
        const single = connect(1);
        try {
          return await work(withCleanTransactions(drizzlePostgres(single, { schema }) as unknown as Database));
        } finally {
          await single.end({ timeout: 5 });
        }
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  const client = config.dataDir === undefined ? new PGlite() : new PGlite(config.dataDir);
  await client.waitReady;
  const db = withCleanTransactions(drizzlePglite(client, { schema }) as unknown as Database);
  return {
    db,
    kind: "embedded",
    exclusive: (work) => work(db),
    close: () => client.close(),
  };
}

/** Raw SQL rows, whichever driver ran it (postgres.js returns an array, PGlite `{ rows }`). */
export async function queryRows<Row extends Record<string, unknown>>(db: Queryable, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
}
