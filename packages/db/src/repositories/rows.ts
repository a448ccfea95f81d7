import {
  type Contact,
  DEFAULT_SETTINGS,
  IDENTITY_PLATFORMS,
  type Identity,
  type Member,
  type SocialAccount,
  type Tenant,
  type Touchpoint,
} from "@touchpoint/core";
import { and, eq, inArray } from "drizzle-orm";
import type { Queryable } from "../client.js";
import {
  contactIdentities,
  type contacts,
  type members,
  type socialAccounts,
  type tenants,
  type touchpoints,
} from "../schema.js";

/** Row → domain mappers: the only place that knows both shapes. */

export function toTenant(row: typeof tenants.$inferSelect): Tenant {
  return {
    id: row.id,
    platform: row.platform,
    externalId: row.externalId,
    enterpriseId: row.enterpriseId,
    name: row.name,
    timeZone: row.timeZone,
    nudgeTime: row.nudgeTime,
    nudgeChannel: row.nudgeChannel,
    settings: { ...DEFAULT_SETTINGS, ...row.settings },
    createdAt: row.createdAt,
  };
}

export function toMember(row: typeof members.$inferSelect): Member {
  return {
    tenantId: row.tenantId,
    platformUserId: row.platformUserId,
    role: row.role,
    displayName: row.displayName,
  };
}

export function toTouchpoint(row: typeof touchpoints.$inferSelect): Touchpoint {
  return {
    id: row.id,
    tenantId: row.tenantId,
    contactId: row.contactId,
    occurredAt: row.occurredAt,
    channel: row.channel,
    direction: row.direction,
    note: row.note,
    loggedBy: row.loggedBy,
    source: row.source,
    sourceRef: row.sourceRef,
    createdAt: row.createdAt,
    undoneAt: row.undoneAt,
  };
}

export function toSocialAccount(row: typeof socialAccounts.$inferSelect): SocialAccount {
  return {
    tenantId: row.tenantId,
    id: row.id,
    platform: row.platform,
    handle: row.handle,
    externalUserId: row.externalUserId,
    status: row.status,
    createdAt: row.createdAt,
  };
}

type ContactRow = typeof contacts.$inferSelect;
/** X first, then email…: the order people recognize a contact by. */
const PLATFORM_ORDER: readonly string[] = IDENTITY_PLATFORMS;

/** Attaches identities to contact rows with one query, keeping the rows' order. */
export async function withIdentities(db: Queryable, tenantId: string, rows: readonly ContactRow[]): Promise<Contact[]> {
  if (rows.length === 0) return [];
  const identityRows = await db
    .select()
    .from(contactIdentities)
    .where(
      and(
        eq(contactIdentities.tenantId, tenantId),
        // Loading all of a tenant's identities beats a 10,000-element IN list for big reads.
        rows.length > 500
          ? undefined
          : inArray(
              contactIdentities.contactId,
              rows.map((r) => r.id),
            ),
      ),
    )
    .orderBy(contactIdentities.createdAt);
  const byContact = new Map<string, Identity[]>();
  for (const row of identityRows) {
    const list = byContact.get(row.contactId) ?? [];
    list.push({ platform: row.platform, handle: row.handle, externalUserId: row.externalUserId });
    byContact.set(row.contactId, list);
  }
  for (const list of byContact.values())
    list.sort((a, b) => PLATFORM_ORDER.indexOf(a.platform) - PLATFORM_ORDER.indexOf(b.platform));
  return rows.map((row) => ({
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    segment: row.segment,
    tags: row.tags,
    owner: row.owner,
    cadenceDays: row.cadenceDays,
    notes: row.notes,
    archived: row.archived,
    identities: byContact.get(row.id) ?? [],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }));
}
