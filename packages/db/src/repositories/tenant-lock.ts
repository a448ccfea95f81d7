import { sql } from "drizzle-orm";
import type { Transaction } from "../client.js";

/**
 * Holds the tenant's row until the transaction ends, so changes that must see each other (who is
 * admin, which scopes the app is in) are made one after the other. NO KEY UPDATE rather than
 * UPDATE: it waits for other holders and for tenant updates, but not for the foreign-key checks
 * (FOR KEY SHARE) every insert into a tenant's tables makes, so touches go on meanwhile.
 */
export async function lockTenantRow(tx: Transaction, tenantId: string): Promise<void> {
  await tx.execute(sql`select 1 from tenants where id = ${tenantId} for no key update`);
}
