import type { TouchpointRepository } from "@touchpoint/core";
import { type SQL, sql } from "drizzle-orm";
import { queryRows, type Transaction } from "../client.js";
import { columnOf } from "./bulk-insert.js";
import { TOUCHPOINT_COLUMNS, type TouchpointRow, toTouchpoint } from "./rows.js";

/**
 * Touchpoints in hand-written SQL: every /touch reads and writes here, and these statements are
 * cheap to build where drizzle's query builder was not (see TOUCHPOINT_COLUMNS).
 */
export function touchpointRepository(tx: Transaction, tenantId: string): TouchpointRepository {
  const rows = async (query: SQL) => (await queryRows<TouchpointRow>(tx, query)).map(toTouchpoint);
  const first = async (query: SQL) => (await rows(query))[0];
  const active = (contactId: string) =>
    sql`tenant_id = ${tenantId} and contact_id = ${contactId} and undone_at is null`;
  const findBySourceRef = (sourceRef: string) =>
    first(
      sql`select ${TOUCHPOINT_COLUMNS} from touchpoints where tenant_id = ${tenantId} and source_ref = ${sourceRef}`,
    );

  return {
    async record(touch) {
      // ON CONFLICT DO NOTHING waits for a concurrent insert of the same ref to commit, so two
      // deliveries at once still make one row; the loser reads the winner's.
      const inserted = await first(sql`
        insert into touchpoints (tenant_id, contact_id, occurred_at, channel, direction, note, logged_by, source, source_ref)
        values (${tenantId}, ${touch.contactId}, ${touch.occurredAt.toISOString()}, ${touch.channel}, ${touch.direction},
                ${touch.note}, ${touch.loggedBy}, ${touch.source}, ${touch.sourceRef})
        on conflict (tenant_id, source_ref) do nothing
        returning ${TOUCHPOINT_COLUMNS}`);
      if (inserted) return { touchpoint: inserted, created: true };
      const existing = await findBySourceRef(touch.sourceRef);
      if (!existing) throw new Error(`touchpoint ${touch.sourceRef} conflicted but cannot be read`);
      return { touchpoint: existing, created: false };
    },

    async recordMany(touches) {
      if (touches.length === 0) return 0;
      const column = <T>(pick: (t: (typeof touches)[number]) => T) => columnOf(touches, pick);
      const inserted = await queryRows<{ id: string }>(
        tx,
        sql`
          insert into touchpoints (tenant_id, contact_id, occurred_at, channel, direction, note, logged_by, source, source_ref)
          select ${tenantId}::uuid, u.* from unnest(
            ${column((t) => t.contactId)}::uuid[], ${column((t) => t.occurredAt.toISOString())}::text[]::timestamptz[],
            ${column((t) => t.channel)}::text[], ${column((t) => t.direction)}::text[], ${column((t) => t.note)}::text[],
            ${column((t) => t.loggedBy)}::text[], ${column((t) => t.source)}::text[], ${column((t) => t.sourceRef)}::text[]
          ) as u
          on conflict (tenant_id, source_ref) do nothing
          returning id`,
      );
      return inserted.length;
    },

    get(id) {
      return first(sql`select ${TOUCHPOINT_COLUMNS} from touchpoints where tenant_id = ${tenantId} and id = ${id}`);
    },

    findBySourceRef,

    latest(contactId, options) {
      const excluding = options?.excluding ? sql` and id <> ${options.excluding}` : sql``;
      return first(sql`
        select ${TOUCHPOINT_COLUMNS} from touchpoints
        where ${active(contactId)}${excluding}
        order by occurred_at desc, created_at desc
        limit 1`);
    },

    undo(id, at) {
      return first(sql`
        update touchpoints set undone_at = coalesce(undone_at, ${at.toISOString()}::timestamptz)
        where tenant_id = ${tenantId} and id = ${id}
        returning ${TOUCHPOINT_COLUMNS}`);
    },

    async countSince(contactId, since) {
      const [row] = await queryRows<{ total: number; inbound: number; outbound: number }>(
        tx,
        sql`
          select count(*)::int as total,
                 (count(*) filter (where direction = 'inbound'))::int as inbound,
                 (count(*) filter (where direction = 'outbound'))::int as outbound
          from touchpoints
          where ${active(contactId)} and occurred_at >= ${since.toISOString()}::timestamptz`,
      );
      return { total: row?.total ?? 0, inbound: row?.inbound ?? 0, outbound: row?.outbound ?? 0 };
    },

    listForContact(contactId, limit) {
      return rows(sql`
        select ${TOUCHPOINT_COLUMNS} from touchpoints
        where ${active(contactId)}
        order by occurred_at desc, created_at desc
        limit ${limit}`);
    },
  };
}
