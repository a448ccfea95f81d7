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
    async append(kind, key, entries, at) {
      // One row per kind and key, its id derived from them: an upsert that concatenates, so
      // callers at once each add theirs (the row lock orders them) and none is lost.
      await tx
        .insert(pendingActions)
        .values({ tenantId, id: keyedId(kind, key), kind, payload: [...entries], expiresAt: at.expiresAt })
        .onConflictDoUpdate({
          target: [pendingActions.tenantId, pendingActions.id],
          set: {
            payload: sql`case when ${pendingActions.expiresAt} > ${at.now.toISOString()}::timestamptz then ${pendingActions.payload} || excluded.payload else excluded.payload end`,
            // A replica whose clock runs behind never cuts short what another kept.
            expiresAt: sql`greatest(${pendingActions.expiresAt}, excluded.expires_at)`,
          },
        });
    },
    async takeList(kind, key, now) {
      const [row] = await tx
        .delete(pendingActions)
        .where(
          and(
            eq(pendingActions.tenantId, tenantId),
            eq(pendingActions.id, keyedId(kind, key)),
            eq(pendingActions.kind, kind),
          ),
        )
        .returning({ payload: pendingActions.payload, expiresAt: pendingActions.expiresAt });
      return row && row.expiresAt > now && Array.isArray(row.payload) ? row.payload : [];
    },
  };
}

/** The row id of a list kept under a key: the key's MD5 read as a UUID (computed by the database). */
function keyedId(kind: string, key: string) {
  return sql<string>`md5(${`${kind}\n${key}`})::uuid`;
}
