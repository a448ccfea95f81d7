import { isUuid } from "@touchpoint/core";
import { type SQL, sql } from "drizzle-orm";
import type { Database, Transaction } from "./client.js";

/**
 * The tenant path: one transaction as touchpoint_app with app.tenant_id set, so Row-Level
 * Security holds even if a query forgot its tenant filter (they don't; it is the second wall).
 */
export async function inTenant<T>(db: Database, tenantId: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
  if (!isUuid(tenantId)) throw new Error(`not a tenant id: ${JSON.stringify(tenantId)}`);
  return db.transaction((tx) =>
    scoped(
      tx,
      sql`select set_config('role', 'touchpoint_app', true), set_config('app.tenant_id', ${tenantId}, true)`,
      work,
    ),
  );
}

/**
 * Runs `setup` and `work` in one transaction without waiting for `setup` first: the connection
 * runs them in order anyway, so the work's first query rides in the same round trip. A failed
 * setup is reported as itself, not as the "transaction is aborted" it causes downstream.
 */
async function scoped<T>(tx: Transaction, setup: SQL, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const ready = tx.execute(setup).then(() => undefined);
  ready.catch(() => undefined);
  try {
    const result = await work(tx);
    await ready;
    return result;
  } catch (error) {
    await ready;
    throw error;
  }
}

/**
 * The system path: the few cross-tenant reads and writes, as touchpoint_system, whose policies
 * allow exactly those. Named here so that nothing reaches across tenants by leaving one unset.
 */
export async function asSystem<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction((tx) => scoped(tx, sql`select set_config('role', 'touchpoint_system', true)`, work));
}
