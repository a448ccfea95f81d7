import type { PendingActionRepository } from "@touchpoint/core";
import { and, eq, lt, sql } from "drizzle-orm";
import type { Transaction } from "../client.js";
import { pendingActions } from "../schema.js";

export function pendingActionRepository(tx: Transaction, tenantId: string): PendingActionRepository {
  return {
    async put(kind, payload, expiresAt) {
      // What nobody came back for is deleted as new work arrives: notes and names don't linger.
      await tx
        .delete(pendingActions)
        .where(and(eq(pendingActions.tenantId, tenantId), lt(pendingActions.expiresAt, sql`now()`)));
      const [row] = await tx
        .insert(pendingActions)
        .values({ tenantId, kind, payload, expiresAt })
        .returning({ id: pendingActions.id });
      if (!row) throw new Error("pending action insert returned nothing");
      return row.id;
    },
    async take(id, kind, now) {
      // DELETE … RETURNING: of two presses at once, exactly one gets the payload.
      const [row] = await tx
        .delete(pendingActions)
        .where(and(eq(pendingActions.tenantId, tenantId), eq(pendingActions.id, id), eq(pendingActions.kind, kind)))
        .returning({ payload: pendingActions.payload, expiresAt: pendingActions.expiresAt });
      return row && row.expiresAt > now ? row.payload : undefined;
    },
  };
}
