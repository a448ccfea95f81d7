/**
 * The daily nudge at size, PostgreSQL only: composing one tenant's nudge must cost the same
 * whatever its history, and a tick must compose and queue a whole fleet's nudges in time.
 *
 * Compose: core's composeDigest, as `touchpoint digest --dry-run` runs it, for a tenant with
 * 10,000 contacts, 1,000,000 touchpoints and 100,000 mentions, beside "the same tenant with a
 * tenth of that history" (the issue's words): the same 10,000 contacts, with 100,000 touchpoints
 * and 10,000 mentions. Both in the same run and the same database. A few warm-up runs each, then
 * the two alternate so a burst of other work on the machine falls on both. The full tenant's median must be under
 * 50 ms, and at most 1.5× the tenth's: the nudge reads what it shows (the top of each list, with
 * counts), not the history behind it.
 *
 * Fleet: 10,000 small tenants (20 contacts each, a few touchpoints and mentions, a nudge channel,
 * nudge time 00:00, time zones around the world), all due, and one scheduleNudges call, as the
 * scheduler's tick makes it: the candidates from storage.nudges, then per tenant one transaction
 * that composes the nudge and stores it with its delivery. It must finish under 2 minutes; then
 * every one of the 10,000 must have exactly one nudge row. Tenants other benches left in the
 * database have no nudge channel, so they are not candidates; that is checked, not assumed.
 *
 * The data is loaded as the schema owner (DATABASE_ADMIN_URL) with set-wise INSERT … SELECT over
 * generate_series, not through the repositories, and vacuumed and analyzed as autovacuum would
 * have long done on tables this size. Nothing in the loading is timed. The distributions: contacts
 * over segments (major donor, donor, volunteer, board, supporter, none), 4% archived, 8% with
 * their own cadence, three in five with an email identity and two in five with an X one;
 * touchpoints over the last three years, skewed (a few contacts have thousands, most dozens, one
 * in 33 none), some contacts quiet for months, 1% undone; mentions over the last year, 70% from
 * strangers, 2% waiting for a reply, most replied within hours.
 */
import { composeDigest, type Digest, type Logger, type ScheduleReport, scheduleNudges } from "@touchpoint/core";
import { FixedClock } from "@touchpoint/core/testing";
import { createDb, type Database, queryRows } from "@touchpoint/db";
import { sql } from "@touchpoint/db/testing";
import { loadEnv, type OpenDatabase, openDatabase } from "@touchpoint/server/testing";

/** The bench's now: every tenant's wall clock is past 00:00 at any instant, so all are due. */
const NOW = new Date("2026-03-10T12:00:00Z");
const FULL = { contacts: 10_000, touchpoints: 1_000_000, mentions: 100_000 };
const TENTH = { contacts: 10_000, touchpoints: 100_000, mentions: 10_000 };
const FLEET_TENANTS = 10_000;
const FLEET_EACH = { contacts: 20, touchpoints: 60, mentions: 10 };
const WARMUP = 3;
const RUNS = 20;
const COMPOSE_TARGET_MS = 50;
const GROWTH_TARGET = 1.5;
const FLEET_TARGET_SECONDS = 120;
/** Touchpoints go in this many at a time, with a progress line after each statement. */
const CHUNK = 200_000;
const ZONES = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "America/Sao_Paulo",
  "Pacific/Honolulu",
  "Europe/London",
  "Europe/Berlin",
  "Africa/Nairobi",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Asia/Tokyo",
  "Australia/Adelaide",
  "Pacific/Auckland",
  "Pacific/Kiritimati",
  "UTC",
];

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const count = (n: number) => n.toLocaleString("en-US");

interface Size {
  readonly contacts: number;
  readonly touchpoints: number;
  readonly mentions: number;
}

interface Planned extends Size {
  readonly tenantId: string;
}

const since = (started: number) => `${((performance.now() - started) / 1000).toFixed(1)} s`;

/** The tenants' ids and sizes as one relation, `bt`, for the INSERT … SELECTs. */
const plannedTenants = (planned: readonly Planned[]) =>
  sql`unnest(${sql.param(planned.map((p) => p.tenantId))}::uuid[], ${sql.param(planned.map((p) => p.contacts))}::int[],
             ${sql.param(planned.map((p) => p.touchpoints))}::int[], ${sql.param(planned.map((p) => p.mentions))}::int[])
        as bt(tenant_id, contacts, touchpoints, mentions)`;

/**
 * Installed tenants straight into the tables (the scheduler passes over uninstalled ones); external
 * ids unique to this run, so a reused database is fine.
 */
async function createTenants(
  owner: Database,
  prefix: string,
  n: number,
  options: { readonly nudgeChannel: string | null; readonly zone: string | null },
): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    owner,
    sql`with created as (
          insert into tenants (platform, external_id, name, time_zone, nudge_time, nudge_channel)
          select 'slack', ${prefix} || g, 'Bench Nonprofit ' || g,
                 coalesce(${options.zone}::text, (${sql.param(ZONES)}::text[])[1 + g % ${ZONES.length}]), '00:00', ${options.nudgeChannel}::text
          from generate_series(1, ${n}::int) g
          returning id, external_id
        ), installed as (
          insert into installations (tenant_id, platform, key, team_id, secret)
          select id, 'slack', external_id, external_id, 'not read by the scheduler' from created
        )
        select id from created`,
  );
  return rows.map((row) => row.id);
}

/** Contacts, identities, touchpoints and mentions for every planned tenant, set-wise (not timed). */
async function loadHistory(owner: Database, planned: readonly Planned[], label: string): Promise<void> {
  const started = performance.now();
  const at = NOW.toISOString();
  const bt = plannedTenants(planned);
  const total = (key: keyof Size) => count(planned.reduce((sum, p) => sum + p[key], 0));
  const mine = sql`tenant_id = any(${sql.param(planned.map((p) => p.tenantId))}::uuid[])`;
  await owner.execute(sql`select setseed(0.42)`);

  await owner.execute(sql`
    insert into contacts (tenant_id, name, segment, tags, owner, cadence_days, notes, archived, created_at, updated_at)
    select tenant_id,
           'Contact ' || g || ' ' || (array['Garcia', 'Smith', 'Okafor', 'Nguyen', 'Müller', 'Rossi', 'Kowalski', 'Haddad'])[1 + g % 8],
           case when r1 < 0.03 then 'major donor' when r1 < 0.25 then 'donor' when r1 < 0.45 then 'volunteer'
                when r1 < 0.47 then 'board' when r1 < 0.85 then 'supporter' end,
           case when r2 < 0.2 then array['gala-2025'] when r2 < 0.3 then array['newsletter', 'gala-2024'] else '{}'::text[] end,
           case when r3 < 0.5 then 'U0OWNER' || (g % 5) end,
           case when r4 < 0.08 then (array[14, 30, 60, 90, 180])[1 + g % 5] end,
           case when r3 > 0.8 then 'Met at the spring gala; prefers email.' end,
           r5 < 0.04,
           created, created
    from (select bt.tenant_id, g, random() as r1, random() as r2, random() as r3, random() as r4, random() as r5,
                 ${at}::timestamptz - make_interval(secs => (1100 + random() * 400) * 86400) as created
          from ${bt}, generate_series(1, bt.contacts) g) s`);
  console.log(`    ${label}: ${total("contacts")} contacts  ${since(started)}`);

  await owner.execute(sql`
    insert into contact_identities (tenant_id, contact_id, platform, handle, external_user_id)
    select tenant_id, id, 'email', 'contact' || k || '@example.org', null from
      (select tenant_id, id, row_number() over (partition by tenant_id order by id) as k from contacts where ${mine}) c
    where k % 5 < 3
    union all
    select tenant_id, id, 'x', 'friend_' || k, case when k % 2 = 0 then '7' || lpad(k::text, 9, '0') end from
      (select tenant_id, id, row_number() over (partition by tenant_id order by id) as k from contacts where ${mine}) c
    where k % 5 in (1, 3)`);
  console.log(`    ${label}: identities  ${since(started)}`);

  // Skewed: contact j of n gets a share falling off as 1/sqrt(j); one in 33 gets none; some have
  // been quiet for up to 400 days, so the cold list has something to rank.
  const most = Math.max(...planned.map((p) => p.touchpoints));
  for (let from = 0; from < most; from += CHUNK) {
    await owner.execute(sql`
      with c as (
        select tenant_id, array_agg(id order by id) as ids from contacts
        where ${mine} and hashtext(id::text) % 33 <> 0 group by tenant_id
      )
      insert into touchpoints (tenant_id, contact_id, occurred_at, channel, direction, note, logged_by, source, source_ref, undone_at)
      select tenant_id, ids[j],
             ${at}::timestamptz - make_interval(secs => (quiet + random() * (1095 - quiet)) * 86400),
             (array['call', 'email', 'meeting', 'event', 'donation', 'note', 'x_mention', 'x_reply', 'x_quote', 'x_dm'])[1 + floor(random() * 10)::int],
             case when random() < 0.4 then 'inbound' else 'outbound' end,
             case when random() < 0.3 then 'Talked about the spring appeal' end,
             'U0BENCH', 'import', 'bench-import:' || g,
             case when random() < 0.01 then ${at}::timestamptz end
      from (select tenant_id, ids, g, j, case when j % 10 < 6 then (j * 7919) % 30 else (j * 7919) % 400 end as quiet
            from (select c.tenant_id, c.ids, g, 1 + floor(cardinality(c.ids) * random() ^ 2)::int as j
                  from ${bt} join c using (tenant_id),
                       generate_series(${from + 1}::int, least(${from + CHUNK}::int, bt.touchpoints)) g) s0) s`);
    console.log(
      `    ${label}: touchpoints ${count(Math.min(most, from + CHUNK)).padStart(9)} per tenant of ${count(most)}  ${since(started)}`,
    );
  }

  await owner.execute(sql`
    with c as (select tenant_id, array_agg(id order by id) as ids from contacts where ${mine} group by tenant_id)
    insert into mentions (tenant_id, platform, post_id, author_external_id, author_handle, author_name, author_followers,
                          author_following, author_post_count, author_default_avatar, author_created_at, author_verified,
                          contact_id, text, url, posted_at, kind, conversation_id, status, snoozed_until, assignee, replied_at)
    select tenant_id, 'x', post_id,
           case when known then '7' || lpad(j::text, 9, '0') else '5' || lpad(s::text, 9, '0') end,
           handle,
           case when known then 'Friend ' || j when s % 9 = 0 then null else 'Voice ' || s end,
           case when known then 200 + (j * 37) % 5000 else (s * 7919) % 20000 end,
           case when known then 150 + (j * 11) % 900 else (s::bigint * 104729 % 3000)::int end,
           case when known then 1000 + (j * 53) % 20000 else (s * 31) % 40000 end,
           not known and s % 13 = 0,
           case when not known and s % 17 = 0 then null
                else make_date(2009 + (s + j) % 17, 1 + (s + j) % 12, 1 + (s + j) % 28)::timestamptz end,
           case when known then j % 50 = 0 when s % 200 = 0 then true when s % 3 = 0 then null else false end,
           case when known then ids[j] end,
           '@helpinghands ' || case kind when 'reply' then 'thank you for the update on' when 'quote' then 'worth a read:'
                                         else 'loved seeing' end || ' the spring appeal, post ' || g,
           'https://x.com/' || handle || '/status/' || post_id,
           posted_at, kind,
           case when kind = 'reply' then '18' || lpad((g % 500)::text, 17, '0') else post_id end,
           status,
           case when status = 'snoozed' then posted_at + interval '3 days' end,
           case when status = 'needs_reply' and r_status < 0.005 then 'U0OWNER1' end,
           case when status = 'replied' then least(${at}::timestamptz, posted_at + make_interval(secs => random() * 86400)) end
    from (select *, case when known then 'friend_' || j else 'voice_' || s end as handle,
                 '18' || lpad(g::text, 17, '0') as post_id,
                 case when r_kind < 0.1 then 'reply' when r_kind < 0.2 then 'quote' else 'mention' end as kind,
                 case when r_status < 0.02 then 'needs_reply' when r_status < 0.025 then 'snoozed'
                      when r_status < 0.04 then 'dismissed' else 'replied' end as status
          from (select c.tenant_id, c.ids, g, random() < 0.3 as known, 1 + floor(cardinality(c.ids) * random())::int as j,
                       floor(random() * 40000)::int as s, random() as r_kind, random() as r_status,
                       ${at}::timestamptz - make_interval(secs => 60 + random() * 365 * 86400) as posted_at
                from ${bt} join c using (tenant_id), generate_series(1, bt.mentions) g) s0) s`);
  console.log(`    ${label}: ${total("mentions")} mentions  ${since(started)}`);
}

async function vacuumAnalyze(owner: Database): Promise<void> {
  // Autovacuum would have visited tables this size long before: the visibility map (index-only
  // scans) and the planner's statistics as production would have them.
  for (const table of [
    "tenants",
    "contacts",
    "contact_identities",
    "touchpoints",
    "mentions",
    "nudges",
    "nudge_deliveries",
  ]) {
    await owner.execute(sql.raw(`vacuum (analyze) ${table}`));
  }
}

interface ComposeFigures {
  readonly median: number;
  readonly p90: number;
  readonly runs: readonly number[];
}

function figures(runs: readonly number[]): ComposeFigures {
  const sorted = [...runs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return { median: at(0.5), p90: at(0.9), runs };
}

async function composeOnce(
  db: OpenDatabase,
  clock: FixedClock,
  tenantId: string,
): Promise<{ ms: number; digest: Digest }> {
  const started = performance.now();
  const composed = await composeDigest({ storage: db.storage, clock }, { tenantId });
  const ms = performance.now() - started;
  if (!composed.ok) throw composed.error;
  return { ms, digest: composed.value };
}

const describe = (d: Digest) =>
  `${d.waiting.total} waiting, ${d.goingCold.total} going cold, ${d.newVoices.total} new voices, ${d.skippedBots.total} bots skipped`;

/** Counts that say what the fleet run did and what else the database holds. */
async function fleetCounts(owner: Database, prefix: string) {
  const [row] = await queryRows<Record<string, string | number>>(
    owner,
    sql`select
          (select count(*) from nudges n join tenants t on t.id = n.tenant_id where t.external_id like ${`${prefix}%`}) as nudges,
          (select count(distinct n.tenant_id) from nudges n join tenants t on t.id = n.tenant_id where t.external_id like ${`${prefix}%`}) as nudged,
          (select count(*) from nudge_deliveries d join tenants t on t.id = d.tenant_id where t.external_id like ${`${prefix}%`}) as deliveries,
          (select count(*) from tenants where external_id not like ${`${prefix}%`}) as others,
          (select count(*) from tenants where external_id not like ${`${prefix}%`} and nudge_channel is not null) as "otherCandidates",
          (select count(*) from nudges n join tenants t on t.id = n.tenant_id where t.external_id not like ${`${prefix}%`}) as "otherNudges"`,
  );
  if (!row) throw new Error("no count");
  return {
    nudges: Number(row.nudges),
    nudged: Number(row.nudged),
    deliveries: Number(row.deliveries),
    others: Number(row.others),
    otherCandidates: Number(row.otherCandidates),
    otherNudges: Number(row.otherNudges),
  };
}

/** Returns the names of the targets missed. */
export async function runNudgeBench(): Promise<string[]> {
  const env = loadEnv({ ...process.env, LOG_LEVEL: "silent" });
  if (!env.DATABASE_URL) {
    console.log("nudge skipped: it measures composing at PostgreSQL scale and needs PostgreSQL (DATABASE_URL)");
    return [];
  }
  const adminUrl = env.DATABASE_ADMIN_URL ?? env.DATABASE_URL;
  console.log(
    `nudge · PostgreSQL · compose for ${count(FULL.contacts)} contacts, ${count(FULL.touchpoints)} touchpoints, ${count(FULL.mentions)} mentions beside a tenth; a tick for ${count(FLEET_TENANTS)} tenants\n`,
  );
  const db = await openDatabase(env, () => {});
  const owner = await createDb({ kind: "postgres", url: adminUrl, maxConnections: 1 });
  const run = `BENCHNUDGE${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
  const clock = new FixedClock(NOW);
  const missed: string[] = [];
  try {
    // Compose: two tenants with no nudge channel, so the fleet's tick leaves them alone.
    console.log("  loading the compose tenants (not timed)");
    const [full] = await createTenants(owner.db, `${run}-FULL-`, 1, { nudgeChannel: null, zone: "America/New_York" });
    const [tenth] = await createTenants(owner.db, `${run}-TENTH-`, 1, { nudgeChannel: null, zone: "America/New_York" });
    if (!full || !tenth) throw new Error("no tenants");
    await loadHistory(owner.db, [{ tenantId: full, ...FULL }], "full ");
    await loadHistory(owner.db, [{ tenantId: tenth, ...TENTH }], "tenth");
    const started = performance.now();
    await vacuumAnalyze(owner.db);
    console.log(`    vacuum analyze  ${since(started)}`);

    for (let i = 0; i < WARMUP; i++) {
      await composeOnce(db, clock, full);
      await composeOnce(db, clock, tenth);
    }
    const fullRuns: number[] = [];
    const tenthRuns: number[] = [];
    let fullDigest: Digest | undefined;
    let tenthDigest: Digest | undefined;
    for (let i = 0; i < RUNS; i++) {
      const a = await composeOnce(db, clock, full);
      const b = await composeOnce(db, clock, tenth);
      fullRuns.push(a.ms);
      tenthRuns.push(b.ms);
      fullDigest = a.digest;
      tenthDigest = b.digest;
    }
    const f = figures(fullRuns);
    const t = figures(tenthRuns);
    const growth = f.median / t.median;
    const ms = (n: number) => `${n.toFixed(1)} ms`;
    console.log(
      [
        "",
        `  ${"compose".padEnd(44)} ${"median".padStart(9)} ${"p90".padStart(9)}   (${RUNS} runs each, alternating, after ${WARMUP} warm-up)`,
        `  ${`full   ${count(FULL.contacts)} / ${count(FULL.touchpoints)} / ${count(FULL.mentions)}`.padEnd(44)} ${ms(f.median).padStart(9)} ${ms(f.p90).padStart(9)}   ${fullDigest ? describe(fullDigest) : ""}`,
        `  ${`tenth  ${count(TENTH.contacts)} / ${count(TENTH.touchpoints)} / ${count(TENTH.mentions)}`.padEnd(44)} ${ms(t.median).padStart(9)} ${ms(t.p90).padStart(9)}   ${tenthDigest ? describe(tenthDigest) : ""}`,
        `  full median ${ms(f.median)} (target < ${COMPOSE_TARGET_MS} ms: ${f.median < COMPOSE_TARGET_MS ? "ok" : "MISSED"})`,
        `  ratio ${growth.toFixed(2)}× the tenth's median (target ≤ ${GROWTH_TARGET}×: ${growth <= GROWTH_TARGET ? "ok" : "MISSED"})`,
        "",
      ].join("\n"),
    );
    if (!(f.median < COMPOSE_TARGET_MS)) missed.push("nudge compose median");
    if (!(growth <= GROWTH_TARGET)) missed.push("nudge compose growth with history");

    // Fleet: 10,000 small tenants, all due at the bench's now.
    console.log(`  loading ${count(FLEET_TENANTS)} fleet tenants (not timed)`);
    const fleetStarted = performance.now();
    const fleet = await createTenants(owner.db, `${run}-FLEET-`, FLEET_TENANTS, {
      nudgeChannel: "C0NUDGES",
      zone: null,
    });
    console.log(`    fleet: ${count(fleet.length)} tenants  ${since(fleetStarted)}`);
    await loadHistory(
      owner.db,
      fleet.map((tenantId) => ({ tenantId, ...FLEET_EACH })),
      "fleet",
    );
    const vacuumStarted = performance.now();
    await vacuumAnalyze(owner.db);
    console.log(`    vacuum analyze  ${since(vacuumStarted)}`);
    const before = await fleetCounts(owner.db, `${run}-FLEET-`);
    const candidates = (await db.storage.nudges.candidates()).length;

    const tickStarted = performance.now();
    const report: ScheduleReport = await scheduleNudges({ storage: db.storage, clock, logger: silent });
    const seconds = (performance.now() - tickStarted) / 1000;
    const after = await fleetCounts(owner.db, `${run}-FLEET-`);
    const everyOne = after.nudges === FLEET_TENANTS && after.nudged === FLEET_TENANTS && before.nudges === 0;
    console.log(
      [
        "",
        `  fleet    ${count(FLEET_TENANTS)} tenants ${`${seconds.toFixed(1)} s`.padStart(9)} ${((seconds * 1000) / Math.max(1, report.claimed)).toFixed(1).padStart(6)} ms a tenant   one scheduleNudges: ${count(report.due)} due of ${count(candidates)} candidates, ${count(report.claimed)} claimed (${count(report.silent)} silent), ${report.failed} failed`,
        `  time     ${seconds.toFixed(1)} s (target < ${FLEET_TARGET_SECONDS} s: ${seconds < FLEET_TARGET_SECONDS ? "ok" : "MISSED"})`,
        `  stored   ${count(after.nudges)} nudges rows for the ${count(FLEET_TENANTS)} (${count(after.nudged)} tenants), ${count(after.deliveries)} deliveries: ${everyOne ? "ok" : "MISSED"}`,
        `  others   ${count(after.others)} other tenants in the database (earlier benches, the compose pair): ${after.otherCandidates} with a nudge channel, ${after.otherNudges - before.otherNudges} nudged by this tick`,
      ].join("\n"),
    );
    if (!(seconds < FLEET_TARGET_SECONDS)) missed.push("nudge fleet time");
    if (!everyOne || report.failed > 0) missed.push("nudge fleet: one nudge for every tenant");
    return missed;
  } finally {
    await owner.close();
    await db.close();
  }
}
