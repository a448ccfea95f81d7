import type { Tenant, TenantRepository } from "@touchpoint/core";
import { eq, sql } from "drizzle-orm";
import { queryRows, type Transaction } from "../client.js";
import { tenants } from "../schema.js";
import { TENANT_COLUMNS, type TenantRow, toTenant } from "./rows.js";

export function tenantRepository(tx: Transaction, tenantId: string): TenantRepository {
  /**
   * Read once per transaction: every /touch reads its tenant (hand-written, like the touchpoint
   * statements), and touches sharing a transaction share the read. `update` replaces it.
   */
  let read: Promise<Tenant> | undefined;
  const get = () => {
    read ??= queryRows<TenantRow>(tx, sql`select ${TENANT_COLUMNS} from tenants where id = ${tenantId}`).then(
      ([row]) => {
        if (!row) throw new Error(`tenant ${tenantId} does not exist`);
        return toTenant(row);
      },
    );
    return read;
  };
  return {
    get,
    async update(patch) {
      read = undefined;
      const [row] = await tx
        .update(tenants)
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.timeZone !== undefined && { timeZone: patch.timeZone }),
          ...(patch.nudgeTime !== undefined && { nudgeTime: patch.nudgeTime }),
          ...(patch.nudgeChannel !== undefined && { nudgeChannel: patch.nudgeChannel }),
          // jsonb || merges the given keys over the stored ones, in one statement.
          ...(patch.settings !== undefined && {
            settings: sql`${tenants.settings} || ${JSON.stringify(patch.settings)}::jsonb`,
          }),
          updatedAt: sql`now()`,
        })
        .where(eq(tenants.id, tenantId))
        .returning();
      if (!row) throw new Error(`tenant ${tenantId} does not exist`);
      const tenant = toTenant(row);
      read = Promise.resolve(tenant);
      return tenant;
    },
  };
}
