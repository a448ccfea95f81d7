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
import { getTableColumns, sql } from "drizzle-orm";
import {
  contactIdentities,
  contacts,
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

/** X first, then email…: the order people recognize a contact by. */
const PLATFORM_ORDER: readonly string[] = IDENTITY_PLATFORMS;

/**
 * A contact's columns and its identities in one row: the identities as a JSON array from a
 * correlated subquery (index-backed), so reading a contact is one round trip, not two. The outer
 * columns are spelled out qualified: drizzle writes a lone table's columns unqualified, which the
 * subquery would read as its own.
 */
export const contactColumns = {
  ...getTableColumns(contacts),
  identities: sql<Identity[]>`coalesce((
    select json_agg(json_build_object('platform', i.platform, 'handle', i.handle, 'externalUserId', i.external_user_id))
    from ${contactIdentities} i
    where i.tenant_id = "contacts"."tenant_id" and i.contact_id = "contacts"."id"
  ), '[]'::json)`,
};

export type ContactRow = typeof contacts.$inferSelect & { identities: Identity[] | string };

export function toContact(row: ContactRow): Contact {
  const identities = (typeof row.identities === "string" ? JSON.parse(row.identities) : row.identities) as Identity[];
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    segment: row.segment,
    tags: row.tags,
    owner: row.owner,
    cadenceDays: row.cadenceDays,
    notes: row.notes,
    archived: row.archived,
    identities: [...identities].sort((a, b) => PLATFORM_ORDER.indexOf(a.platform) - PLATFORM_ORDER.indexOf(b.platform)),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
