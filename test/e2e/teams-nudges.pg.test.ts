import { installApp } from "@touchpoint/core";
import { createStorage, type DatabaseHandle, queryRows } from "@touchpoint/db";
import { type FreshDatabase, freshDatabase, sql, testSecrets } from "@touchpoint/db/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeGraph, startFakeGraph } from "../fakes/graph.js";
import { type FakeTeamsConnector, type StoredMessage, startFakeTeamsConnector } from "../fakes/teams-connector.js";
import { runTouchpoint, type Serving, startTouchpoint } from "../support/processes.js";
import { BOT, type TeamsOrg, teamsOrg } from "../support/teams-activities.js";

/**
 * The Teams nudge as production runs it: `touchpoint serve` processes on one PostgreSQL, each
 * ticking its scheduler and its sender, posting through botbuilder to the fake Bot Framework
 * connector, and looking for their own cards through the fake Microsoft Graph when a post's
 * outcome is unknown. Whatever the connector does (hang, answer 500 or 502 after taking the card,
 * refuse with 412, 429 or 502), however far Graph's listing lags it, and however many replicas run,
 * every organization gets one card.
 */

/** The notifier's own: a connector call with no answer is given up after 10 s. */
const CONNECTOR_TIMEOUT_MS = 10_000;
/** Graph is trusted to list a post this long after it: short here (30 s in production), and longer than its lag. */
const SETTLE_SECONDS = 3;
/** How far the fake Graph's listing is behind the connector, where a test says so. */
const GRAPH_LAG_MS = 2_000;
const KEY = Buffer.alloc(32, 7).toString("base64");

let database: FreshDatabase;
let admin: DatabaseHandle;
let app: DatabaseHandle;
let connector: FakeTeamsConnector;
let graph: FakeGraph;
const running: Serving[] = [];

beforeAll(async () => {
  database = await freshDatabase();
  [admin, app] = await Promise.all([database.connect("admin"), database.connect("app")]);
  connector = await startFakeTeamsConnector();
  graph = await startFakeGraph(connector);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
  graph.lagListing(0);
});
afterAll(async () => {
  await graph?.close();
  await connector?.close();
  await Promise.all([admin?.close(), app?.close()]);
  await database?.drop();
});

const storage = () => createStorage(app.db, { secrets: testSecrets });

async function serve(): Promise<Serving> {
  const server = await startTouchpoint({
    DATABASE_URL: database.appUrl,
    TOUCHPOINT_ENCRYPTION_KEY: KEY,
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    TEAMS_ALLOW_UNAUTHENTICATED: "true",
    TEAMS_GRAPH_URL: graph.url,
    TOUCHPOINT_SCHEDULER: "on",
    TOUCHPOINT_DELIVERY_RETRY_SECONDS: "0.5",
    TEAMS_GRAPH_SETTLE_SECONDS: String(SETTLE_SECONDS),
  });
  running.push(server);
  return server;
}

interface DueOrg {
  readonly org: TeamsOrg;
  readonly tenantId: string;
}

/**
 * Organizations with Touchpoint in their team, whose nudge time (midnight in their zone) has
 * passed: due as soon as a scheduler ticks. The connector knows each team; Graph its channel, with
 * the app's resource-specific consent to read it or without.
 */
async function dueOrganizations(count: number, options: { readonly consent: boolean }): Promise<DueOrg[]> {
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
    "UTC",
  ].filter((zone) => hour(zone) >= 1 && hour(zone) <= 22);
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const org = teamsOrg(`Org ${i}`);
      connector.addTeam(org.team);
      graph.addTeam({ aadGroupId: org.team.aadGroupId, channelIds: [org.channelId], consent: options.consent });
      const reference = {
        bot: BOT,
        conversation: { id: org.channelId, conversationType: "channel", tenantId: org.tenantId, isGroup: true },
        channelId: "msteams",
        serviceUrl: connector.serviceUrl,
      };
      const installed = await installApp(
        { storage: s },
        {
          installation: {
            platform: "teams",
            key: org.tenantId,
            enterpriseId: null,
            teamId: org.team.id,
            isEnterpriseInstall: false,
            botUserId: BOT.id,
            installedBy: null,
            secret: JSON.stringify(reference),
          },
          organizationName: org.team.name,
          installer: null,
        },
      );
      if (!installed.ok) throw new Error(installed.error.message);
      const tenantId = installed.value.tenant.id;
      await s.withTenant(tenantId, (r) =>
        r.tenant.update({
          timeZone: zones[i % zones.length],
          nudgeTime: "00:00",
          nudgeChannel: org.channelId,
          settings: { whenNothingToSay: "all_caught_up" },
        }),
      );
      return { org, tenantId };
    }),
  );
}

/** The cards the connector holds in each organization's channel. */
const cardsOf = (orgs: readonly DueOrg[]): (readonly StoredMessage[])[] =>
  orgs.map(({ org }) => connector.conversationMessages(org.channelId));

async function deliveryStatuses(orgs: readonly DueOrg[]): Promise<Record<string, number>> {
  const rows = await queryRows<{ status: string; n: number }>(
    admin.db,
    sql`select status, count(*)::int as n from nudge_deliveries
        where tenant_id = any(${sql.param(orgs.map((o) => o.tenantId))}::uuid[]) group by status`,
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

const logLines = (servers: readonly Serving[], message: string) =>
  servers.flatMap((server) => server.logs().split("\n")).filter((line) => line.includes(`"msg":"${message}"`));

describe("the Teams nudge in real processes on PostgreSQL", () => {
  it("three replicas, a connector that hangs, fails after taking cards and refuses, Graph 2 s behind: one card each", async () => {
    const orgs = await dueOrganizations(24, { consent: true });
    // A look 0.5 s after a 500 (the backoff) would miss a card Graph lists 2 s late, and post it again.
    graph.lagListing(GRAPH_LAG_MS);
    connector.hangNext(1);
    connector.acceptThenFailNext(1, 500);
    connector.acceptThenFailNext(1, 502);
    connector.failNext(1, 502);
    connector.failNext(1, 412);
    connector.failNext(1, 429, { "retry-after": "1" });
    const servers = await Promise.all([serve(), serve(), serve()]);

    await expect.poll(() => deliveryStatuses(orgs), { timeout: 45_000, interval: 250 }).toEqual({ sent: 24 });
    expect(cardsOf(orgs).map((cards) => cards.length)).toEqual(Array(24).fill(1));
    // The hung card and the two taken before a 5xx were found through Graph, not posted again.
    expect(logLines(servers, "nudge was already posted; marked sent")).toHaveLength(3);
    const [hung] = connector.calls.filter((call) => call.status === 0);
    expect(orgs.some(({ org }) => org.channelId === hung?.conversationId)).toBe(true);
    // Each of the three replicas delivered some: they shared the work.
    const composed = servers.map((server) => logLines([server], "nudge composed").length);
    expect(composed.reduce((a, b) => a + b, 0)).toBe(24);
  }, 90_000);

  it("a hang costs its own delivery the 10 s timeout, not the sender: the others arrive meanwhile", async () => {
    const orgs = await dueOrganizations(10, { consent: true });
    connector.hangNext(1);
    await serve();

    const hung = await connector.waitFor(
      (call) => call.status === 0 && orgs.some((o) => o.org.channelId === call.conversationId),
      30_000,
    );
    const others = orgs.filter(({ org }) => org.channelId !== hung.conversationId);
    await expect
      .poll(() => deliveryStatuses(others), { timeout: CONNECTOR_TIMEOUT_MS, interval: 100 })
      .toEqual({ sent: 9 });
    // Every other card was in while the hung call still had no answer.
    const otherCards = cardsOf(others).flat();
    expect(otherCards).toHaveLength(9);
    for (const card of otherCards)
      expect(card.createdAt.getTime()).toBeLessThan(hung.at.getTime() + CONNECTOR_TIMEOUT_MS);

    await expect.poll(() => deliveryStatuses(orgs), { timeout: 30_000, interval: 250 }).toEqual({ sent: 10 });
    const stuck = orgs.filter(({ org }) => org.channelId === hung.conversationId);
    const [sentAt] = await queryRows<{ sent_at: Date }>(
      admin.db,
      sql`select sent_at from nudge_deliveries where tenant_id = ${stuck[0]?.tenantId ?? ""}`,
    );
    expect(new Date(sentAt?.sent_at ?? 0).getTime() - hung.at.getTime()).toBeGreaterThanOrEqual(
      CONNECTOR_TIMEOUT_MS - 100,
    );
    expect(cardsOf(stuck).map((cards) => cards.length)).toEqual([1]);
  }, 90_000);

  it("a replica killed between the post and its bookkeeping: found where the app may read, else unknown, never twice", async () => {
    const [readable] = await dueOrganizations(1, { consent: true });
    const [unreadable] = await dueOrganizations(1, { consent: false });
    if (!readable || !unreadable) throw new Error("two organizations");
    const both = [readable, unreadable];
    // Both cards taken, neither answered: the replica dies holding them.
    connector.hangNext(2);
    const first = await serve();
    const held = (conversationId: string) => (call: { status: number; conversationId: string }) =>
      call.status === 0 && call.conversationId === conversationId;
    await Promise.all(both.map(({ org }) => connector.waitFor(held(org.channelId), 30_000)));
    first.kill();
    await first.exited;
    expect(await deliveryStatuses(both)).toEqual({ pending: 2 });

    // The dead replica's leases would run out in a minute; let that time pass.
    await admin.db.execute(
      sql`update nudge_deliveries set lease_expires_at = now() - interval '1 second'
          where tenant_id = any(${sql.param(both.map((o) => o.tenantId))}::uuid[])`,
    );
    const second = await serve();
    await expect
      .poll(() => deliveryStatuses(both), { timeout: 30_000, interval: 100 })
      .toEqual({ sent: 1, unknown: 1 });
    expect(await deliveryStatuses([readable])).toEqual({ sent: 1 });
    expect(cardsOf(both).map((cards) => cards.length)).toEqual([1, 1]);
    expect(logLines([second], "nudge was already posted; marked sent")).toHaveLength(1);
    expect(logLines([second], "nudge delivery outcome unknown; not posted again")).toHaveLength(1);

    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).toMatch(/touchpoint_nudge_deliveries_total\{outcome="unknown"\} 1\b/);
    const listed = await runTouchpoint(["tenants", "list", "--json"], {
      DATABASE_URL: database.appUrl,
      TOUCHPOINT_ENCRYPTION_KEY: KEY,
    });
    expect(listed.code).toBe(0);
    const tenants = JSON.parse(listed.stdout) as { id: string; unknownDeliveries: number; deadDeliveries: number }[];
    expect(tenants.find((t) => t.id === unreadable.tenantId)).toMatchObject({
      unknownDeliveries: 1,
      deadDeliveries: 0,
    });
    expect(tenants.find((t) => t.id === readable.tenantId)).toMatchObject({ unknownDeliveries: 0 });
  }, 90_000);
});
