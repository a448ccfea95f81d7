import {
  type Digest,
  type NudgeDelivery,
  type NudgeDirectory,
  type NudgeKind,
  type NudgeRepository,
  reviveDigest,
} from "@touchpoint/core";
import { and, asc, eq, sql } from "drizzle-orm";
import { type Database, queryRows, type Transaction } from "../client.js";
import { nudgeDeliveries, nudges } from "../schema.js";
import { asSystem } from "../scopes.js";

/** The tenant's nudges and their deliveries: the transactional outbox. */
export function nudgeRepository(tx: Transaction, tenantId: string): NudgeRepository {
  const pending = (id: string) =>
    and(eq(nudgeDeliveries.tenantId, tenantId), eq(nudgeDeliveries.id, id), eq(nudgeDeliveries.status, "pending"));
  const select = () =>
    tx
      .select({
        delivery: nudgeDeliveries,
        message: sql<unknown>`coalesce(${nudgeDeliveries.message}, ${nudges.message})`,
      })
      .from(nudgeDeliveries)
      .innerJoin(
        nudges,
        and(
          eq(nudges.tenantId, nudgeDeliveries.tenantId),
          eq(nudges.localDate, nudgeDeliveries.localDate),
          eq(nudges.kind, nudgeDeliveries.kind),
        ),
      );
  const day = ({ localDate, kind }: { readonly localDate: string; readonly kind: NudgeKind }) =>
    and(eq(nudges.tenantId, tenantId), eq(nudges.localDate, localDate), eq(nudges.kind, kind));
  const toDelivery = ({
    delivery,
    message,
  }: {
    delivery: typeof nudgeDeliveries.$inferSelect;
    message: unknown;
  }): NudgeDelivery => ({
    tenantId: delivery.tenantId,
    id: delivery.id,
    localDate: delivery.localDate,
    kind: delivery.kind,
    target: delivery.target,
    status: delivery.status,
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    ref: delivery.externalRef,
    createdAt: delivery.createdAt,
    message: reviveDigest(message),
  });

  return {
    async claim(message: Digest, targets, at) {
      // One statement: the day's row is the claim; its deliveries go in only if it did. Of two
      // claims at once, the second waits for the first to commit and then inserts nothing.
      const [row] = await queryRows<{ claimed: boolean }>(
        tx,
        sql`
          with nudge as (
            insert into nudges (tenant_id, local_date, kind, message)
            values (${tenantId}, ${message.localDate}::date, ${message.kind}, ${JSON.stringify(message)}::jsonb)
            on conflict (tenant_id, local_date, kind) do nothing
            returning local_date, kind
          ), queued as (
            insert into nudge_deliveries (tenant_id, local_date, kind, target, message, next_attempt_at)
            select distinct on (t.target) ${tenantId}::uuid, nudge.local_date, nudge.kind, t.target, t.message::jsonb,
                   ${at.toISOString()}::timestamptz
            from nudge cross join unnest(
              ${sql.param(targets.map((t) => t.target))}::text[],
              ${sql.param(targets.map((t) => (t.message ? JSON.stringify(t.message) : null)))}::text[]
            ) as t(target, message)
            order by t.target
            returning 1
          )
          select exists (select 1 from nudge) as claimed, (select count(*) from queued) as queued`,
      );
      return row?.claimed === true;
    },

    async has(localDate, kind) {
      const rows = await tx.select({ localDate: nudges.localDate }).from(nudges).where(day({ localDate, kind }));
      return rows.length > 0;
    },

    async get({ localDate, kind, owner }) {
      const theirs =
        owner === null
          ? sql`null`
          : sql`(select d.message from nudge_deliveries d
                 where d.tenant_id = ${tenantId} and d.local_date = ${localDate}::date and d.kind = ${kind}
                   and d.target = ${owner})`;
      const [row] = await tx
        .select({ message: sql<unknown>`coalesce(${theirs}, ${nudges.message})`, actions: nudges.actions })
        .from(nudges)
        .where(day({ localDate, kind }));
      return row && { message: reviveDigest(row.message), actions: row.actions };
    },

    async recordAction(ref, key, action) {
      await tx
        .update(nudges)
        .set({ actions: sql`${nudges.actions} || jsonb_build_object(${key}::text, ${JSON.stringify(action)}::jsonb)` })
        .where(day(ref));
    },

    async delivery(id) {
      const [row] = await select().where(and(eq(nudgeDeliveries.tenantId, tenantId), eq(nudgeDeliveries.id, id)));
      return row ? toDelivery(row) : undefined;
    },

    async markSent(id, { ref, at }) {
      const rows = await tx
        .update(nudgeDeliveries)
        .set({ status: "sent", externalRef: ref, sentAt: at, leaseExpiresAt: null, updatedAt: sql`now()` })
        .where(pending(id))
        .returning({ id: nudgeDeliveries.id });
      return rows.length > 0;
    },

    async retryLater(id, { at, error, countsAsAttempt }) {
      await tx
        .update(nudgeDeliveries)
        .set({
          nextAttemptAt: at,
          lastError: error,
          // A wait the platform asked for gives the attempt back: it says nothing about the message.
          attempts: countsAsAttempt ? nudgeDeliveries.attempts : sql`${nudgeDeliveries.attempts} - 1`,
          leaseOwner: null,
          leaseExpiresAt: null,
          updatedAt: sql`now()`,
        })
        .where(pending(id));
    },

    async markDead(id, error) {
      await tx
        .update(nudgeDeliveries)
        .set({ status: "dead", lastError: error, leaseExpiresAt: null, updatedAt: sql`now()` })
        .where(pending(id));
    },

    async markUnknown(id, error) {
      await tx
        .update(nudgeDeliveries)
        .set({ status: "unknown", lastError: error, leaseExpiresAt: null, updatedAt: sql`now()` })
        .where(pending(id));
    },

    async deliveries(localDate) {
      const rows = await select()
        .where(and(eq(nudgeDeliveries.tenantId, tenantId), eq(nudgeDeliveries.localDate, localDate)))
        .orderBy(asc(nudgeDeliveries.target));
      return rows.map(toDelivery);
    },
  };
}

/**
 * The nudge's cross-tenant path, as touchpoint_system: tenants' nudge settings and the date of
 * their latest nudge (never a message), and the deliveries' leases (column grants allow no more).
 */
export function nudgeDirectory(db: Database): NudgeDirectory {
  return {
    candidates: () =>
      asSystem(db, async (tx) => {
        const rows = await queryRows<{
          id: string;
          time_zone: string;
          nudge_time: string;
          last_local_date: string | null;
        }>(
          tx,
          sql`
            select t.id, t.time_zone, t.nudge_time,
                   (select max(n.local_date)::text from nudges n where n.tenant_id = t.id and n.kind = 'daily')
                     as last_local_date
            from tenants t
            where t.nudge_channel is not null
              and exists (select 1 from installations i where i.tenant_id = t.id)`,
        );
        return rows.map((row) => ({
          tenantId: row.id,
          timeZone: row.time_zone,
          nudgeTime: row.nudge_time,
          lastLocalDate: row.last_local_date,
        }));
      }),

    claimDeliveries: ({ owner, now, leaseSeconds, limit }) =>
      asSystem(db, async (tx) => {
        const at = now.toISOString();
        // SKIP LOCKED: replicas claiming at once take different deliveries, never one twice. A
        // lease still owned (every finished attempt lets go of it) is one whose attempt never said
        // how it went.
        const rows = await queryRows<{ tenant_id: string; id: string; interrupted: boolean }>(
          tx,
          sql`
            update nudge_deliveries d
            set attempts = d.attempts + 1, lease_owner = ${owner},
                lease_expires_at = ${at}::timestamptz + make_interval(secs => ${leaseSeconds})
            from (
              select tenant_id, id, lease_owner from nudge_deliveries
              where status = 'pending' and next_attempt_at <= ${at}::timestamptz
                and (lease_expires_at is null or lease_expires_at <= ${at}::timestamptz)
              order by next_attempt_at
              limit ${limit}
              for update skip locked
            ) due
            where d.tenant_id = due.tenant_id and d.id = due.id
            returning d.tenant_id, d.id, due.lease_owner is not null as interrupted`,
        );
        return rows.map((row) => ({ tenantId: row.tenant_id, id: row.id, interrupted: row.interrupted }));
      }),

    deadLetters: () => countByTenant(db, "dead"),
    unknownOutcomes: () => countByTenant(db, "unknown"),
  };
}

/**
 * Deliveries in one end state per tenant. The status is written into the statement, not bound, so
 * the planner can use that status's partial index.
 */
function countByTenant(db: Database, status: "dead" | "unknown"): Promise<ReadonlyMap<string, number>> {
  return asSystem(db, async (tx) => {
    const rows = await queryRows<{ tenant_id: string; n: number }>(
      tx,
      sql`select tenant_id, count(*)::int as n from nudge_deliveries
          where status = ${sql.raw(`'${status}'`)} group by tenant_id`,
    );
    return new Map(rows.map((row) => [row.tenant_id, row.n]));
  });
}
