/**
 * Ingesting 100,000 mentions through the real poll path, beside a plain COPY of the same rows into
 * the same table, in the same run. PostgreSQL only: the comparison is with PostgreSQL's COPY.
 *
 * The ingest side is what production runs, with only the source replaced: core's pollAccount, as
 * the scheduler calls it, reserves each request from the shared budget (storage.poller), reads a
 * page, records the budget the page reported, and stores the page (ingestMentions: contact
 * matching, mentions, inbound touchpoints, the answered check) with its cursor in one tenant
 * transaction under Row-Level Security. The source is in-process: 1,000 pages of 100 posts (X's
 * page size) from memory, newest first, chained by next tokens, so the bench measures storage and
 * not a network. Polls use the production settings (10 pages per stream per poll); a fake clock
 * moves past the poll interval between polls.
 *
 * The COPY runs as the schema owner (DATABASE_ADMIN_URL): PostgreSQL refuses COPY FROM on a table
 * under Row-Level Security ("COPY FROM not supported with row-level security"), so the app role
 * cannot run one. It is the floor: no RLS, no duplicate check, no contact matching, no cursor.
 */
import {
  connectXAccount,
  DEFAULT_POLL_SETTINGS,
  type IncomingPost,
  type Logger,
  type MentionAuthor,
  type MentionSource,
  mentionKind,
  type NewContact,
  type NewMention,
  type PageRequest,
  type PollDeps,
  type PostPage,
  pollAccount,
  type SocialAccount,
} from "@touchpoint/core";
import { FixedClock } from "@touchpoint/core/testing";
import { createDb, type Database, queryRows } from "@touchpoint/db";
import { openMentionCopier, sql } from "@touchpoint/db/testing";
import { loadEnv, type OpenDatabase, openDatabase } from "@touchpoint/server/testing";

const PAGES = 1_000;
const PAGE_SIZE = 100;
const ROWS = PAGES * PAGE_SIZE;
const CONTACTS = 3_000;
const STRANGERS = 40_000;
const TARGET = 0.3;
const PROGRESS_EVERY = 25_000;
const ACCOUNT = { externalUserId: "900000001", handle: "helpinghands", name: "Helping Hands" };
const START = new Date("2026-03-10T15:00:00Z");

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const count = (n: number) => n.toLocaleString("en-US");

/** X-like ids: 19 digits, larger is newer, so string order is id order. */
const postId = (n: number) => `18${String(n).padStart(17, "0")}`;

function contactAuthor(k: number): MentionAuthor {
  return {
    externalUserId: `7${String(k).padStart(9, "0")}`,
    handle: `Friend_${k}`,
    name: `Friend ${k} Example`,
    followers: 200 + ((k * 37) % 5000),
    following: 150 + ((k * 11) % 900),
    postCount: 1000 + ((k * 53) % 20_000),
    defaultAvatar: false,
    createdAt: new Date(Date.UTC(2012 + (k % 10), k % 12, 1 + (k % 28))),
    verified: k % 50 === 0,
  };
}

function strangerAuthor(s: number): MentionAuthor {
  return {
    externalUserId: `5${String(s).padStart(9, "0")}`,
    handle: `voice_${s}`,
    name: s % 9 === 0 ? null : `Voice ${s}`,
    followers: (s * 7919) % 20_000,
    following: (s * 104_729) % 3_000,
    postCount: (s * 31) % 40_000,
    defaultAvatar: s % 13 === 0,
    createdAt: s % 17 === 0 ? null : new Date(Date.UTC(2009 + (s % 17), s % 12, 1 + (s % 28))),
    verified: s % 200 === 0 ? true : s % 3 === 0 ? null : false,
  };
}

/** Known supporters with an X identity: half already carry X's user id, half only the handle. */
function sampleContacts(): NewContact[] {
  return Array.from({ length: CONTACTS }, (_, k) => ({
    name: `Friend ${k} Example`,
    segment: k % 4 === 0 ? "donor" : "supporter",
    identities: [
      {
        platform: "x" as const,
        handle: `friend_${k}`,
        externalUserId: k % 2 === 0 ? contactAuthor(k).externalUserId : null,
      },
    ],
  }));
}

/**
 * The posts, newest first: one in six from a known contact, the rest from a crowd of strangers;
 * one in ten a reply to the organization's post, one in ten a quote, the rest plain mentions.
 */
function samplePosts(): IncomingPost[] {
  return Array.from({ length: ROWS }, (_, i) => {
    const id = postId(ROWS - i);
    const author = i % 6 === 0 ? contactAuthor(Math.floor(i / 6) % CONTACTS) : strangerAuthor((i * 7) % STRANGERS);
    const orgPost = postId(i % 500);
    const reply = i % 10 === 3;
    const quote = i % 10 === 7;
    return {
      postId: id,
      author,
      text: `@${ACCOUNT.handle} ${reply ? "thank you for the update on" : quote ? "worth a read:" : "loved seeing"} the spring appeal, post ${i}${i % 4 === 0 ? " — see you at the gala! #community #volunteer" : ""}`,
      url: `https://x.com/${author.handle}/status/${id}`,
      postedAt: new Date(START.getTime() - 60_000 - i * 15_000),
      conversationId: reply ? orgPost : id,
      repliesToPostId: reply ? orgPost : null,
      repliesToUserId: reply ? ACCOUNT.externalUserId : null,
      quotesPostId: quote ? postId(i % 300) : null,
    };
  });
}

/**
 * X's pagination from memory: 100 posts a page newest first, a next token to the older page, the
 * run's newest id on every page, and rate-limit headers like X's (450 requests per 15 minutes).
 * The own-posts stream is empty.
 */
class MemorySource implements MentionSource {
  /** Its own budget each run, so a database reused across runs starts every run with a fresh one. */
  readonly budgetKey = `bench-${Math.random().toString(36).slice(2)}`;
  served = 0;
  private readonly windows = new Map<string, { resetAt: Date; used: number }>();
  constructor(
    private readonly posts: readonly IncomingPost[],
    private readonly clock: FixedClock,
  ) {}

  async findUser(handle: string) {
    return handle === ACCOUNT.handle
      ? { ok: true as const, value: ACCOUNT }
      : { ok: false as const, error: { kind: "not_found" as const, detail: handle } };
  }

  async mentions(_: string, request: PageRequest) {
    const rateLimit = this.spend("mentions");
    const newest = this.posts[0]?.postId ?? null;
    if (request.sinceId !== null && newest !== null && request.sinceId >= newest) {
      return { ok: true as const, value: page([], null, null, rateLimit) };
    }
    const index = request.paginationToken === null ? 0 : Number(request.paginationToken.slice("page-".length));
    const since = request.startTime?.getTime() ?? Number.NEGATIVE_INFINITY;
    const posts = this.posts
      .slice(index * PAGE_SIZE, (index + 1) * PAGE_SIZE)
      .filter(
        (post) => post.postedAt.getTime() >= since && (request.sinceId === null || post.postId > request.sinceId),
      );
    this.served += posts.length;
    const nextToken = index + 1 < PAGES ? `page-${index + 1}` : null;
    return { ok: true as const, value: page(posts, nextToken, newest, rateLimit) };
  }

  async ownPosts() {
    return { ok: true as const, value: page([], null, null, this.spend("ownPosts")) };
  }

  private spend(endpoint: string) {
    const now = this.clock.now();
    let window = this.windows.get(endpoint);
    if (!window || window.resetAt <= now) {
      window = { resetAt: new Date(now.getTime() + 15 * 60_000), used: 0 };
      this.windows.set(endpoint, window);
    }
    window.used++;
    return { limit: 450, remaining: 450 - window.used, resetAt: window.resetAt };
  }
}

function page(
  posts: readonly IncomingPost[],
  nextToken: string | null,
  newestId: string | null,
  rateLimit: PostPage["rateLimit"],
): PostPage {
  return { posts, skipped: [], nextToken, newestId, rateLimit };
}

async function newTenantId(db: OpenDatabase, label: string): Promise<string> {
  const created = await db.storage.tenants.create({
    platform: "slack",
    externalId: `BENCHINGEST${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`.toUpperCase(),
    name: `bench ${label}`,
  });
  if (!created.ok) throw new Error(created.error.message);
  return created.value.id;
}

interface Prepared {
  readonly tenantId: string;
  readonly account: SocialAccount;
}

/** A fresh tenant with the known contacts and the organization's X account connected (not timed). */
async function prepareTenant(db: OpenDatabase, label: string, source: MentionSource): Promise<Prepared> {
  const tenantId = await newTenantId(db, label);
  const contacts = sampleContacts();
  for (let i = 0; i < contacts.length; i += 1000) {
    const chunk = contacts.slice(i, i + 1000);
    await db.storage.withTenant(tenantId, (r) => r.contacts.createMany(chunk));
  }
  const connected = await connectXAccount(
    { storage: db.storage, openSource: () => source },
    { tenantId, handle: ACCOUNT.handle, bearerToken: "bench-token", actorId: null },
  );
  if (!connected.ok) throw new Error(connected.error.message);
  return { tenantId, account: connected.value };
}

interface Stored {
  readonly mentions: number;
  readonly fromContacts: number;
  readonly replies: number;
  readonly quotes: number;
  readonly touchpoints: number;
}

/** What a tenant holds, counted by the schema owner (no RLS in the way of the count). */
async function stored(owner: Database, tenantId: string): Promise<Stored> {
  const [row] = await queryRows<Record<keyof Stored, string | number>>(
    owner,
    sql`select count(*) as mentions, count(contact_id) as "fromContacts",
               count(*) filter (where kind = 'reply') as replies, count(*) filter (where kind = 'quote') as quotes,
               (select count(*) from touchpoints where tenant_id = ${tenantId}) as touchpoints
        from mentions where tenant_id = ${tenantId}`,
  );
  if (!row) throw new Error("no count");
  return {
    mentions: Number(row.mentions),
    fromContacts: Number(row.fromContacts),
    replies: Number(row.replies),
    quotes: Number(row.quotes),
    touchpoints: Number(row.touchpoints),
  };
}

const progress = (label: string, started: number) => (done: number) =>
  console.log(`    ${label} ${count(done).padStart(7)} rows  ${((performance.now() - started) / 1000).toFixed(1)} s`);

interface IngestRun {
  readonly seconds: number;
  readonly touchpoints: number;
  readonly polls: number;
}

/**
 * Polls until the whole backlog is stored, one pollAccount after another as the scheduler would
 * run them. The scheduler's claimDue is left out: it leases every due account in the database, and
 * the bench must not touch accounts that are not its own (one claim per 10 pages, besides).
 */
async function ingest(
  db: OpenDatabase,
  { tenantId, account }: Prepared,
  source: MemorySource,
  clock: FixedClock,
): Promise<IngestRun> {
  const deps: PollDeps = {
    storage: db.storage,
    openSource: () => source,
    clock,
    logger: silent,
    // The production settings, but a backfill long enough that every post counts.
    settings: { ...DEFAULT_POLL_SETTINGS, backfillDays: 3650 },
  };
  const started = performance.now();
  const report = progress("ingest", started);
  let mentions = 0;
  let touchpoints = 0;
  let polls = 0;
  while (mentions < ROWS) {
    const ours = await pollAccount(deps, { tenantId, accountId: account.id });
    if (ours.kind !== "polled" || ours.mentions.stored === 0) {
      throw new Error(`poll ${polls + 1} stored nothing: ${JSON.stringify(ours)}`);
    }
    polls++;
    const before = mentions;
    mentions += ours.mentions.stored;
    touchpoints += ours.mentions.touchpoints + ours.ownPosts.touchpoints;
    if (Math.floor(mentions / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY)) report(mentions);
    // Past the longest interval: the account would be due again.
    clock.set(new Date(clock.now().getTime() + DEFAULT_POLL_SETTINGS.maxIntervalSeconds * 1000));
  }
  const seconds = (performance.now() - started) / 1000;
  if (source.served !== ROWS) throw new Error(`the source served ${source.served} posts, not ${ROWS}`);
  return { seconds, touchpoints, polls };
}

/** The same rows as ingest writes them, with the contacts of the COPY's own tenant. */
async function rowsFor(
  owner: Database,
  tenantId: string,
  posts: readonly IncomingPost[],
  account: SocialAccount,
): Promise<NewMention[]> {
  const holders = await queryRows<{ handle: string; contact_id: string }>(
    owner,
    sql`select handle, contact_id from contact_identities where tenant_id = ${tenantId} and platform = 'x'`,
  );
  const contactOf = new Map(holders.map((h) => [h.handle, h.contact_id]));
  return posts.map((post) => ({
    platform: "x",
    postId: post.postId,
    author: post.author,
    contactId: contactOf.get(post.author.handle.toLowerCase()) ?? null,
    text: post.text,
    url: post.url,
    postedAt: post.postedAt,
    kind: mentionKind(post, account),
    conversationId: post.conversationId,
  }));
}

async function copy(adminUrl: string, tenantId: string, rows: readonly NewMention[]): Promise<number> {
  const copier = await openMentionCopier(adminUrl);
  try {
    const started = performance.now();
    await copier.copy(tenantId, rows, { progressEvery: PROGRESS_EVERY, onProgress: progress("COPY  ", started) });
    return (performance.now() - started) / 1000;
  } finally {
    await copier.close();
  }
}

function check(label: string, got: Stored, expected: Stored): void {
  const same = (Object.keys(expected) as (keyof Stored)[]).every((key) => got[key] === expected[key]);
  if (!same) throw new Error(`${label} stored ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
}

/** Returns the names of the targets missed. */
export async function runIngestBench(): Promise<string[]> {
  const env = loadEnv({ ...process.env, LOG_LEVEL: "silent" });
  if (!env.DATABASE_URL) {
    console.log("mention ingest skipped: it compares with PostgreSQL's COPY and needs PostgreSQL (DATABASE_URL)");
    return [];
  }
  const adminUrl = env.DATABASE_ADMIN_URL ?? env.DATABASE_URL;
  console.log(
    `ingest ${count(ROWS)} mentions · PostgreSQL · ${count(PAGES)} pages of ${PAGE_SIZE} through pollAccount, beside COPY\n`,
  );
  const posts = samplePosts();
  const db = await openDatabase(env, () => {});
  const owner = await createDb({ kind: "postgres", url: adminUrl, maxConnections: 1 });
  try {
    // Four tenants alike: the same contacts, the same account. Nothing here is timed.
    const clock = new FixedClock(START);
    const source = new MemorySource(posts, clock);
    const ingestTenant = await prepareTenant(db, "ingest", source);
    const copyTenants: Prepared[] = [];
    for (const label of ["copy 1", "copy 2", "copy 3"]) copyTenants.push(await prepareTenant(db, label, source));
    // Contacts are imported long before their mentions arrive, and autovacuum has analyzed them by
    // then. Without statistics on a freshly filled contact_identities the planner scans every
    // identity of the tenant per page instead of using the indexes (see identityHolders).
    await owner.db.execute(sql`analyze`);

    // COPY is cheap, so it runs three times, once before the ingest and twice after, each into a
    // fresh tenant, and its median counts: one burst of other work on the machine does not decide
    // the ratio.
    const copySeconds: number[] = [];
    const copyOnce = async ({ tenantId, account }: Prepared) =>
      copySeconds.push(await copy(adminUrl, tenantId, await rowsFor(owner.db, tenantId, posts, account)));
    const [first, ...rest] = copyTenants;
    if (first) await copyOnce(first);
    const run = await ingest(db, ingestTenant, source, clock);
    for (const tenant of rest) await copyOnce(tenant);

    const fromContacts = posts.filter((post) => post.author.handle.startsWith("Friend_")).length;
    const expected = {
      mentions: ROWS,
      fromContacts,
      replies: posts.filter((post) => post.repliesToUserId !== null).length,
      quotes: posts.filter((post) => post.repliesToUserId === null && post.quotesPostId !== null).length,
    };
    const ingested = await stored(owner.db, ingestTenant.tenantId);
    check("ingest", ingested, { ...expected, touchpoints: fromContacts });
    if (run.touchpoints !== ingested.touchpoints) {
      throw new Error(`pollAccount reported ${run.touchpoints} touchpoints, the table holds ${ingested.touchpoints}`);
    }
    for (const { tenantId } of copyTenants)
      check("COPY", await stored(owner.db, tenantId), { ...expected, touchpoints: 0 });

    const copyMedian = [...copySeconds].sort((a, b) => a - b)[Math.floor(copySeconds.length / 2)] ?? Number.NaN;
    const ingestRate = ROWS / run.seconds;
    const copyRate = ROWS / copyMedian;
    const share = ingestRate / copyRate;
    const s = (n: number) => `${n.toFixed(2)} s`;
    console.log(
      [
        "",
        `  ingest   ${count(ROWS)} rows ${s(run.seconds).padStart(9)} ${count(Math.round(ingestRate)).padStart(8)} rows/s   ${run.polls} polls of ${DEFAULT_POLL_SETTINGS.maxPagesPerPoll} pages; ${count(ingested.touchpoints)} inbound touchpoints written`,
        `  COPY     ${count(ROWS)} rows ${s(copyMedian).padStart(9)} ${count(Math.round(copyRate)).padStart(8)} rows/s   median of ${copySeconds.map(s).join(", ")}: the same rows, COPY FROM STDIN as the schema owner`,
        `  ratio    ${(share * 100).toFixed(1)}% of COPY's rows/s (target ≥ ${TARGET * 100}%: ${share >= TARGET ? "ok" : "MISSED"})`,
        `  stored   ${count(ingested.mentions)} mentions by ingest, ${count(ROWS)} by each COPY: counted after the run`,
      ].join("\n"),
    );
    return share >= TARGET ? [] : ["mention ingest rows/s"];
  } finally {
    await owner.close();
    await db.close();
  }
}
