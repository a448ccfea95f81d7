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

/** A tenant's columns for hand-written SQL, under drizzle's names (see TOUCHPOINT_COLUMNS). */
export const TENANT_COLUMNS = sql.raw(
  `id, platform, external_id as "externalId", enterprise_id as "enterpriseId", name, time_zone as "timeZone",
   nudge_time as "nudgeTime", nudge_channel as "nudgeChannel", settings, created_at as "createdAt", updated_at as "updatedAt"`,
);

export type TenantRow = Raw<typeof tenants.$inferSelect, "createdAt" | "updatedAt">;

export function toTenant(row: TenantRow): Tenant {
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
    createdAt: toDate(row.createdAt),
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

/**
 * A timestamp as raw SQL hands it back: text from postgres.js (drizzle switches its date parsing
 * off), text or a Date from PGlite.
 */
export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** A row from hand-written SQL: the columns aliased to the schema's names, timestamps as the driver gives them. */
type Raw<Row, Timestamps extends keyof Row> = Omit<Row, Timestamps> & {
  [K in Timestamps]: null extends Row[K] ? Date | string | null : Date | string;
};

/**
 * A touchpoint's columns for hand-written SQL, under the names drizzle would give them. The /touch
 * path reads and writes touchpoints with these: building the same statements with drizzle's query
 * builder cost more CPU per request than everything else in it.
 */
export const TOUCHPOINT_COLUMNS = sql.raw(
  `tenant_id as "tenantId", id, contact_id as "contactId", occurred_at as "occurredAt", channel, direction, note,
   logged_by as "loggedBy", source, source_ref as "sourceRef", created_at as "createdAt", undone_at as "undoneAt"`,
);

export type TouchpointRow = Raw<typeof touchpoints.$inferSelect, "occurredAt" | "createdAt" | "undoneAt">;

export function toTouchpoint(row: TouchpointRow): Touchpoint {
  return {
    id: row.id,
    tenantId: row.tenantId,
    contactId: row.contactId,
    occurredAt: toDate(row.occurredAt),
    channel: row.channel,
    direction: row.direction,
    note: row.note,
    loggedBy: row.loggedBy,
    source: row.source,
    sourceRef: row.sourceRef,
    createdAt: toDate(row.createdAt),
    undoneAt: row.undoneAt === null ? null : toDate(row.undoneAt),
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

/** contactColumns for hand-written SQL over `contacts`, under drizzle's names (see TOUCHPOINT_COLUMNS). */
export const CONTACT_COLUMNS = sql.raw(
  `contacts.tenant_id as "tenantId", contacts.id, contacts.name, contacts.segment, contacts.tags, contacts.owner,
   contacts.cadence_days as "cadenceDays", contacts.notes, contacts.archived,
   contacts.created_at as "createdAt", contacts.updated_at as "updatedAt",
   coalesce((
     select json_agg(json_build_object('platform', i.platform, 'handle', i.handle, 'externalUserId', i.external_user_id))
     from contact_identities i
     where i.tenant_id = contacts.tenant_id and i.contact_id = contacts.id
   ), '[]'::json) as identities`,
);

export type ContactRow = Raw<typeof contacts.$inferSelect, "createdAt" | "updatedAt"> & {
  identities: Identity[] | string;
};

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
    createdAt: toDate(row.createdAt),
    updatedAt: toDate(row.updatedAt),
  };
}
