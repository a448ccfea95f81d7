import { isUuid } from "@touchpoint/core";
import { sql } from "drizzle-orm";
import type { Database, Transaction } from "./client.js";

/**
 * The tenant path: one transaction as touchpoint_app with app.tenant_id set, so Row-Level
 * Security holds even if a query forgot its tenant filter (they don't; it is the second wall).
 */
export async function inTenant<T>(db: Database, tenantId: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
  if (!isUuid(tenantId)) throw new Error(`not a tenant id: ${JSON.stringify(tenantId)}`);
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('role', 'touchpoint_app', true), set_config('app.tenant_id', ${tenantId}, true)`,
    );
    return work(tx);
  });
}

/**
 * The system path: the few cross-tenant reads and writes, as touchpoint_system, whose policies
 * allow exactly those. Named here so that nothing reaches across tenants by leaving one unset.
 */
export async function asSystem<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'touchpoint_system', true)`);
    return work(tx);
  });
}
