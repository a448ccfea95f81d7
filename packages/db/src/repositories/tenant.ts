import type { TenantRepository } from "@touchpoint/core";
import { eq, sql } from "drizzle-orm";
import { queryRows, type Transaction } from "../client.js";
import { tenants } from "../schema.js";
import { TENANT_COLUMNS, type TenantRow, toTenant } from "./rows.js";

export function tenantRepository(tx: Transaction, tenantId: string): TenantRepository {
  const get = async () => {
    // Read on every /touch: hand-written, like the touchpoint statements.
    const [row] = await queryRows<TenantRow>(tx, sql`select ${TENANT_COLUMNS} from tenants where id = ${tenantId}`);
    if (!row) throw new Error(`tenant ${tenantId} does not exist`);
    return toTenant(row);
  };
  return {
    get,
    async update(patch) {
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
      return toTenant(row);
    },
  };
}
