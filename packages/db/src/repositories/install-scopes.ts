import type { InstallScopeRepository } from "@touchpoint/core";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Transaction } from "../client.js";
import type { SecretBox } from "../crypto.js";
import { installScopes } from "../schema.js";
import { lockTenantRow } from "./tenant-lock.js";

/**
 * The tenant's install scopes; conversation references are sealed, like tokens. Adds and removals
 * hold the tenant's row first, so a removal's list sees every other change committed.
 */
export function installScopeRepository(tx: Transaction, tenantId: string, box: SecretBox): InstallScopeRepository {
  return {
    async add(scope) {
      const values = {
        tenantId,
        conversationId: scope.conversationId,
        scope: scope.scope,
        reference: box.seal(scope.reference),
        installedBy: scope.installedBy,
      };
      await lockTenantRow(tx, tenantId);
      await tx
        .insert(installScopes)
        .values(values)
        .onConflictDoUpdate({
          target: [installScopes.tenantId, installScopes.conversationId],
          set: { ...values, removedAt: null, updatedAt: sql`now()` },
        });
    },
    async remove(conversationId, at) {
      await lockTenantRow(tx, tenantId);
      const removed = await tx
        .update(installScopes)
        .set({ removedAt: at, updatedAt: sql`now()` })
        .where(
          and(
            eq(installScopes.tenantId, tenantId),
            eq(installScopes.conversationId, conversationId),
            isNull(installScopes.removedAt),
          ),
        )
        .returning({ conversationId: installScopes.conversationId });
      return removed.length > 0;
    },
    async list() {
      const rows = await tx
        .select()
        .from(installScopes)
        .where(eq(installScopes.tenantId, tenantId))
        .orderBy(asc(installScopes.createdAt), asc(installScopes.conversationId));
      return rows.map((row) => ({
        conversationId: row.conversationId,
        scope: row.scope,
        reference: box.open(row.reference),
        installedBy: row.installedBy,
        removedAt: row.removedAt,
        createdAt: row.createdAt,
      }));
    },
  };
}
