import type { TouchpointRepository } from "@touchpoint/core";
import { and, desc, eq, gte, isNull, ne, sql } from "drizzle-orm";
import type { Transaction } from "../client.js";
import { touchpoints } from "../schema.js";
import { toTouchpoint } from "./rows.js";

export function touchpointRepository(tx: Transaction, tenantId: string): TouchpointRepository {
  const mine = eq(touchpoints.tenantId, tenantId);
  const activeFor = (contactId: string) =>
    and(mine, eq(touchpoints.contactId, contactId), isNull(touchpoints.undoneAt));
  const newestFirst = [desc(touchpoints.occurredAt), desc(touchpoints.createdAt)] as const;

  return {
    async record(touch) {
      // ON CONFLICT DO NOTHING waits for a concurrent insert of the same ref to commit, so two
      // deliveries at once still make one row; the loser reads the winner's.
      const [inserted] = await tx
        .insert(touchpoints)
        .values({ ...touch, tenantId })
        .onConflictDoNothing({ target: [touchpoints.tenantId, touchpoints.sourceRef] })
        .returning();
      if (inserted) return { touchpoint: toTouchpoint(inserted), created: true };
      const [existing] = await tx
        .select()
        .from(touchpoints)
        .where(and(mine, eq(touchpoints.sourceRef, touch.sourceRef)));
      if (!existing) throw new Error(`touchpoint ${touch.sourceRef} conflicted but cannot be read`);
      return { touchpoint: toTouchpoint(existing), created: false };
    },

    async get(id) {
      const [row] = await tx
        .select()
        .from(touchpoints)
        .where(and(mine, eq(touchpoints.id, id)));
      return row ? toTouchpoint(row) : undefined;
    },

    async findBySourceRef(sourceRef) {
      const [row] = await tx
        .select()
        .from(touchpoints)
        .where(and(mine, eq(touchpoints.sourceRef, sourceRef)));
      return row ? toTouchpoint(row) : undefined;
    },

    async latest(contactId, options) {
      const [row] = await tx
        .select()
        .from(touchpoints)
        .where(and(activeFor(contactId), options?.excluding ? ne(touchpoints.id, options.excluding) : undefined))
        .orderBy(...newestFirst)
        .limit(1);
      return row ? toTouchpoint(row) : undefined;
    },

    async undo(id, at) {
      const [row] = await tx
        .update(touchpoints)
        .set({ undoneAt: sql`coalesce(${touchpoints.undoneAt}, ${at.toISOString()}::timestamptz)` })
        .where(and(mine, eq(touchpoints.id, id)))
        .returning();
      return row ? toTouchpoint(row) : undefined;
    },

    async countSince(contactId, since) {
      const [row] = await tx
        .select({
          total: sql<number>`count(*)::int`,
          inbound: sql<number>`(count(*) filter (where ${touchpoints.direction} = 'inbound'))::int`,
          outbound: sql<number>`(count(*) filter (where ${touchpoints.direction} = 'outbound'))::int`,
        })
        .from(touchpoints)
        .where(and(activeFor(contactId), gte(touchpoints.occurredAt, since)));
      return { total: row?.total ?? 0, inbound: row?.inbound ?? 0, outbound: row?.outbound ?? 0 };
    },

    async listForContact(contactId, limit) {
      const rows = await tx
        .select()
        .from(touchpoints)
        .where(activeFor(contactId))
        .orderBy(...newestFirst)
        .limit(limit);
      return rows.map(toTouchpoint);
    },
  };
}
