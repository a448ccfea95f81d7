/**
 * Kill -9 at random moments: a `touchpoint serve` process is killed while staff log touches over
 * Slack, the daily nudge is delivered and X mentions are ingested, then started again at once.
 * When the killing stops and the work settles, every touch the staff were told was logged must be
 * stored exactly once, every nudge delivery posted exactly once, every mention X served stored
 * exactly once, and every restart must have succeeded at the first try.
 *
 * The same harness runs a few kills in `pnpm test` (embedded PGlite and PostgreSQL) and hundreds
 * in `pnpm bench chaos`.
 */
import { randomInt } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installApp, type Storage } from "@touchpoint/core";
import { createDb, type DatabaseHandle, queryRows } from "@touchpoint/db";
import { sql } from "@touchpoint/db/testing";
import { loadEnv, openDatabase } from "@touchpoint/server/testing";
import { BOT_SCOPES, DIGEST_EVENT_TYPE } from "@touchpoint/slack";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-web-api.js";
import { type FakeX, startFakeX } from "../fakes/x-api.js";
import { type Serving, startTouchpoint } from "./processes.js";
import { send, slashCommand, triggerId } from "./slack-requests.js";

const SIGNING_SECRET = "chaos-signing-secret";
const X_TOKEN = "AAAA-chaos-app-bearer-token";
const KEY = Buffer.alloc(32, 11).toString("base64");
const CHANNEL = "C0NUDGES";

export type ChaosDatabase =
  | { readonly kind: "embedded" }
  | { readonly kind: "postgres"; readonly appUrl: string; readonly adminUrl: string };

export interface ChaosOptions {
  readonly database: ChaosDatabase;
  /** How many times the server is killed. */
  readonly kills: number;
  readonly tenants: number;
  readonly contactsPerTenant: number;
  /** Staff logging touches at once. */
  readonly staff: number;
  /** How long the server runs between being up and being killed, in ms (a random time in the range). */
  readonly upMs: readonly [number, number];
  /**
   * Workspaces' nudge times, spread over this many minutes from now (so deliveries go on while the
   * killing does); 0: all due at once.
   */
  readonly nudgeSpreadMinutes?: number;
  /** The compiled server (`pnpm build`) starts faster than the TypeScript one; the bench uses it. */
  readonly built?: boolean;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

export interface ChaosReport {
  readonly kills: number;
  /** Restarts that did not come up at the first try (each is a failure). */
  readonly failedRestarts: readonly string[];
  readonly restartMs: { readonly median: number; readonly max: number };
  readonly commands: {
    readonly sent: number;
    readonly attempts: number;
    readonly confirmed: number;
    /** Confirmed on a retry as already logged: the killed process had committed it, unanswered. */
    readonly alreadyLogged: number;
  };
  /** Nudges a restarted sender found already posted (Slack took them; the killed process never heard). */
  readonly nudgesFoundPosted: number;
  /** Touches told "logged" and then missing, or stored more than once. */
  readonly touches: { readonly stored: number; readonly lost: number; readonly doubled: number };
  readonly mentions: {
    readonly served: number;
    readonly stored: number;
    readonly lost: number;
    readonly doubled: number;
  };
  /** Inbound touchpoints of contacts' mentions: one per mention. */
  readonly mentionTouches: { readonly expected: number; readonly stored: number };
  readonly nudges: {
    readonly deliveries: number;
    readonly sent: number;
    readonly notSent: number;
    /** Deliveries Slack got more than once, or never. */
    readonly doubled: number;
    readonly missing: number;
    /** Tenants without their daily nudge. */
    readonly tenantsWithoutDaily: number;
    /** Tenants whose newly connected X account's backfill brought no first ("welcome") nudge. */
    readonly tenantsWithoutWelcome: number;
  };
  readonly seconds: number;
}

interface Tenant {
  readonly teamId: string;
  readonly botToken: string;
  readonly orgXId: string;
  readonly orgHandle: string;
  readonly contacts: readonly { readonly handle: string; readonly xId: string }[];
  tenantId: string;
}

interface Touch {
  readonly note: string;
  readonly teamId: string;
  readonly text: string;
  readonly trigger: string;
  attempts: number;
  confirmed: boolean;
  alreadyLogged: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = ([low, high]: readonly [number, number]) => low + randomInt(Math.max(1, high - low + 1));

/** Zones whose local day is not about to turn (a new day would honestly bring a second nudge). */
function calmZones(): string[] {
  const hour = (zone: string) =>
    Number(new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", hourCycle: "h23" }).format(new Date()));
  return ["America/Los_Angeles", "America/New_York", "Europe/London", "Asia/Kolkata", "Asia/Tokyo", "UTC"].filter(
    (zone) => hour(zone) >= 1 && hour(zone) <= 22,
  );
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const slack = await startFakeSlack({ clientId: "1111.2222", clientSecret: "chaos-client-secret" });
  // Every workspace shares one app token, and every restart re-polls what a kill cut short: at X's
  // own limits a long run waits out 15-minute windows, which is X's pace, not what this measures.
  const x = await startFakeX({ tokens: [X_TOKEN], rateLimits: { mentions: 1_000_000, tweets: 1_000_000 } });
  const dataDir = options.database.kind === "embedded" ? await mkdtemp(join(tmpdir(), "touchpoint-chaos-")) : "";
  const env: Record<string, string> = {
    ...(options.database.kind === "postgres"
      ? {
          DATABASE_URL: options.database.appUrl,
          DATABASE_ADMIN_URL: options.database.adminUrl,
          TOUCHPOINT_ENCRYPTION_KEY: KEY,
        }
      : { TOUCHPOINT_DATA_DIR: dataDir, TOUCHPOINT_ENCRYPTION_KEY: KEY }),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_CLIENT_ID: "1111.2222",
    SLACK_CLIENT_SECRET: "chaos-client-secret",
    SLACK_STATE_SECRET: "chaos-state-secret",
    SLACK_API_URL: slack.apiUrl,
    X_API_URL: x.url,
    X_POLL_INTERVAL: "15",
    TOUCHPOINT_SCHEDULER: "on",
    TOUCHPOINT_DELIVERY_RETRY_SECONDS: "0.5",
  };
  let server: Serving | undefined;
  try {
    const tenants = await seed(options, env, slack, x);
    log(`seeded ${tenants.length} workspaces × ${options.contactsPerTenant} contacts`);
    // Slack takes each post at once but answers it a moment later: a kill then leaves a posted
    // nudge its sender never heard of.
    slack.delayAnswers("chat.postMessage", () => randomInt(50, 600));

    const restartMs: number[] = [];
    const failedRestarts: string[] = [];
    const servers: Serving[] = [];
    const start = async (): Promise<Serving> => {
      const at = Date.now();
      try {
        const up = await startTouchpoint(env, { built: options.built ?? false });
        restartMs.push(Date.now() - at);
        servers.push(up);
        return up;
      } catch (error) {
        failedRestarts.push((error as Error).message.split("\n").slice(0, 3).join(" "));
        // Counted as a failure; the run goes on (as an operator's supervisor would) so the report
        // says everything it can.
        for (;;) {
          await sleep(1000);
          const up = await startTouchpoint(env, { built: options.built ?? false }).catch(() => undefined);
          if (up) {
            servers.push(up);
            return up;
          }
        }
      }
    };
    server = await start();

    const touches: Touch[] = [];
    let stopStaff = false;
    const staff = Array.from({ length: options.staff }, async (_, n) => {
      while (!stopStaff) {
        const tenant = tenants[randomInt(tenants.length)] as Tenant;
        const contact = tenant.contacts[randomInt(tenant.contacts.length)] as Tenant["contacts"][number];
        const note = `chaos-${n}-${touches.length}-${randomInt(1e9)}`;
        const touch: Touch = {
          note,
          teamId: tenant.teamId,
          text: `@${contact.handle} called ${note}`,
          trigger: triggerId(),
          attempts: 0,
          confirmed: false,
          alreadyLogged: false,
        };
        touches.push(touch);
        await deliver(touch, () => server?.url);
      }
    });

    let stopPosting = false;
    const posting = (async () => {
      for (let i = 0; !stopPosting; i++) {
        addMention(x, tenants[i % tenants.length] as Tenant, i);
        await sleep(200);
      }
    })();

    for (let kill = 1; kill <= options.kills; kill++) {
      await sleep(between(options.upMs));
      server.kill();
      await server.exited;
      if (options.database.kind === "postgres") await expireLeases(options.database.adminUrl);
      server = await start();
      if (kill % 10 === 0 || kill === options.kills) {
        const confirmed = touches.filter((t) => t.confirmed).length;
        log(`kill ${kill}/${options.kills}: ${confirmed} touches confirmed, ${restartMs.at(-1)} ms to restart`);
      }
    }
    stopPosting = true;
    stopStaff = true;
    await posting;
    await Promise.all(staff);
    log("settling: every touch confirmed; waiting for the poller and the sender to finish");

    await settle(tenants, slack, x);
    await server.stop();
    server = undefined;

    const report = await verify(options.database, env, tenants, touches, slack, x);
    const sorted = [...restartMs].sort((a, b) => a - b);
    return {
      kills: options.kills,
      failedRestarts,
      restartMs: { median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted.at(-1) ?? 0 },
      commands: {
        sent: touches.length,
        attempts: touches.reduce((n, t) => n + t.attempts, 0),
        confirmed: touches.filter((t) => t.confirmed).length,
        alreadyLogged: touches.filter((t) => t.alreadyLogged).length,
      },
      nudgesFoundPosted: servers.reduce(
        (n, s) =>
          n +
          s
            .logs()
            .split("\n")
            .filter((line) => line.includes("nudge was already posted")).length,
        0,
      ),
      ...report,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    server?.kill();
    await server?.exited;
    await slack.close();
    await x.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

/** Workspaces installed, each with contacts that have X handles, its X account connected and today's nudge due. */
async function seed(options: ChaosOptions, env: Record<string, string>, slack: FakeSlack, x: FakeX): Promise<Tenant[]> {
  const database = await openDatabase(loadEnv(env), () => {});
  try {
    const zones = calmZones();
    const run = Date.now().toString(36).toUpperCase();
    const tenants: Tenant[] = [];
    for (let i = 0; i < options.tenants; i++) {
      const teamId = `T0CH${run}${i}`;
      const botToken = `xoxb-${teamId}-bot`;
      slack.addWorkspace({
        teamId,
        teamName: `Chaos ${i}`,
        botToken,
        botUserId: `U0BOT${i}`,
        botId: `B0BOT${i}`,
        users: [{ id: "U0AMY", name: "amy", realName: "Amy Admin", isAdmin: false }],
        channels: [{ id: CHANNEL, name: "nudges" }],
      });
      const orgXId = `${9_000_000 + i}`;
      const orgHandle = `chaosorg${i}`;
      x.addUser({ id: orgXId, username: orgHandle, name: `Chaos Org ${i}` });
      const contacts = Array.from({ length: options.contactsPerTenant }, (_, c) => {
        const xId = `${8_000_000 + i * 1000 + c}`;
        const handle = `donor${i}x${c}`;
        x.addUser({ id: xId, username: handle, name: `Donor ${i}-${c}`, followers: 500 });
        return { handle, xId };
      });
      const tenant: Tenant = { teamId, botToken, orgXId, orgHandle, contacts, tenantId: "" };
      const zone = zones[i % zones.length] ?? "UTC";
      const spread = options.nudgeSpreadMinutes ?? 0;
      const nudgeTime = spread > 0 ? localTime(zone, 1 + (i % spread)) : "00:00";
      tenant.tenantId = await install(database.storage, tenant, zone, nudgeTime);
      tenants.push(tenant);
      // A week of mentions to backfill, from contacts and from strangers.
      for (let m = 0; m < 6; m++) addMention(x, tenant, m, new Date(Date.now() - (m + 1) * 3_600_000));
    }
    return tenants;
  } finally {
    await database.close();
  }
}

/** Installs the app as Bolt's OAuth installer would have stored it, and sets the workspace up. */
async function install(storage: Storage, tenant: Tenant, timeZone: string, nudgeTime: string): Promise<string> {
  const installation = {
    team: { id: tenant.teamId, name: tenant.teamId },
    enterprise: undefined,
    user: { id: "U0AMY", token: undefined, scopes: undefined },
    tokenType: "bot",
    isEnterpriseInstall: false,
    appId: "A0TOUCHPT1",
    authVersion: "v2",
    bot: { scopes: [...BOT_SCOPES], token: tenant.botToken, userId: `U0BOT${tenant.teamId}`, id: "B0BOT" },
  };
  const installed = await installApp(
    { storage },
    {
      installation: {
        platform: "slack",
        key: tenant.teamId,
        enterpriseId: null,
        teamId: tenant.teamId,
        isEnterpriseInstall: false,
        botUserId: installation.bot.userId,
        installedBy: "U0AMY",
        secret: JSON.stringify(installation),
      },
      organizationName: tenant.teamId,
      installer: { platformUserId: "U0AMY" },
    },
  );
  if (!installed.ok) throw new Error(installed.error.message);
  const tenantId = installed.value.tenant.id;
  await storage.withTenant(tenantId, async (r) => {
    await r.tenant.update({
      timeZone,
      nudgeTime,
      nudgeChannel: CHANNEL,
      settings: { whenNothingToSay: "all_caught_up" },
    });
    for (const contact of tenant.contacts) {
      await r.contacts.create({
        name: `Donor ${contact.handle}`,
        identities: [{ platform: "x", handle: contact.handle, externalUserId: contact.xId }],
      });
    }
    await r.socialAccounts.connect({
      platform: "x",
      handle: tenant.orgHandle,
      externalUserId: tenant.orgXId,
      credentials: X_TOKEN,
    });
  });
  return tenantId;
}

/** "HH:MM" in `zone`, `minutes` from now (calm zones are hours from midnight). */
function localTime(zone: string, minutes: number): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(Date.now() + minutes * 60_000));
}

/** A post mentioning the organization: every third from a stranger, the rest from its contacts. */
function addMention(x: FakeX, tenant: Tenant, n: number, at = new Date()): void {
  const contact = tenant.contacts[n % tenant.contacts.length];
  const authorId = n % 3 === 2 || !contact ? strangerOf(x, n) : contact.xId;
  x.addPost({ authorId, text: `@${tenant.orgHandle} thank you! #${n}`, createdAt: at, mentions: tenant.orgXId });
}

/** The strangers each fake X knows (one fake per run: a run must not find the last one's). */
const strangers = new WeakMap<FakeX, Set<string>>();
function strangerOf(x: FakeX, n: number): string {
  const id = `${7_000_000 + (n % 50)}`;
  const known = strangers.get(x) ?? new Set<string>();
  strangers.set(x, known);
  if (!known.has(id)) {
    x.addUser({ id, username: `stranger${n % 50}`, name: `Stranger ${n % 50}`, followers: 10 + n });
    known.add(id);
  }
  return id;
}

/**
 * A /touch as Slack sends it, again and again (re-signed, the same trigger id, as a redelivery)
 * until the answer says it was logged: a kill mid-request leaves it unanswered, not unlogged.
 */
async function deliver(touch: Touch, serverUrl: () => string | undefined): Promise<void> {
  for (;;) {
    const url = serverUrl();
    if (url) {
      touch.attempts += 1;
      try {
        const response = await send(
          `${url}/slack/events`,
          slashCommand({
            command: "/touch",
            text: touch.text,
            teamId: touch.teamId,
            userId: "U0AMY",
            responseUrl: "http://127.0.0.1:9/unused",
            triggerId: touch.trigger,
          }),
          { secret: SIGNING_SECRET },
        );
        const body = await response.text();
        if (response.status === 200 && body.includes("Logged")) {
          touch.confirmed = true;
          touch.alreadyLogged = body.includes("Already logged");
          return;
        }
      } catch {
        // The server died under it; the next one answers.
      }
    }
    await sleep(randomInt(50, 250));
  }
}

/** The killed process's leases would run out by the clock; in this test that time has passed. */
async function expireLeases(adminUrl: string): Promise<void> {
  const admin = await createDb({ kind: "postgres", url: adminUrl, maxConnections: 1 });
  try {
    await admin.db.execute(sql`update nudge_deliveries set lease_expires_at = now() where lease_expires_at > now()`);
    await admin.db.execute(sql`update social_accounts set lease_expires_at = now() where lease_expires_at > now()`);
  } finally {
    await admin.close();
  }
}

/**
 * Until the poller has caught up with every account (a mentions request answered empty from the
 * newest post on: its cursor only moves once what it covers is stored) and every workspace has its
 * daily nudge in its channel.
 */
async function settle(tenants: readonly Tenant[], slack: FakeSlack, x: FakeX): Promise<void> {
  const deadline = Date.now() + 180_000;
  const newest = new Map<string, bigint>();
  for (const tenant of tenants) {
    const ids = x.served("mentions", tenant.orgXId);
    newest.set(
      tenant.orgXId,
      ids.reduce((max, id) => (BigInt(id) > max ? BigInt(id) : max), 0n),
    );
  }
  const caughtUp = (tenant: Tenant) =>
    x.requests.some(
      (r) =>
        r.endpoint === "mentions" &&
        r.path.includes(`/${tenant.orgXId}/`) &&
        r.status === 200 &&
        r.query.since_id !== undefined &&
        BigInt(r.query.since_id) >= (newest.get(tenant.orgXId) ?? 0n),
    );
  const posted = (tenant: Tenant, kind: string) => digestPosts(slack, tenant.teamId).some((p) => p.kind === kind);
  while (!tenants.every((t) => caughtUp(t) && posted(t, "daily"))) {
    if (Date.now() > deadline) {
      const behind = tenants.filter((t) => !caughtUp(t)).length;
      const unnudged = tenants.filter((t) => !posted(t, "daily")).length;
      throw new Error(`the work did not settle in 3 minutes: ${behind} accounts behind, ${unnudged} without a nudge`);
    }
    await sleep(250);
  }
  // A first nudge is queued as its account's backfill ends, long since: a few seconds more is
  // plenty for its post; one still missing then is reported as missing.
  const welcomeBy = Date.now() + 10_000;
  while (!tenants.every((t) => posted(t, "welcome")) && Date.now() < welcomeBy) await sleep(250);
}

/** The nudges Slack took for a workspace (answered or not), by their metadata. */
function digestPosts(slack: FakeSlack, teamId: string): { localDate: string; kind: string }[] {
  return slack
    .callsTo("chat.postMessage")
    .filter((call) => call.teamId === teamId && call.status === 200 && call.response.ok)
    .map((call) => call.args.metadata as { event_type?: string; event_payload?: Record<string, string> } | undefined)
    .filter((metadata) => metadata?.event_type === DIGEST_EVENT_TYPE)
    .map((metadata) => ({
      localDate: metadata?.event_payload?.local_date ?? "",
      kind: metadata?.event_payload?.kind ?? "daily",
    }));
}

async function verify(
  database: ChaosDatabase,
  env: Record<string, string>,
  tenants: readonly Tenant[],
  touches: readonly Touch[],
  slack: FakeSlack,
  x: FakeX,
): Promise<Pick<ChaosReport, "touches" | "mentions" | "mentionTouches" | "nudges">> {
  // As the schema owner, which Row-Level Security does not hold: the test looks across tenants.
  let handle: DatabaseHandle | undefined;
  let close: () => Promise<void>;
  if (database.kind === "postgres") {
    handle = await createDb({ kind: "postgres", url: database.adminUrl, maxConnections: 1 });
    close = () => handle?.close() ?? Promise.resolve();
  } else {
    const opened = await openDatabase(loadEnv(env), () => {});
    handle = opened.handle;
    close = () => opened.close();
  }
  try {
    const db = handle.db;
    const tenantIds = tenants.map((t) => t.tenantId);
    const stored = await queryRows<{ note: string; n: number }>(
      db,
      sql`select substring(note from 'chaos-[0-9]+-[0-9]+-[0-9]+') as note, count(*)::int as n from touchpoints
          where tenant_id = any(${sql.param(tenantIds)}::uuid[]) and note like '%chaos-%' group by 1`,
    );
    const byNote = new Map(stored.map((row) => [row.note, row.n]));
    const lost = touches.filter((t) => t.confirmed && !byNote.has(t.note)).length;
    const doubled = stored.filter((row) => row.n > 1).length;

    const served = new Set(tenants.flatMap((t) => x.served("mentions", t.orgXId)));
    const mentionRows = await queryRows<{ post_id: string; n: number }>(
      db,
      sql`select post_id, count(*)::int as n from mentions where tenant_id = any(${sql.param(tenantIds)}::uuid[]) group by post_id`,
    );
    const storedPosts = new Map(mentionRows.map((row) => [row.post_id, row.n]));
    const [mentionTouches] = await queryRows<{ expected: number; stored: number }>(
      db,
      sql`select count(*) filter (where m.contact_id is not null)::int as expected,
            (select count(*)::int from touchpoints t
              where t.tenant_id = any(${sql.param(tenantIds)}::uuid[]) and t.channel = 'x_mention') as stored
          from mentions m where m.tenant_id = any(${sql.param(tenantIds)}::uuid[])`,
    );

    const deliveries = await queryRows<{ team: string; local_date: string; kind: string; status: string }>(
      db,
      sql`select t.external_id as team, d.local_date, d.kind, d.status from nudge_deliveries d
          join tenants t on t.id = d.tenant_id where d.tenant_id = any(${sql.param(tenantIds)}::uuid[])`,
    );
    let doubledPosts = 0;
    let missingPosts = 0;
    for (const delivery of deliveries) {
      const posts = digestPosts(slack, delivery.team).filter(
        (p) => p.localDate === delivery.local_date && p.kind === delivery.kind,
      ).length;
      if (posts > 1) doubledPosts += 1;
      if (posts === 0) missingPosts += 1;
    }
    const withDaily = new Set(deliveries.filter((d) => d.kind === "daily").map((d) => d.team));
    const withWelcome = new Set(deliveries.filter((d) => d.kind === "welcome").map((d) => d.team));
    return {
      touches: { stored: stored.reduce((n, row) => n + row.n, 0), lost, doubled },
      mentions: {
        served: served.size,
        stored: mentionRows.length,
        lost: [...served].filter((id) => !storedPosts.has(id)).length,
        doubled: mentionRows.filter((row) => row.n > 1).length,
      },
      mentionTouches: { expected: mentionTouches?.expected ?? 0, stored: mentionTouches?.stored ?? 0 },
      nudges: {
        deliveries: deliveries.length,
        sent: deliveries.filter((d) => d.status === "sent").length,
        notSent: deliveries.filter((d) => d.status !== "sent").length,
        doubled: doubledPosts,
        missing: missingPosts,
        tenantsWithoutDaily: tenants.filter((t) => !withDaily.has(t.teamId)).length,
        tenantsWithoutWelcome: tenants.filter((t) => !withWelcome.has(t.teamId)).length,
      },
    };
  } finally {
    await close();
  }
}

/** What went wrong in a run, as short phrases: none when every restart came up and nothing was lost or doubled. */
export function chaosProblems(r: ChaosReport): string[] {
  return [
    r.failedRestarts.length > 0 && "restarts failed",
    r.commands.sent === 0 && "no touches were sent",
    r.commands.confirmed < r.commands.sent && "touches never confirmed",
    r.touches.lost > 0 && "confirmed touches lost",
    (r.touches.doubled > 0 || r.touches.stored > r.commands.sent) && "touches doubled",
    r.mentions.lost + r.mentions.doubled > 0 && "mentions lost or doubled",
    r.mentionTouches.stored !== r.mentionTouches.expected && "mention touchpoints",
    r.nudges.notSent + r.nudges.missing > 0 && "nudges not sent",
    r.nudges.doubled > 0 && "nudges doubled",
    r.nudges.tenantsWithoutDaily + r.nudges.tenantsWithoutWelcome > 0 && "nudges never queued",
  ].filter((p): p is string => typeof p === "string");
}

/** The report as a few lines, for the bench and for a failing test's message. */
export function describeChaos(label: string, r: ChaosReport): string {
  return [
    `${label}: ${r.kills} kills in ${r.seconds} s; restarts ${r.failedRestarts.length === 0 ? "all at the first try" : `FAILED ${r.failedRestarts.length}×: ${r.failedRestarts[0]}`} (median ${r.restartMs.median} ms, max ${r.restartMs.max} ms)`,
    `  /touch: ${r.commands.sent} commands, ${r.commands.attempts} requests, ${r.commands.confirmed} confirmed (${r.commands.alreadyLogged} on a retry, already logged by a killed process); stored ${r.touches.stored}, lost ${r.touches.lost}, doubled ${r.touches.doubled}`,
    `  X mentions: ${r.mentions.served} served, ${r.mentions.stored} stored, lost ${r.mentions.lost}, doubled ${r.mentions.doubled}; their touchpoints ${r.mentionTouches.stored} of ${r.mentionTouches.expected}`,
    `  nudges: ${r.nudges.deliveries} deliveries, ${r.nudges.sent} sent (${r.nudgesFoundPosted} found already posted after a kill), ${r.nudges.notSent} not sent; posted twice ${r.nudges.doubled}, never ${r.nudges.missing}; workspaces without their daily nudge ${r.nudges.tenantsWithoutDaily}, without their first ${r.nudges.tenantsWithoutWelcome}`,
  ].join("\n");
}
