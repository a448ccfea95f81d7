import {
  type Contact,
  type ContactRepository,
  compareContacts,
  type Direction,
  type Identity,
  type LastTouch,
  type TouchChannel,
} from "@touchpoint/core";
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { queryRows, type Transaction } from "../client.js";
import { contactIdentities, contacts } from "../schema.js";
import { columnOf, insertContacts } from "./bulk-insert.js";
import { CONTACT_COLUMNS, type ContactRow, contactColumns, toContact, toDate } from "./rows.js";
import type { Turn } from "./turn.js";

/** The latest touch kept on each contact, for hand-written SQL over `contacts`. */
const LAST_TOUCH_COLUMNS = sql.raw(
  "contacts.last_touch_at, contacts.last_touch_channel, contacts.last_touch_direction, contacts.last_touch_note",
);
type LastTouchColumns = {
  last_touch_at: Date | string | null;
  last_touch_channel: TouchChannel | null;
  last_touch_direction: Direction | null;
  last_touch_note: string | null;
};
function lastTouchOf(row: LastTouchColumns): LastTouch | null {
  return row.last_touch_at && row.last_touch_channel && row.last_touch_direction
    ? {
        occurredAt: toDate(row.last_touch_at),
        channel: row.last_touch_channel,
        direction: row.last_touch_direction,
        note: row.last_touch_note,
      }
    : null;
}

export function contactRepository(tx: Transaction, tenantId: string, turn: Turn): ContactRepository {
  const mine = eq(contacts.tenantId, tenantId);
  const active = and(mine, eq(contacts.archived, false));

  /** Contacts (with their identities, in the same query) matching `where`, in the one order everything uses. */
  const select = async (where: SQL | undefined) => {
    const rows = await queryRows<ContactRow>(tx, sql`select ${CONTACT_COLUMNS} from contacts where ${where}`);
    return rows.map(toContact).sort(compareContacts);
  };

  /**
   * The contacts holding identities, one look-up per distinct key in one statement (lookups made
   * together in a turn, see turn.ts, share it): by the platform's user id, else by handle.
   */
  type IdentityKey = {
    readonly platform: Identity["platform"];
    readonly handle?: string;
    readonly externalUserId?: string;
  };
  const holders = async (keys: readonly IdentityKey[]): Promise<(Contact | undefined)[]> => {
    const distinct = new Map(keys.map((k) => [identityKeyOf(k), k]));
    const column = <T>(pick: (k: IdentityKey) => T) => columnOf([...distinct.values()], pick);
    const rows = await queryRows<ContactRow & { key: number | string }>(
      tx,
      sql`select w.key, c.* from unnest(
            ${column((k) => k.platform)}::text[], ${column((k) => k.externalUserId ?? null)}::text[],
            ${column((k) => k.handle ?? null)}::text[]
          ) with ordinality as w(platform, external_user_id, handle, key)
          cross join lateral (
            select ${CONTACT_COLUMNS} from contacts
            where contacts.tenant_id = ${tenantId} and contacts.id = coalesce(
              (select contact_id from contact_identities i
               where i.tenant_id = ${tenantId} and i.platform = w.platform and i.external_user_id = w.external_user_id
               limit 1),
              (select contact_id from contact_identities i
               where i.tenant_id = ${tenantId} and i.platform = w.platform and i.handle = w.handle
               limit 1))
          ) c`,
    );
    const ids = [...distinct.keys()];
    const found = new Map(rows.map((row) => [ids[Number(row.key) - 1], toContact(row)]));
    return keys.map((k) => found.get(identityKeyOf(k)));
  };
  const holderOf = turn.coalesce(holders);

  const identityValues = (contactId: string, identities: readonly Identity[]) =>
    identities.map((identity) => ({
      tenantId,
      contactId,
      platform: identity.platform,
      handle: identity.handle,
      externalUserId: identity.externalUserId,
    }));

  return {
    async create(input) {
      const [id] = await insertContacts(tx, tenantId, [input]);
      const [contact] = await select(and(mine, eq(contacts.id, id as string)));
      if (!contact) throw new Error("contact insert returned nothing");
      return contact;
    },

    async createMany(inputs) {
      return (await insertContacts(tx, tenantId, inputs)).length;
    },

    async update(id, patch) {
      const [row] = await tx
        .update(contacts)
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.segment !== undefined && { segment: patch.segment }),
          ...(patch.tags !== undefined && { tags: [...patch.tags] }),
          ...(patch.owner !== undefined && { owner: patch.owner }),
          ...(patch.cadenceDays !== undefined && { cadenceDays: patch.cadenceDays }),
          ...(patch.notes !== undefined && { notes: patch.notes }),
          ...(patch.archived !== undefined && { archived: patch.archived }),
          updatedAt: sql`now()`,
        })
        .where(and(mine, eq(contacts.id, id)))
        .returning(contactColumns);
      return row ? toContact(row as ContactRow) : undefined;
    },

    async addIdentities(id, identities) {
      if (identities.length > 0) await tx.insert(contactIdentities).values(identityValues(id, identities));
    },

    async get(id) {
      const [contact] = await select(and(mine, eq(contacts.id, id)));
      return contact;
    },

    findByIdentity(platform, key) {
      return holderOf({ platform, ...key });
    },

    async identityHolders(platform, keys) {
      if (keys.externalUserIds.length === 0 && keys.handles.length === 0) return [];
      const rows = await queryRows<{ contact_id: string; external_user_id: string | null; handle: string | null }>(
        tx,
        // Two index look-ups rather than one OR, which a planner without fresh statistics scans for.
        sql`select contact_id, external_user_id, handle from contact_identities
            where tenant_id = ${tenantId} and platform = ${platform}
              and external_user_id = any(${sql.param([...keys.externalUserIds])}::text[])
            union
            select contact_id, external_user_id, handle from contact_identities
            where tenant_id = ${tenantId} and platform = ${platform}
              and handle = any(${sql.param([...keys.handles])}::text[])`,
      );
      return rows.map((row) => ({
        contactId: row.contact_id,
        externalUserId: row.external_user_id,
        handle: row.handle,
      }));
    },

    async learnExternalUserIds(platform, learned) {
      if (learned.length === 0) return;
      await tx.execute(sql`
        update contact_identities i set external_user_id = l.external_user_id
        from unnest(${columnOf(learned, (l) => l.handle)}::text[], ${columnOf(learned, (l) => l.externalUserId)}::text[])
          as l(handle, external_user_id)
        where i.tenant_id = ${tenantId} and i.platform = ${platform} and i.handle = l.handle
          and i.external_user_id is null
          and not exists (select 1 from contact_identities t where t.tenant_id = ${tenantId}
            and t.platform = ${platform} and t.external_user_id = l.external_user_id)`);
    },

    async findByHandle(handle) {
      return select(
        and(
          active,
          inArray(
            contacts.id,
            tx
              .select({ id: contactIdentities.contactId })
              .from(contactIdentities)
              .where(and(eq(contactIdentities.tenantId, tenantId), eq(contactIdentities.handle, handle))),
          ),
        ),
      );
    },

    async findByName(name) {
      return select(and(active, sql`lower(${contacts.name}) = lower(${name})`));
    },

    async listNames() {
      return tx.select({ id: contacts.id, name: contacts.name }).from(contacts).where(active);
    },

    async list(options) {
      return select(options?.includeArchived ? mine : active);
    },

    async listWithLastTouch() {
      // Each contact's latest touch is kept on it (drizzle/0011): no look through the history.
      const rows = await queryRows<ContactRow & LastTouchColumns>(
        tx,
        sql`select ${CONTACT_COLUMNS}, ${LAST_TOUCH_COLUMNS} from contacts
            where contacts.tenant_id = ${tenantId} and not contacts.archived`,
      );
      return rows
        .map((row) => ({ contact: toContact(row), lastTouch: lastTouchOf(row) }))
        .sort((a, b) => compareContacts(a.contact, b.contact));
    },

    async goingCold({ now, timeZone, cadenceBySegment, fallbackCadence, weights, fallbackWeight, limit }) {
      const cadenceSegments = Object.keys(cadenceBySegment);
      const weightSegments = Object.keys(weights);
      // Calendar days in the tenant's zone, as the people who keep the cadence count them; ranked
      // and counted in one statement over the contacts alone (their latest touch is kept on them).
      const at = now.toISOString();
      const rows = await queryRows<
        ContactRow & LastTouchColumns & { days_since: number; cadence: number; total: number }
      >(
        tx,
        sql`
          with scored as (
            select contacts.id,
                   greatest(0, (${at}::timestamptz at time zone ${timeZone})::date
                               - (contacts.last_touch_at at time zone ${timeZone})::date) as days_since,
                   coalesce(contacts.cadence_days, s.cadence, ${fallbackCadence}::int) as cadence,
                   coalesce(w.weight, ${fallbackWeight}::float8) as weight
            from contacts
            left join unnest(${sql.param(cadenceSegments)}::text[],
                             ${sql.param(cadenceSegments.map((k) => cadenceBySegment[k]))}::int[])
              as s(segment, cadence) on s.segment = contacts.segment
            left join unnest(${sql.param(weightSegments)}::text[],
                             ${sql.param(weightSegments.map((k) => weights[k]))}::float8[])
              as w(segment, weight) on w.segment = contacts.segment
            where contacts.tenant_id = ${tenantId} and not contacts.archived and contacts.last_touch_at is not null
          ), overdue as (
            select id, days_since, cadence, count(*) over ()::int as total,
                   days_since::float8 / cadence * weight as score
            from scored where days_since > cadence
            order by score desc, id
            limit ${limit}
          )
          select ${CONTACT_COLUMNS}, ${LAST_TOUCH_COLUMNS}, overdue.days_since, overdue.cadence, overdue.total
          from overdue join contacts on contacts.tenant_id = ${tenantId} and contacts.id = overdue.id
          order by overdue.score desc, overdue.id`,
      );
      const relationships = rows.map((row) => ({
        contact: toContact(row),
        lastTouch: lastTouchOf(row),
        daysSince: row.days_since,
        cadenceDays: row.cadence,
        overdueRatio: row.days_since / row.cadence,
        status: "overdue" as const,
        recent: null,
      }));
      return { relationships, total: rows[0]?.total ?? 0 };
    },
  };
}

/** One string per distinct identity look-up. */
function identityKeyOf(key: { readonly platform: string; readonly handle?: string; readonly externalUserId?: string }) {
  return JSON.stringify([key.platform, key.externalUserId ?? null, key.handle ?? null]);
}
