import { type ContactRepository, compareContacts, type Identity } from "@touchpoint/core";
import { and, desc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Transaction } from "../client.js";
import { contactIdentities, contacts, touchpoints } from "../schema.js";
import { insertContacts } from "./bulk-insert.js";
import { withIdentities } from "./rows.js";

export function contactRepository(tx: Transaction, tenantId: string): ContactRepository {
  const mine = eq(contacts.tenantId, tenantId);
  const active = and(mine, eq(contacts.archived, false));

  const byIds = async (ids: readonly string[], onlyActive: boolean) => {
    if (ids.length === 0) return [];
    const rows = await tx
      .select()
      .from(contacts)
      .where(and(onlyActive ? active : mine, inArray(contacts.id, [...ids])));
    return (await withIdentities(tx, tenantId, rows)).sort(compareContacts);
  };

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
      const [contact] = await byIds([id as string], false);
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
        .returning();
      if (!row) return undefined;
      const [contact] = await withIdentities(tx, tenantId, [row]);
      return contact;
    },

    async addIdentities(id, identities) {
      if (identities.length > 0) await tx.insert(contactIdentities).values(identityValues(id, identities));
    },

    async get(id) {
      const [contact] = await byIds([id], false);
      return contact;
    },

    async findByIdentity(platform, key) {
      const holder = async (match: SQL) => {
        const [hit] = await tx
          .select({ contactId: contactIdentities.contactId })
          .from(contactIdentities)
          .where(and(eq(contactIdentities.tenantId, tenantId), eq(contactIdentities.platform, platform), match));
        return hit?.contactId;
      };
      // The platform's user id outlives handle changes, so it decides when both are known.
      const contactId =
        (key.externalUserId !== undefined
          ? await holder(eq(contactIdentities.externalUserId, key.externalUserId))
          : undefined) ??
        (key.handle !== undefined ? await holder(eq(contactIdentities.handle, key.handle)) : undefined);
      if (contactId === undefined) return undefined;
      const [contact] = await byIds([contactId], false);
      return contact;
    },

    async findByHandle(handle) {
      const hits = await tx
        .selectDistinct({ contactId: contactIdentities.contactId })
        .from(contactIdentities)
        .where(and(eq(contactIdentities.tenantId, tenantId), eq(contactIdentities.handle, handle)));
      return byIds(
        hits.map((h) => h.contactId),
        true,
      );
    },

    async findByName(name) {
      const rows = await tx
        .select()
        .from(contacts)
        .where(and(active, sql`lower(${contacts.name}) = lower(${name})`));
      return (await withIdentities(tx, tenantId, rows)).sort(compareContacts);
    },

    async listNames() {
      return tx.select({ id: contacts.id, name: contacts.name }).from(contacts).where(active);
    },

    async list(options) {
      const rows = await tx
        .select()
        .from(contacts)
        .where(options?.includeArchived ? mine : active);
      return (await withIdentities(tx, tenantId, rows)).sort(compareContacts);
    },

    async listWithLastTouch() {
      const last = tx
        .select({
          occurredAt: touchpoints.occurredAt,
          channel: touchpoints.channel,
          direction: touchpoints.direction,
          note: touchpoints.note,
        })
        .from(touchpoints)
        .where(
          and(eq(touchpoints.tenantId, tenantId), eq(touchpoints.contactId, contacts.id), isNull(touchpoints.undoneAt)),
        )
        .orderBy(desc(touchpoints.occurredAt), desc(touchpoints.createdAt))
        .limit(1)
        .as("last_touch");
      const rows = await tx
        .select({
          contact: contacts,
          occurredAt: last.occurredAt,
          channel: last.channel,
          direction: last.direction,
          note: last.note,
        })
        .from(contacts)
        .leftJoinLateral(last, sql`true`)
        .where(active);
      const hydrated = await withIdentities(
        tx,
        tenantId,
        rows.map((r) => r.contact),
      );
      return hydrated
        .map((contact, i) => {
          const row = rows[i];
          return {
            contact,
            lastTouch:
              row?.occurredAt && row.channel && row.direction
                ? { occurredAt: row.occurredAt, channel: row.channel, direction: row.direction, note: row.note }
                : null,
          };
        })
        .sort((a, b) => compareContacts(a.contact, b.contact));
    },
  };
}
