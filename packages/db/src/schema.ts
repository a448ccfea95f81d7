import type { DeliveryStatus, NudgeAction, NudgeKind, TenantSettings } from "@touchpoint/core";
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/*
 * Every tenant-owned table has tenant_id leading its primary key and every foreign key, so the
 * schema can be distributed by tenant later (Citus) and every index starts where every query does.
 * Row-Level Security on each of them comes from the custom migration in drizzle/ (roles and grants
 * cannot be expressed in this schema file).
 */

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(", ")})`);

export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    platform: text("platform", { enum: ["slack", "teams"] }).notNull(),
    externalId: text("external_id").notNull(),
    enterpriseId: text("enterprise_id"),
    name: text("name").notNull(),
    timeZone: text("time_zone").notNull().default("UTC"),
    nudgeTime: text("nudge_time").notNull().default("09:00"),
    nudgeChannel: text("nudge_channel"),
    settings: jsonb("settings").$type<Partial<TenantSettings>>().notNull().default({}),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("tenants_platform_external_id_key").on(t.platform, t.externalId),
    check("tenants_platform_check", inList("platform", ["slack", "teams"])),
    check("tenants_nudge_time_check", sql`${t.nudgeTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
  ],
);

const tenantId = () =>
  uuid("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" });

export const members = pgTable(
  "members",
  {
    tenantId: tenantId(),
    platformUserId: text("platform_user_id").notNull(),
    role: text("role", { enum: ["admin", "member"] })
      .notNull()
      .default("member"),
    displayName: text("display_name"),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.platformUserId] }),
    check("members_role_check", inList("role", ["admin", "member"])),
  ],
);

export const contacts = pgTable(
  "contacts",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    name: text("name").notNull(),
    segment: text("segment"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    owner: text("owner"),
    cadenceDays: integer("cadence_days"),
    notes: text("notes"),
    archived: boolean("archived").notNull().default(false),
    /**
     * The latest touch not undone, kept by triggers on touchpoints (drizzle/0011): the nudge reads
     * who is going cold from here, without looking through anyone's history.
     */
    lastTouchAt: timestamp("last_touch_at", { withTimezone: true }),
    lastTouchChannel: text("last_touch_channel"),
    lastTouchDirection: text("last_touch_direction"),
    lastTouchNote: text("last_touch_note"),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("contacts_name_idx").on(t.tenantId, sql`lower(${t.name})`),
    check("contacts_cadence_days_check", sql`${t.cadenceDays} between 1 and 3650`),
  ],
);

export const contactIdentities = pgTable(
  "contact_identities",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    contactId: uuid("contact_id").notNull(),
    platform: text("platform", { enum: ["x", "email", "bluesky", "mastodon", "slack"] }).notNull(),
    /** Normalized: lower case, no leading @ (Mastodon keeps its @user@host form). */
    handle: text("handle").notNull(),
    externalUserId: text("external_user_id"),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "contact_identities_contact_fk",
      columns: [t.tenantId, t.contactId],
      foreignColumns: [contacts.tenantId, contacts.id],
    }).onDelete("cascade"),
    uniqueIndex("contact_identities_handle_key").on(t.tenantId, t.platform, t.handle),
    uniqueIndex("contact_identities_external_user_key")
      .on(t.tenantId, t.platform, t.externalUserId)
      .where(sql`${t.externalUserId} is not null`),
    index("contact_identities_any_handle_idx").on(t.tenantId, t.handle),
    index("contact_identities_contact_idx").on(t.tenantId, t.contactId),
    check("contact_identities_platform_check", inList("platform", ["x", "email", "bluesky", "mastodon", "slack"])),
  ],
);

const TOUCH_CHANNELS = [
  "x_mention",
  "x_reply",
  "x_quote",
  "x_dm",
  "call",
  "email",
  "meeting",
  "event",
  "donation",
  "note",
] as const;
const TOUCH_SOURCES = ["slack", "teams", "x", "cli", "import", "demo"] as const;

export const touchpoints = pgTable(
  "touchpoints",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    contactId: uuid("contact_id").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    channel: text("channel", { enum: TOUCH_CHANNELS }).notNull(),
    direction: text("direction", { enum: ["inbound", "outbound"] }).notNull(),
    note: text("note"),
    loggedBy: text("logged_by").notNull(),
    source: text("source", { enum: TOUCH_SOURCES }).notNull(),
    sourceRef: text("source_ref").notNull(),
    createdAt: timestamps.createdAt,
    undoneAt: timestamp("undone_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "touchpoints_contact_fk",
      columns: [t.tenantId, t.contactId],
      foreignColumns: [contacts.tenantId, contacts.id],
    }).onDelete("cascade"),
    uniqueIndex("touchpoints_source_ref_key").on(t.tenantId, t.sourceRef),
    // The last touch per contact is an index-only scan of this within a tenant.
    index("touchpoints_contact_recent_idx")
      .on(t.tenantId, t.contactId, t.occurredAt, t.createdAt)
      .where(sql`${t.undoneAt} is null`),
    check("touchpoints_channel_check", inList("channel", TOUCH_CHANNELS)),
    check("touchpoints_direction_check", inList("direction", ["inbound", "outbound"])),
    check("touchpoints_source_check", inList("source", TOUCH_SOURCES)),
  ],
);

const MENTION_STATUSES = ["needs_reply", "replied", "dismissed", "snoozed"] as const;
const SOCIAL_PLATFORMS = ["x", "bluesky", "mastodon"] as const;

/** The social inbox: posts that mention the organization, and what the team did about them. */
export const mentions = pgTable(
  "mentions",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    platform: text("platform", { enum: SOCIAL_PLATFORMS }).notNull(),
    postId: text("post_id").notNull(),
    authorExternalId: text("author_external_id").notNull(),
    authorHandle: text("author_handle").notNull(),
    authorName: text("author_name"),
    authorFollowers: integer("author_followers"),
    authorFollowing: integer("author_following"),
    authorPostCount: integer("author_post_count"),
    authorDefaultAvatar: boolean("author_default_avatar"),
    authorCreatedAt: timestamp("author_created_at", { withTimezone: true }),
    authorVerified: boolean("author_verified"),
    contactId: uuid("contact_id"),
    text: text("text").notNull(),
    url: text("url").notNull(),
    postedAt: timestamp("posted_at", { withTimezone: true }).notNull(),
    kind: text("kind", { enum: ["mention", "reply", "quote"] }).notNull(),
    conversationId: text("conversation_id"),
    status: text("status", { enum: MENTION_STATUSES }).notNull().default("needs_reply"),
    snoozedUntil: timestamp("snoozed_until", { withTimezone: true }),
    assignee: text("assignee"),
    repliedAt: timestamp("replied_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "mentions_contact_fk",
      columns: [t.tenantId, t.contactId],
      foreignColumns: [contacts.tenantId, contacts.id],
    }),
    uniqueIndex("mentions_post_key").on(t.tenantId, t.platform, t.postId),
    // Open mentions by age, the nudge's first section.
    index("mentions_status_age_idx").on(t.tenantId, t.status, t.postedAt),
    index("mentions_contact_idx").on(t.tenantId, t.contactId),
    // A reply later in a thread answers the mentions in it.
    index("mentions_conversation_idx").on(t.tenantId, t.platform, t.conversationId),
    // Yesterday's and the week's figures read a few days of mentions, not the whole history.
    index("mentions_posted_idx").on(t.tenantId, t.postedAt),
    // Contacts' mentions waiting for a reply, for the nudge: a few hundred index entries carrying
    // what ranking them needs, instead of the mentions' rows and every contact of the tenant.
    index("mentions_waiting_from_contacts_idx")
      .on(t.tenantId, t.postedAt, t.contactId, t.status, t.snoozedUntil, t.postId, t.id)
      .where(sql`${t.contactId} is not null and ${t.status} in ('needs_reply', 'snoozed')`),
    check("mentions_platform_check", inList("platform", SOCIAL_PLATFORMS)),
    check("mentions_kind_check", inList("kind", ["mention", "reply", "quote"])),
    check("mentions_status_check", inList("status", MENTION_STATUSES)),
  ],
);

/** The organization's own accounts, with encrypted credentials and the ingest cursors. */
export const socialAccounts = pgTable(
  "social_accounts",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    platform: text("platform", { enum: SOCIAL_PLATFORMS }).notNull(),
    handle: text("handle").notNull(),
    externalUserId: text("external_user_id").notNull(),
    /** AES-256-GCM envelope (see crypto.ts); never plaintext. */
    credentials: text("credentials").notNull(),
    status: text("status", { enum: ["active", "paused"] })
      .notNull()
      .default("active"),
    pausedReason: text("paused_reason"),
    mentionsSinceId: text("mentions_since_id"),
    ownPostsSinceId: text("own_posts_since_id"),
    // Pages come newest first: mid-run, the page to read next and the newest id of the run.
    mentionsNextToken: text("mentions_next_token"),
    mentionsPendingNewestId: text("mentions_pending_newest_id"),
    ownPostsNextToken: text("own_posts_next_token"),
    ownPostsPendingNewestId: text("own_posts_pending_newest_id"),
    pollIntervalSeconds: integer("poll_interval_seconds"),
    /**
     * The first nudge is owed: set with the store that ends the backfill, cleared by the claim
     * that queues it once the poll has read the account's own posts too (a crash between keeps it owed).
     */
    welcomeDue: boolean("welcome_due").notNull().default(false),
    nextPollAt: timestamp("next_poll_at", { withTimezone: true }).notNull().defaultNow(),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("social_accounts_user_key").on(t.tenantId, t.platform, t.externalUserId),
    index("social_accounts_due_idx").on(t.nextPollAt).where(sql`${t.status} = 'active'`),
    check("social_accounts_platform_check", inList("platform", SOCIAL_PLATFORMS)),
    check("social_accounts_status_check", inList("status", ["active", "paused"])),
  ],
);

/** The app installed in a workspace: looked up by (platform, key) before the tenant is known. */
export const installations = pgTable(
  "installations",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    platform: text("platform", { enum: ["slack", "teams"] }).notNull(),
    /** Slack team id, or the Enterprise Grid org id for an org-wide install; Teams tenant id. */
    key: text("key").notNull(),
    enterpriseId: text("enterprise_id"),
    teamId: text("team_id"),
    isEnterpriseInstall: boolean("is_enterprise_install").notNull().default(false),
    botUserId: text("bot_user_id"),
    installedBy: text("installed_by"),
    /** AES-256-GCM envelope of the SDK's installation record (it holds the tokens). */
    secret: text("secret").notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // Global, not per tenant: a request's team id must lead to exactly one installation.
    uniqueIndex("installations_key").on(t.platform, t.key),
    check("installations_platform_check", inList("platform", ["slack", "teams"])),
  ],
);

const INSTALL_SCOPES = ["team", "groupChat", "personal"] as const;

/**
 * Where in an organization the app is installed (Teams: each team, group chat and personal scope
 * it was added to), with the conversation reference proactive messages start from. The
 * organization stays installed while one of these does (see core's uninstallApp); a removed scope
 * keeps its row, marked, so "did it ever have a team install?" has an answer.
 */
export const installScopes = pgTable(
  "install_scopes",
  {
    tenantId: tenantId(),
    /** The conversation the app was added in: a team's id, a group chat's or a personal chat's. */
    conversationId: text("conversation_id").notNull(),
    scope: text("scope", { enum: INSTALL_SCOPES }).notNull(),
    /** AES-256-GCM envelope of the platform's conversation reference (see crypto.ts). */
    reference: text("reference").notNull(),
    installedBy: text("installed_by"),
    removedAt: timestamp("removed_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.conversationId] }),
    check("install_scopes_scope_check", inList("scope", INSTALL_SCOPES)),
  ],
);

/**
 * The keys stored secrets are sealed with, by key id (a hash of the key, never the key): start-up
 * checks its key against these, so a wrong key stops the server with one line rather than failing
 * the first request that opens a token. Not tenant data.
 */
export const sealingKeys = pgTable("sealing_keys", {
  keyId: text("key_id").primaryKey(),
  /** A known value sealed with the key: opening it proves the key, not just its id. */
  sealedProbe: text("sealed_probe").notNull(),
  createdAt: timestamps.createdAt,
});

/** Half-done chat replies waiting for a button press ("which Jane?", "Create contact"). */
export const pendingActions = pgTable(
  "pending_actions",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    kind: text("kind").notNull(),
    payload: jsonb("payload").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamps.createdAt,
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("pending_actions_expiry_idx").on(t.expiresAt)],
);

/** The organization's own posts: which mentions they answered, and how much it broadcasts. */
export const ownPosts = pgTable(
  "own_posts",
  {
    tenantId: tenantId(),
    platform: text("platform", { enum: SOCIAL_PLATFORMS }).notNull(),
    postId: text("post_id").notNull(),
    postedAt: timestamp("posted_at", { withTimezone: true }).notNull(),
    conversationId: text("conversation_id"),
    repliesToPostId: text("replies_to_post_id"),
    repliesToUserId: text("replies_to_user_id"),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.platform, t.postId] }),
    index("own_posts_replies_to_idx").on(t.tenantId, t.platform, t.repliesToPostId),
    index("own_posts_conversation_idx").on(t.tenantId, t.platform, t.conversationId),
    index("own_posts_posted_at_idx").on(t.tenantId, t.postedAt),
    check("own_posts_platform_check", inList("platform", SOCIAL_PLATFORMS)),
  ],
);

/**
 * What the platform's rate-limit headers last said per credential and endpoint. Not tenant data:
 * tenants sharing one app's credential share its budget, keyed by a hash of the credential.
 */
export const requestBudgets = pgTable(
  "request_budgets",
  {
    budgetKey: text("budget_key").notNull(),
    endpoint: text("endpoint").notNull(),
    limit: integer("limit"),
    remaining: integer("remaining"),
    resetAt: timestamp("reset_at", { withTimezone: true }),
    blockedUntil: timestamp("blocked_until", { withTimezone: true }),
    updatedAt: timestamps.updatedAt,
  },
  (t) => [primaryKey({ columns: [t.budgetKey, t.endpoint] })],
);

/**
 * One daily nudge per tenant per local day. Inserting the row is the claim: its key makes the
 * nudge exactly once whatever the number of replicas and restarts. It holds the composed message,
 * written in the transaction that claimed it, with the deliveries that send it.
 */
const NUDGE_KINDS = ["daily", "welcome"] as const satisfies readonly NudgeKind[];

export const nudges = pgTable(
  "nudges",
  {
    tenantId: tenantId(),
    localDate: date("local_date", { mode: "string" }).notNull(),
    /** The morning's nudge, or the first one ("what you missed this week") after connecting or importing. */
    kind: text("kind", { enum: NUDGE_KINDS }).notNull().default("daily"),
    /** The platform-neutral message model, as composed. */
    message: jsonb("message").notNull(),
    /** What people did with its buttons, by item ("mention:<id>", "contact:<id>"): shown on it. */
    actions: jsonb("actions").$type<Record<string, NudgeAction>>().notNull().default({}),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    primaryKey({ name: "nudges_pk", columns: [t.tenantId, t.localDate, t.kind] }),
    check("nudges_kind_check", inList("kind", NUDGE_KINDS)),
  ],
);

const DELIVERY_STATUSES = ["pending", "sent", "dead", "unknown"] as const satisfies readonly DeliveryStatus[];

/**
 * The transactional outbox: a nudge's deliveries (to the channel, or to an owner by direct
 * message), written with the nudge and worked through by the sender, which leases each attempt.
 */
export const nudgeDeliveries = pgTable(
  "nudge_deliveries",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    localDate: date("local_date", { mode: "string" }).notNull(),
    kind: text("kind", { enum: NUDGE_KINDS }).notNull().default("daily"),
    /** A channel id, or a person's id for a direct message. */
    target: text("target").notNull(),
    /** An owner's own view of the day, for their direct message; null: the nudge's message. */
    message: jsonb("message"),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    lastError: text("last_error"),
    /** The platform's reference to the posted message (Slack's channel and ts). */
    externalRef: text("external_ref"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("nudge_deliveries_target_key").on(t.tenantId, t.localDate, t.kind, t.target),
    foreignKey({
      name: "nudge_deliveries_nudge_fk",
      columns: [t.tenantId, t.localDate, t.kind],
      foreignColumns: [nudges.tenantId, nudges.localDate, nudges.kind],
    }).onDelete("cascade"),
    index("nudge_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("nudge_deliveries_dead_idx").on(t.tenantId).where(sql`${t.status} = 'dead'`),
    index("nudge_deliveries_unknown_idx").on(t.tenantId).where(sql`${t.status} = 'unknown'`),
    check("nudge_deliveries_status_check", inList("status", DELIVERY_STATUSES)),
  ],
);
