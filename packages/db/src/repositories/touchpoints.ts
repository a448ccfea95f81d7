import type { NewTouchpoint, Touchpoint, TouchpointRepository } from "@touchpoint/core";
import { type SQL, sql } from "drizzle-orm";
import { queryRows, type Transaction } from "../client.js";
import { columnOf } from "./bulk-insert.js";
import { TOUCHPOINT_COLUMNS, type TouchpointRow, toTouchpoint } from "./rows.js";
import type { Turn } from "./turn.js";

/**
 * Touchpoints in hand-written SQL: every /touch reads and writes here, and these statements are
 * cheap to build where drizzle's query builder was not (see TOUCHPOINT_COLUMNS).
 */
export function touchpointRepository(tx: Transaction, tenantId: string, turn: Turn): TouchpointRepository {
  const rows = async (query: SQL) => (await queryRows<TouchpointRow>(tx, query)).map(toTouchpoint);
  const first = async (query: SQL) => (await rows(query))[0];
  const active = (contactId: string) =>
    sql`tenant_id = ${tenantId} and contact_id = ${contactId} and undone_at is null`;
  const findBySourceRef = (sourceRef: string) =>
    first(
      sql`select ${TOUCHPOINT_COLUMNS} from touchpoints where tenant_id = ${tenantId} and source_ref = ${sourceRef}`,
    );

  /** Inserts set-wise (one array parameter per column, expanded by unnest()), skipping stored refs. */
  const insertNew = (touches: readonly NewTouchpoint[], returning: SQL) => {
    const column = <T>(pick: (t: NewTouchpoint) => T) => columnOf(touches, pick);
    return sql`
      insert into touchpoints (tenant_id, contact_id, occurred_at, channel, direction, note, logged_by, source, source_ref)
      select ${tenantId}::uuid, u.* from unnest(
        ${column((t) => t.contactId)}::uuid[], ${column((t) => t.occurredAt.toISOString())}::text[]::timestamptz[],
        ${column((t) => t.channel)}::text[], ${column((t) => t.direction)}::text[], ${column((t) => t.note)}::text[],
        ${column((t) => t.loggedBy)}::text[], ${column((t) => t.source)}::text[], ${column((t) => t.sourceRef)}::text[]
      ) as u
      on conflict (tenant_id, source_ref) do nothing
      returning ${returning}`;
  };

  /**
   * Within a turn (touches sharing a transaction, see turn.ts), every `latest` goes out as one
   * statement, then every `record`: the insert's index updates and last-touch trigger run once
   * per batch instead of once per touch, and a touch's "previous" is still read before it is written.
   */
  type Recorded = Awaited<ReturnType<TouchpointRepository["record"]>>;
  const latestOne = turn.coalesce(latestOf);
  const recordOne = turn.coalesce(recordAll);

  /** The latest active touch of each contact, one index probe per distinct contact. */
  async function latestOf(contactIds: readonly string[]): Promise<(Touchpoint | undefined)[]> {
    const found = await rows(sql`
      select ${TOUCHPOINT_COLUMNS} from unnest(${sql.param([...new Set(contactIds)])}::uuid[]) as w(wanted)
      cross join lateral (
        select * from touchpoints t
        where t.tenant_id = ${tenantId} and t.contact_id = w.wanted and t.undone_at is null
        order by t.occurred_at desc, t.created_at desc
        limit 1
      ) t`);
    const byContact = new Map(found.map((t) => [t.contactId, t]));
    return contactIds.map((id) => byContact.get(id));
  }

  async function recordAll(touches: readonly NewTouchpoint[]): Promise<Promise<Recorded>[]> {
    // ON CONFLICT DO NOTHING waits for a concurrent insert of the same ref to commit, so two
    // deliveries at once still make one row; the loser reads the winner's.
    const inserted = await rows(insertNew(touches, TOUCHPOINT_COLUMNS));
    const fresh = new Map(inserted.map((t) => [t.sourceRef, t]));
    return touches.map(async (touch) => {
      const touchpoint = fresh.get(touch.sourceRef);
      if (touchpoint) {
        // A second touch with the same ref in this batch is a redelivery of the first.
        fresh.delete(touch.sourceRef);
        return { touchpoint, created: true };
      }
      const existing = await findBySourceRef(touch.sourceRef);
      if (!existing) throw new Error(`touchpoint ${touch.sourceRef} conflicted but cannot be read`);
      return { touchpoint: existing, created: false };
    });
  }

  return {
    record: recordOne,

    async recordMany(touches) {
      if (touches.length === 0) return 0;
      const inserted = await queryRows<{ id: string }>(tx, insertNew(touches, sql`id`));
      return inserted.length;
    },

    get(id) {
      return first(sql`select ${TOUCHPOINT_COLUMNS} from touchpoints where tenant_id = ${tenantId} and id = ${id}`);
    },

    findBySourceRef,

    latest(contactId, options) {
      if (options?.excluding) {
        return first(sql`
          select ${TOUCHPOINT_COLUMNS} from touchpoints
          where ${active(contactId)} and id <> ${options.excluding}
          order by occurred_at desc, created_at desc
          limit 1`);
      }
      return latestOne(contactId);
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
