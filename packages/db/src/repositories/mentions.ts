import {
  type Mention,
  type MentionRepository,
  type NewMention,
  OPEN_MENTION_STATUSES,
  type OwnPost,
  type OwnPostRepository,
} from "@touchpoint/core";
import { sql } from "drizzle-orm";
import { queryRows, type Transaction } from "../client.js";
import { columnOf } from "./bulk-insert.js";
import { toDate } from "./rows.js";

/**
 * Mentions and the organization's own posts, in hand-written SQL: ingest writes them a page at a
 * time, set-wise (one array per column through unnest), whatever the page size.
 */

type MentionRow = {
  tenant_id: string;
  id: string;
  platform: Mention["platform"];
  post_id: string;
  author_external_id: string;
  author_handle: string;
  author_name: string | null;
  author_followers: number | null;
  author_following: number | null;
  author_post_count: number | null;
  author_default_avatar: boolean | null;
  author_created_at: Date | string | null;
  author_verified: boolean | null;
  contact_id: string | null;
  text: string;
  url: string;
  posted_at: Date | string;
  kind: Mention["kind"];
  conversation_id: string | null;
  status: Mention["status"];
  snoozed_until: Date | string | null;
  assignee: string | null;
  replied_at: Date | string | null;
};

const orNull = (value: Date | string | null) => (value === null ? null : toDate(value));

function toMention(row: MentionRow): Mention {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    platform: row.platform,
    postId: row.post_id,
    author: {
      externalUserId: row.author_external_id,
      handle: row.author_handle,
      name: row.author_name,
      followers: row.author_followers,
      following: row.author_following,
      postCount: row.author_post_count,
      defaultAvatar: row.author_default_avatar,
      createdAt: orNull(row.author_created_at),
      verified: row.author_verified,
    },
    contactId: row.contact_id,
    text: row.text,
    url: row.url,
    postedAt: toDate(row.posted_at),
    kind: row.kind,
    conversationId: row.conversation_id,
    status: row.status,
    snoozedUntil: orNull(row.snoozed_until),
    assignee: row.assignee,
    repliedAt: orNull(row.replied_at),
  };
}

/** The columns ingest writes, in insertMany's order; the rest keep their defaults. */
export const MENTION_WRITE_COLUMNS = [
  "tenant_id",
  "platform",
  "post_id",
  "author_external_id",
  "author_handle",
  "author_name",
  "author_followers",
  "author_following",
  "author_post_count",
  "author_default_avatar",
  "author_created_at",
  "author_verified",
  "contact_id",
  "text",
  "url",
  "posted_at",
  "kind",
  "conversation_id",
] as const satisfies readonly (keyof MentionRow)[];
const MENTION_COLUMN_NAMES = [
  ...MENTION_WRITE_COLUMNS,
  "id",
  "status",
  "snoozed_until",
  "assignee",
  "replied_at",
] as const satisfies readonly (keyof MentionRow)[];
const MENTION_COLUMNS = sql.raw(MENTION_COLUMN_NAMES.join(", "));
/** The same, of `mentions m` in a join. */
const PREFIXED_COLUMNS = sql.raw(MENTION_COLUMN_NAMES.map((column) => `m.${column}`).join(", "));
const OPEN = sql.raw(`(${OPEN_MENTION_STATUSES.map((status) => `'${status}'`).join(", ")})`);
/** Waiting for a reply at `at`: needing one, or snoozed until a time that has come. */
const awaitsReply = (at: string) =>
  sql`(m.status = 'needs_reply' or (m.status = 'snoozed' and (m.snoozed_until is null or m.snoozed_until <= ${at}::timestamptz)))`;

/**
 * Timestamps and booleans go in as text arrays, cast in SQL: drizzle turns off postgres.js's
 * timestamp serializing, and postgres.js types a JS boolean array as one boolean.
 */
const iso = (date: Date | null) => (date === null ? null : date.toISOString());
const bool = (value: boolean | null) => (value === null ? null : String(value));

export function mentionRepository(tx: Transaction, tenantId: string): MentionRepository {
  return {
    async insertMany(mentions, touches = new Map()) {
      if (mentions.length === 0) return { stored: new Set<string>(), touchpoints: 0 };
      const col = <T>(pick: (m: NewMention) => T) => columnOf(mentions, pick);
      const logged = [...touches].map(([postId, touch]) => ({ postId, ...touch }));
      const tcol = <T>(pick: (t: (typeof logged)[number]) => T) => columnOf(logged, pick);
      // One statement: the touchpoints go in for the mentions that did (ins), and only those.
      const rows = await queryRows<{ post_id: string; touchpoints: number }>(
        tx,
        sql`
          with ins as (
            insert into mentions (${sql.raw(MENTION_WRITE_COLUMNS.join(", "))})
            select ${tenantId}::uuid, u.* from unnest(
              ${col((m) => m.platform)}::text[], ${col((m) => m.postId)}::text[],
              ${col((m) => m.author.externalUserId)}::text[], ${col((m) => m.author.handle)}::text[],
              ${col((m) => m.author.name)}::text[], ${col((m) => m.author.followers)}::int[],
              ${col((m) => m.author.following)}::int[], ${col((m) => m.author.postCount)}::int[],
              ${col((m) => bool(m.author.defaultAvatar))}::text[]::boolean[], ${col((m) => iso(m.author.createdAt))}::text[]::timestamptz[],
              ${col((m) => bool(m.author.verified))}::text[]::boolean[], ${col((m) => m.contactId)}::uuid[],
              ${col((m) => m.text)}::text[], ${col((m) => m.url)}::text[],
              ${col((m) => m.postedAt.toISOString())}::text[]::timestamptz[], ${col((m) => m.kind)}::text[],
              ${col((m) => m.conversationId)}::text[]
            ) as u
            on conflict (tenant_id, platform, post_id) do nothing
            returning post_id
          ), logged as (
            insert into touchpoints (tenant_id, contact_id, occurred_at, channel, direction, note, logged_by, source, source_ref)
            select ${tenantId}::uuid, t.contact_id, t.occurred_at, t.channel, t.direction, t.note, t.logged_by, t.source, t.source_ref
            from unnest(
              ${tcol((t) => t.postId)}::text[], ${tcol((t) => t.contactId)}::uuid[],
              ${tcol((t) => t.occurredAt.toISOString())}::text[]::timestamptz[], ${tcol((t) => t.channel)}::text[],
              ${tcol((t) => t.direction)}::text[], ${tcol((t) => t.note)}::text[], ${tcol((t) => t.loggedBy)}::text[],
              ${tcol((t) => t.source)}::text[], ${tcol((t) => t.sourceRef)}::text[]
            ) as t(post_id, contact_id, occurred_at, channel, direction, note, logged_by, source, source_ref)
            where t.post_id in (select post_id from ins)
            on conflict (tenant_id, source_ref) do nothing
            returning 1
          )
          select post_id, (select count(*) from logged)::int as touchpoints from ins`,
      );
      return { stored: new Set(rows.map((row) => row.post_id)), touchpoints: rows[0]?.touchpoints ?? 0 };
    },

    async findOpen(platform, keys) {
      if (keys.postIds.length === 0 && keys.conversationIds.length === 0) return [];
      const rows = await queryRows<MentionRow>(
        tx,
        sql`
          select ${MENTION_COLUMNS} from mentions
          where tenant_id = ${tenantId} and platform = ${platform} and status in ${OPEN}
            and (post_id = any(${sql.param([...keys.postIds])}::text[])
                 or conversation_id = any(${sql.param([...keys.conversationIds])}::text[]))`,
      );
      return rows.map(toMention);
    },

    async markReplied(replies) {
      if (replies.length === 0) return;
      await tx.execute(sql`
        update mentions m set status = 'replied', replied_at = r.replied_at, snoozed_until = null, updated_at = now()
        from unnest(${columnOf(replies, (r) => r.id)}::uuid[], ${columnOf(replies, (r) => r.repliedAt.toISOString())}::text[]::timestamptz[])
          as r(id, replied_at)
        where m.tenant_id = ${tenantId} and m.id = r.id`);
    },

    async listOpen(limit, filter) {
      const theirs = filter
        ? sql`and (assignee = ${filter.person} or (assignee is null and contact_id in
            (select id from contacts where tenant_id = ${tenantId} and owner = ${filter.person})))`
        : sql``;
      const rows = await queryRows<MentionRow>(
        tx,
        sql`select ${MENTION_COLUMNS} from mentions
            where tenant_id = ${tenantId} and status in ${OPEN} ${theirs}
            order by posted_at, post_id limit ${limit}`,
      );
      return rows.map(toMention);
    },

    async waitingFromContacts({ now, weights, fallbackWeight, limit }) {
      const segments = Object.keys(weights);
      const at = now.toISOString();
      // The total comes from the same statement (and so the same snapshot) as the rows.
      const rows = await queryRows<
        MentionRow & {
          total: number;
          contact_name: string;
          contact_segment: string | null;
          contact_owner: string | null;
        }
      >(
        tx,
        // Ranked over the waiting index alone (and each one's contact by key), then the top rows
        // read in full: the cost follows how many wait, not how many mentions there ever were.
        sql`with ranked as (
              select m.id, m.post_id, count(*) over ()::int as total,
                     coalesce(w.weight, ${fallbackWeight}::float8) * extract(epoch from ${at}::timestamptz - m.posted_at) as score
              from mentions m
              join contacts c on c.tenant_id = m.tenant_id and c.id = m.contact_id and not c.archived
              left join unnest(${sql.param(segments)}::text[], ${sql.param(segments.map((k) => weights[k]))}::float8[])
                as w(segment, weight) on w.segment = c.segment
              where m.tenant_id = ${tenantId} and m.contact_id is not null and m.status in ('needs_reply', 'snoozed')
                and m.posted_at <= ${at}::timestamptz and ${awaitsReply(at)}
              order by score desc, m.post_id
              limit ${limit}
            )
            select ${PREFIXED_COLUMNS}, ranked.total,
              c.name as contact_name, c.segment as contact_segment, c.owner as contact_owner
            from ranked
            join mentions m on m.tenant_id = ${tenantId} and m.id = ranked.id
            join contacts c on c.tenant_id = ${tenantId} and c.id = m.contact_id
            order by ranked.score desc, ranked.post_id`,
      );
      const mentions = rows.map((row) => ({
        mention: toMention(row),
        contact: {
          id: row.contact_id ?? "",
          name: row.contact_name,
          segment: row.contact_segment,
          owner: row.contact_owner,
        },
      }));
      return { mentions, total: rows[0]?.total ?? 0 };
    },

    async waitingFromStrangers({ now, since, limit }) {
      const at = now.toISOString();
      const rows = await queryRows<MentionRow & { total: number }>(
        tx,
        sql`select ${PREFIXED_COLUMNS}, count(*) over ()::int as total from mentions m
            where m.tenant_id = ${tenantId} and m.contact_id is null
              and m.posted_at >= ${since.toISOString()}::timestamptz and m.posted_at <= ${at}::timestamptz
              and ${awaitsReply(at)}
            order by m.author_followers desc nulls last, m.post_id limit ${limit}`,
      );
      return { mentions: rows.map(toMention), total: rows[0]?.total ?? 0 };
    },

    async activity({ yesterday, weekFrom }) {
      const week = weekFrom.toISOString();
      const [[mentions], [posts]] = await Promise.all([
        queryRows<{ yesterday: number; replied: number; median: number | string | null }>(
          tx,
          sql`select
                count(*) filter (where posted_at >= ${yesterday.from.toISOString()}::timestamptz
                                   and posted_at < ${yesterday.to.toISOString()}::timestamptz)::int as yesterday,
                count(*) filter (where posted_at >= ${yesterday.from.toISOString()}::timestamptz
                                   and posted_at < ${yesterday.to.toISOString()}::timestamptz
                                   and replied_at is not null)::int as replied,
                percentile_cont(0.5) within group (order by extract(epoch from replied_at - posted_at))
                  filter (where replied_at is not null) as median
              from mentions
              where tenant_id = ${tenantId}
                and posted_at >= least(${week}::timestamptz, ${yesterday.from.toISOString()}::timestamptz)`,
        ),
        queryRows<{ posts: number; replies: number }>(
          tx,
          sql`select count(*)::int as posts, count(replies_to_post_id)::int as replies
              from own_posts where tenant_id = ${tenantId} and posted_at >= ${week}::timestamptz`,
        ),
      ]);
      return {
        yesterdayMentions: mentions?.yesterday ?? 0,
        yesterdayReplied: mentions?.replied ?? 0,
        medianReplySeconds: mentions?.median == null ? null : Number(mentions.median),
        weekOwnPosts: posts?.posts ?? 0,
        weekOwnReplies: posts?.replies ?? 0,
      };
    },

    async assign(id, assignee, options) {
      const unassigned = options?.ifUnassigned ? sql`and assignee is null` : sql``;
      const rows = await queryRows<{ id: string }>(
        tx,
        sql`update mentions set assignee = ${assignee}, updated_at = now()
            where tenant_id = ${tenantId} and id = ${id} ${unassigned} returning id`,
      );
      return rows.length === 1;
    },

    async get(id) {
      const rows = await queryRows<MentionRow>(
        tx,
        sql`select ${MENTION_COLUMNS} from mentions where tenant_id = ${tenantId} and id = ${id}`,
      );
      return rows[0] && toMention(rows[0]);
    },

    async attachAuthor(platform, externalUserId, contactId) {
      const rows = await queryRows<{ id: string }>(
        tx,
        sql`update mentions set contact_id = ${contactId}, updated_at = now()
            where tenant_id = ${tenantId} and platform = ${platform} and author_external_id = ${externalUserId}
              and contact_id is null
            returning id`,
      );
      return rows.length;
    },

    async snooze(id, until) {
      const rows = await queryRows<{ id: string }>(
        tx,
        sql`update mentions set status = 'snoozed', snoozed_until = ${until.toISOString()}::timestamptz, updated_at = now()
            where tenant_id = ${tenantId} and id = ${id} and status in ${OPEN} returning id`,
      );
      return rows.length === 1;
    },
  };
}

type OwnPostRow = {
  platform: OwnPost["platform"];
  post_id: string;
  posted_at: Date | string;
  conversation_id: string | null;
  replies_to_post_id: string | null;
  replies_to_user_id: string | null;
};

export function ownPostRepository(tx: Transaction, tenantId: string): OwnPostRepository {
  return {
    async insertMany(posts) {
      if (posts.length === 0) return new Set();
      const col = <T>(pick: (p: OwnPost) => T) => columnOf(posts, pick);
      const rows = await queryRows<{ post_id: string }>(
        tx,
        sql`
          insert into own_posts (tenant_id, platform, post_id, posted_at, conversation_id, replies_to_post_id, replies_to_user_id)
          select ${tenantId}::uuid, u.* from unnest(
            ${col((p) => p.platform)}::text[], ${col((p) => p.postId)}::text[],
            ${col((p) => p.postedAt.toISOString())}::text[]::timestamptz[], ${col((p) => p.conversationId)}::text[],
            ${col((p) => p.repliesToPostId)}::text[], ${col((p) => p.repliesToUserId)}::text[]
          ) as u
          on conflict (tenant_id, platform, post_id) do nothing
          returning post_id`,
      );
      return new Set(rows.map((row) => row.post_id));
    },

    async findReplies(platform, keys) {
      if (keys.postIds.length === 0 && keys.conversationIds.length === 0) return [];
      const rows = await queryRows<OwnPostRow>(
        tx,
        sql`
          select platform, post_id, posted_at, conversation_id, replies_to_post_id, replies_to_user_id
          from own_posts
          where tenant_id = ${tenantId} and platform = ${platform} and replies_to_post_id is not null
            and (replies_to_post_id = any(${sql.param([...keys.postIds])}::text[])
                 or conversation_id = any(${sql.param([...keys.conversationIds])}::text[]))`,
      );
      return rows.map((row) => ({
        platform: row.platform,
        postId: row.post_id,
        postedAt: toDate(row.posted_at),
        conversationId: row.conversation_id,
        repliesToPostId: row.replies_to_post_id,
        repliesToUserId: row.replies_to_user_id,
      }));
    },
  };
}
