import { installApp } from "@touchpoint/core";
import { slackInstall, uniqueExternalId } from "@touchpoint/core/testing";
import { createStorage, type DatabaseHandle, queryRows } from "@touchpoint/db";
import { type FreshDatabase, freshDatabase, sql, testSecrets } from "@touchpoint/db/testing";
import { DIGEST_EVENT_TYPE } from "@touchpoint/slack";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeSlack, type RecordedCall, startFakeSlack } from "../fakes/slack-web-api.js";
import { type Serving, startTouchpoint } from "../support/processes.js";

/**
 * The daily nudge as production runs it: `touchpoint serve` processes on one PostgreSQL, each
 * ticking its scheduler and its sender, posting to the fake Slack through the real WebClient.
 */

let database: FreshDatabase;
let admin: DatabaseHandle;
let app: DatabaseHandle;
let slack: FakeSlack;
const running: Serving[] = [];

beforeAll(async () => {
  database = await freshDatabase();
  [admin, app] = await Promise.all([database.connect("admin"), database.connect("app")]);
  slack = await startFakeSlack();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});
afterAll(async () => {
  await slack?.close();
  await Promise.all([admin?.close(), app?.close()]);
  await database?.drop();
});

const storage = () => createStorage(app.db, { secrets: testSecrets });

const serverEnv = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: database.appUrl,
  TOUCHPOINT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  SLACK_SIGNING_SECRET: "nudge-test-signing-secret",
  SLACK_CLIENT_ID: "1111.2222",
  SLACK_CLIENT_SECRET: "client-secret",
  SLACK_STATE_SECRET: "state-secret",
  SLACK_API_URL: slack.apiUrl,
  TOUCHPOINT_SCHEDULER: "on",
  TOUCHPOINT_DELIVERY_RETRY_SECONDS: "0.5",
  ...extra,
});

async function serve(extra: Record<string, string> = {}): Promise<Serving> {
  const server = await startTouchpoint(serverEnv(extra));
  running.push(server);
  return server;
}

/** Installed workspaces whose nudge time (midnight in their zone) has passed: due as soon as a scheduler ticks. */
async function dueWorkspaces(count: number): Promise<{ tenantId: string; teamId: string }[]> {
  const s = storage();
  // Zones not near midnight now: a local day turning mid-test would make a second, honest nudge.
  const hour = (zone: string) =>
    Number(new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", hourCycle: "h23" }).format(new Date()));
  const zones = [
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Pacific/Auckland",
    "UTC",
  ].filter((zone) => hour(zone) >= 1 && hour(zone) <= 22);
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const teamId = uniqueExternalId("T");
      const botToken = `xoxb-${teamId}-bot`;
      slack.addWorkspace({
        teamId,
        teamName: `Org ${i}`,
        botToken,
        botUserId: `U0BOT${i}`,
        botId: `B0BOT${i}`,
        channels: [{ id: "C0NUDGES", name: "nudges" }],
      });
      const installed = await installApp(
        { storage: s },
        {
          installation: slackInstall(teamId, JSON.stringify({ team: { id: teamId }, bot: { token: botToken } })),
          organizationName: `Org ${i}`,
          installer: null,
        },
      );
      if (!installed.ok) throw new Error(installed.error.message);
      const tenantId = installed.value.tenant.id;
      await s.withTenant(tenantId, (r) =>
        r.tenant.update({
          timeZone: zones[i % zones.length],
          nudgeTime: "00:00",
          nudgeChannel: "C0NUDGES",
          settings: { whenNothingToSay: "all_caught_up" },
        }),
      );
      return { tenantId, teamId };
    }),
  );
}

const nudgePosts = (teamIds: ReadonlySet<string>) =>
  slack
    .callsTo("chat.postMessage")
    .filter(
      (call) =>
        call.status === 200 &&
        call.response.ok &&
        teamIds.has(call.teamId ?? "") &&
        (call.args.metadata as { event_type?: string } | undefined)?.event_type === DIGEST_EVENT_TYPE,
    );

async function deliveryStatuses(tenantIds: readonly string[]): Promise<Record<string, number>> {
  const rows = await queryRows<{ status: string; n: number }>(
    admin.db,
    sql`select status, count(*)::int as n from nudge_deliveries
        where tenant_id = any(${sql.param([...tenantIds])}::uuid[]) group by status`,
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/** Messages in a workspace's nudge channel, as Slack keeps them. */
async function channelMessages(teamId: string): Promise<unknown[]> {
  const response = await fetch(`${slack.apiUrl}conversations.history`, {
    method: "POST",
    headers: { authorization: `Bearer xoxb-${teamId}-bot`, "content-type": "application/json" },
    body: JSON.stringify({ channel: "C0NUDGES", include_all_metadata: true }),
  });
  return ((await response.json()) as { messages: unknown[] }).messages;
}

describe("the daily nudge in real processes on PostgreSQL", () => {
  it("three processes ticking together for 100 due tenants post exactly 100 nudges", async () => {
    const workspaces = await dueWorkspaces(100);
    const tenantIds = workspaces.map((w) => w.tenantId);
    const teams = new Set(workspaces.map((w) => w.teamId));
    const servers = await Promise.all([serve(), serve(), serve()]);

    await expect.poll(() => deliveryStatuses(tenantIds), { timeout: 60_000, interval: 200 }).toEqual({ sent: 100 });
    const posts = nudgePosts(teams);
    expect(posts).toHaveLength(100);
    expect(new Set(posts.map((p) => p.teamId)).size).toBe(100);
    const [nudges] = await queryRows<{ n: number }>(
      admin.db,
      sql`select count(*)::int as n from nudges where tenant_id = any(${sql.param(tenantIds)}::uuid[])`,
    );
    expect(nudges?.n).toBe(100);
    // Every process did some of the work: the claims spread it, they did not serialize it.
    const composed = servers.map(
      (s) =>
        s
          .logs()
          .split("\n")
          .filter((l) => l.includes('"nudge composed"')).length,
    );
    expect(composed.reduce((a, b) => a + b, 0)).toBe(100);
    // Each message carries the metadata the sender finds it by.
    expect(posts[0]?.args.metadata).toMatchObject({
      event_type: DIGEST_EVENT_TYPE,
      event_payload: { tenant_id: expect.any(String), local_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
    });
  });

  it("a sender killed after Slack took the post, before its bookkeeping, never posts twice", async () => {
    const [workspace] = await dueWorkspaces(1);
    if (!workspace) throw new Error("no workspace");
    const hold = slack.holdNext("chat.postMessage");
    const first = await serve();
    const held: RecordedCall = await hold.reached;
    expect(held.teamId).toBe(workspace.teamId);
    first.kill();
    await first.exited;
    hold.release();
    expect(await deliveryStatuses([workspace.tenantId])).toEqual({ pending: 1 });

    // The dead process's lease would run out in a minute; let that time pass.
    await admin.db.execute(
      sql`update nudge_deliveries set lease_expires_at = now() - interval '1 second' where tenant_id = ${workspace.tenantId}`,
    );
    const second = await serve();
    await expect
      .poll(() => deliveryStatuses([workspace.tenantId]), { timeout: 30_000, interval: 100 })
      .toEqual({ sent: 1 });
    expect(await channelMessages(workspace.teamId)).toHaveLength(1);
    expect(nudgePosts(new Set([workspace.teamId]))).toHaveLength(1);
    expect(second.logs()).toContain("nudge was already posted; marked sent");
  });

  it("waits out a 429's Retry-After and retries 500s: each nudge delivered once", async () => {
    const [workspace] = await dueWorkspaces(1);
    if (!workspace) throw new Error("no workspace");
    slack.failNext("chat.postMessage", { status: 429, retryAfter: 2 });
    slack.failNext("chat.postMessage", { status: 500 }, 2);
    await serve();
    await expect
      .poll(() => deliveryStatuses([workspace.tenantId]), { timeout: 30_000, interval: 100 })
      .toEqual({ sent: 1 });
    const attempts = slack.callsTo("chat.postMessage").filter((call) => call.teamId === workspace.teamId);
    expect(attempts.map((call) => call.status)).toEqual([429, 500, 500, 200]);
    const [limited, afterLimit] = attempts;
    if (!limited || !afterLimit) throw new Error("two attempts");
    expect(afterLimit.at.getTime() - limited.at.getTime()).toBeGreaterThanOrEqual(2000);
    // After each 500 (outcome unknown) it looked for its own message before posting again.
    expect(slack.callsTo("conversations.history").filter((c) => c.teamId === workspace.teamId)).toHaveLength(2);
    expect(await channelMessages(workspace.teamId)).toHaveLength(1);
  });
});
