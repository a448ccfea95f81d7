import {
  DEFAULT_DELIVERY_SETTINGS,
  type DeliveryOutcome,
  deliverNudge,
  type Logger,
  type NudgeNotifier,
  systemClock,
} from "@touchpoint/core";
import { InMemoryStorage, sampleDigest } from "@touchpoint/core/testing";
import { createGraphClient, createTeamsNotifier, graphToken } from "@touchpoint/teams";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGraph, startFakeGraph } from "../fakes/graph.js";
import { type ConnectorCall, type FakeTeamsConnector, startFakeTeamsConnector } from "../fakes/teams-connector.js";
import { BOT, teamsOrg } from "../support/teams-activities.js";

/**
 * The Teams notifier with botbuilder's own CloudAdapter and connector client, against the loopback
 * fake connector and the fake Microsoft Graph, driven one attempt at a time through core's
 * deliverNudge (the sender's use case) on in-memory storage: what each connector fault means for a
 * delivery, that botbuilder sends nothing twice on its own, and the look-up before a second post.
 */

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
/** Short, so a hang costs the test a moment; the notifier's own default is 10 s. */
const TIMEOUT_MS = 400;
const DAY = "2026-11-02";

let connector: FakeTeamsConnector;
let graph: FakeGraph;
beforeAll(async () => {
  connector = await startFakeTeamsConnector();
  graph = await startFakeGraph(connector);
});
afterAll(async () => {
  await graph?.close();
  await connector?.close();
});

function notifierOn(
  storage: InMemoryStorage,
  options: {
    readonly graph?: boolean;
    readonly timeoutMs?: number;
    readonly maxPages?: number;
    /** "default": the notifier's own 30 s; else this (0 unless told), so each attempt here may follow the last at once. */
    readonly settleSeconds?: number | "default";
  } = {},
): NudgeNotifier {
  return createTeamsNotifier({
    storage,
    logger: silent,
    credentials: { kind: "unauthenticated" },
    timeoutMs: options.timeoutMs ?? TIMEOUT_MS,
    ...(options.settleSeconds !== "default" && { lookupSettleSeconds: options.settleSeconds ?? 0 }),
    ...(options.graph !== false && {
      graph: createGraphClient({
        baseUrl: graph.url,
        token: graphToken({ kind: "unauthenticated" }),
        ...(options.maxPages !== undefined && { maxPages: options.maxPages }),
      }),
    }),
  });
}

/** A message someone else posts in the conversation (through the connector, as Teams would list it). */
async function postedByOthers(conversationId: string, n: number): Promise<void> {
  const path = `v3/conversations/${encodeURIComponent(conversationId)}/activities`;
  const response = await fetch(`${connector.serviceUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "message", from: { id: "29:someone", name: "Someone" }, text: `message ${n}` }),
  });
  expect(response.status).toBe(200);
}

/** Another of the organization's teams, as an install scope: its General channel is its team id. */
async function addTeamScope(storage: InMemoryStorage, tenantId: string, team: ReturnType<typeof teamsOrg>["team"]) {
  const reference = { bot: BOT, channelId: "msteams", serviceUrl: connector.serviceUrl, conversation: { id: team.id } };
  await storage.withTenant(tenantId, (r) =>
    r.installScopes.add({
      conversationId: team.id,
      scope: "team",
      reference: JSON.stringify(reference),
      installedBy: null,
    }),
  );
}

/** A channel of a team that is not its General one (so no team's reference names it). */
const otherChannel = () => `19:${crypto.randomUUID().replace(/-/g, "")}@thread.tacv2`;

/**
 * An organization with Touchpoint installed in its team (the connector knows the team, Graph its
 * channel, with or without the app's consent to read it) and today's nudge queued for `target`
 * (the team's channel unless told).
 */
async function organization(
  storage: InMemoryStorage,
  options: { readonly consent?: boolean; readonly target?: (org: ReturnType<typeof teamsOrg>) => string } = {},
) {
  const org = teamsOrg("Riverside Food Bank");
  const created = await storage.tenants.create({
    platform: "teams",
    externalId: org.tenantId,
    name: org.team.name,
    nudgeChannel: org.channelId,
  });
  if (!created.ok) throw new Error(created.error.message);
  const tenantId = created.value.id;
  const reference = {
    bot: BOT,
    conversation: { id: org.channelId, conversationType: "channel", tenantId: org.tenantId, isGroup: true },
    channelId: "msteams",
    serviceUrl: connector.serviceUrl,
  };
  await storage.installations.save({
    tenantId,
    platform: "teams",
    key: org.tenantId,
    enterpriseId: null,
    teamId: org.team.id,
    isEnterpriseInstall: false,
    botUserId: BOT.id,
    installedBy: org.installer.aadObjectId,
    secret: JSON.stringify(reference),
  });
  connector.addTeam(org.team);
  graph.addTeam({ aadGroupId: org.team.aadGroupId, channelIds: [org.channelId], consent: options.consent ?? true });
  const target = options.target?.(org) ?? org.channelId;
  await storage.withTenant(tenantId, (r) => r.nudges.claim(sampleDigest(tenantId, DAY), [{ target }], new Date()));
  return { org, tenantId, target, reference };
}

/** One attempt at every delivery due now, as the sender makes it; a retry (a millisecond's wait) is due. */
async function attempt(storage: InMemoryStorage, notifier: NudgeNotifier): Promise<DeliveryOutcome[]> {
  const now = new Date(Date.now() + 1000);
  const claimed = await storage.nudges.claimDeliveries({ owner: "t", now, leaseSeconds: 60, limit: 10 });
  const deps = {
    storage,
    notifier,
    clock: systemClock,
    logger: silent,
    settings: { ...DEFAULT_DELIVERY_SETTINGS, retrySeconds: 0.001 },
  };
  return Promise.all(claimed.map((target) => deliverNudge(deps, target)));
}

const nudgePosts = (conversationId: string) => (call: ConnectorCall) =>
  call.method === "POST" && call.conversationId === conversationId && call.replyToId === undefined;
const cardsIn = (conversationId: string) => connector.conversationMessages(conversationId);
const status = async (storage: InMemoryStorage, tenantId: string) =>
  (await storage.withTenant(tenantId, (r) => r.nudges.deliveries(DAY)))[0];

describe("the Teams notifier's connector calls", () => {
  it("sends each nudge once per attempt: botbuilder repeats no 5xx, 408 or 429 by itself", async () => {
    for (const failure of [500, 502, 503, 504, 408, 429]) {
      const storage = new InMemoryStorage();
      const { org } = await organization(storage);
      connector.failNext(1, failure, failure === 429 ? { "retry-after": "1" } : {});
      // The default 10 s: time enough for botbuilder's pipeline to try again (after about 1 s), were it on.
      const [outcome] = await attempt(storage, notifierOn(storage, { timeoutMs: 10_000 }));
      expect(outcome?.kind).toBe("retry");
      // botbuilder's pipeline would have called again, and delivered it on the second call.
      expect(connector.calls.filter(nudgePosts(org.channelId)).map((call) => call.status)).toEqual([failure]);
    }
  });

  it("carries the delivery id in the card, beside tenant_id and local_date", async () => {
    const storage = new InMemoryStorage();
    const { org, tenantId } = await organization(storage);
    expect(await attempt(storage, notifierOn(storage))).toMatchObject([{ kind: "sent", alreadyPosted: false }]);
    const delivery = await status(storage, tenantId);
    const [card] = cardsIn(org.channelId);
    const content = card?.activity.attachments?.[0]?.content as { body: Record<string, unknown>[] } | undefined;
    const body = content?.body ?? [];
    expect(body.slice(0, 3)).toEqual([
      { type: "Input.Text", id: "tenant_id", value: tenantId, isVisible: false },
      { type: "Input.Text", id: "local_date", value: DAY, isVisible: false },
      { type: "Input.Text", id: "delivery_id", value: delivery?.id, isVisible: false },
    ]);
    expect(delivery).toMatchObject({ status: "sent", ref: `${org.channelId}/${card?.id}` });
  });
});

describe("a Teams nudge whose post may have gone through", () => {
  it("a connector that takes the card and never answers: given up at the timeout, then found through Graph", async () => {
    const storage = new InMemoryStorage();
    const { org, tenantId } = await organization(storage);
    connector.hangNext(1);
    const started = Date.now();
    const [first] = await attempt(storage, notifierOn(storage));
    const took = Date.now() - started;
    expect(first).toMatchObject({
      kind: "retry",
      failure: { kind: "unavailable", detail: "the Bot Framework connector did not answer within 0.4 s" },
    });
    expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(took).toBeLessThan(TIMEOUT_MS + 2_000);

    const [second] = await attempt(storage, notifierOn(storage));
    const [card] = cardsIn(org.channelId);
    expect(second).toEqual({ kind: "sent", ref: `${org.channelId}/${card?.id}`, alreadyPosted: true });
    expect(cardsIn(org.channelId)).toHaveLength(1);
    expect(connector.calls.filter(nudgePosts(org.channelId))).toHaveLength(1);
    // It asked the connector which Microsoft 365 group the team is, then Graph for the channel.
    const read = await graph.waitFor((call) => call.conversationId === org.channelId);
    expect(read).toMatchObject({ path: expect.stringContaining(org.team.aadGroupId), status: 200 });
    expect(read.authorization).toBeUndefined();
    expect((await status(storage, tenantId))?.status).toBe("sent");
  });

  it("the next attempt after one whose outcome is unknown waits 30 s: Graph's listing lags the connector", async () => {
    const storage = new InMemoryStorage();
    const { tenantId } = await organization(storage);
    connector.acceptThenFailNext(1, 502);
    const before = Date.now();
    const [first] = await attempt(storage, notifierOn(storage, { settleSeconds: "default" }));
    if (first?.kind !== "retry") throw new Error(`not retried: ${first?.kind}`);
    expect(first.at.getTime() - before).toBeGreaterThanOrEqual(30_000);
    // Not due before then: the next look could miss the card and post it again.
    expect(await attempt(storage, notifierOn(storage, { settleSeconds: "default" }))).toEqual([]);
    expect((await status(storage, tenantId))?.status).toBe("pending");
  });

  it("a 500 or 502 after the connector took the card: found through Graph, not posted again", async () => {
    for (const failure of [500, 502]) {
      const storage = new InMemoryStorage();
      const { org } = await organization(storage);
      connector.acceptThenFailNext(1, failure);
      expect(await attempt(storage, notifierOn(storage))).toMatchObject([{ kind: "retry" }]);
      expect(await attempt(storage, notifierOn(storage))).toMatchObject([{ kind: "sent", alreadyPosted: true }]);
      expect(cardsIn(org.channelId)).toHaveLength(1);
    }
  });

  it("a 502 that took nothing: not found through Graph, so posted again, once", async () => {
    const storage = new InMemoryStorage();
    const { org } = await organization(storage);
    connector.failNext(1, 502);
    await attempt(storage, notifierOn(storage));
    expect(await attempt(storage, notifierOn(storage))).toMatchObject([{ kind: "sent", alreadyPosted: false }]);
    expect(connector.calls.filter(nudgePosts(org.channelId)).map((call) => call.status)).toEqual([502, 200]);
    expect(cardsIn(org.channelId)).toHaveLength(1);
  });

  it("a crash between the post and its bookkeeping: the next attempt finds the card", async () => {
    const storage = new InMemoryStorage();
    const { org, tenantId } = await organization(storage);
    const [claimed] = await storage.nudges.claimDeliveries({ owner: "t", now: new Date(), leaseSeconds: 60, limit: 1 });
    const delivery = await storage.withTenant(tenantId, (r) => r.nudges.delivery(claimed?.id ?? ""));
    if (!delivery) throw new Error("no delivery");
    expect((await notifierOn(storage).post(delivery)).ok).toBe(true);
    // Nothing recorded it; the lease runs out.
    const later = new Date(Date.now() + 61_000);
    const [again] = await storage.nudges.claimDeliveries({ owner: "t2", now: later, leaseSeconds: 60, limit: 1 });
    expect(again?.interrupted).toBe(true);
    const outcome = await deliverNudge(
      {
        storage,
        notifier: notifierOn(storage),
        clock: systemClock,
        logger: silent,
        settings: DEFAULT_DELIVERY_SETTINGS,
      },
      again ?? { tenantId, id: delivery.id },
    );
    expect(outcome).toMatchObject({ kind: "sent", alreadyPosted: true });
    expect(cardsIn(org.channelId)).toHaveLength(1);
  });

  it("a channel the app has no consent to read (Graph's 403): the outcome is unknown, and it is not posted again", async () => {
    const storage = new InMemoryStorage();
    const { org, tenantId } = await organization(storage, { consent: false });
    connector.acceptThenFailNext(1, 502);
    await attempt(storage, notifierOn(storage));
    const [outcome] = await attempt(storage, notifierOn(storage));
    expect(outcome).toMatchObject({ kind: "unknown", detail: expect.stringContaining("Graph HTTP 403 Forbidden") });
    expect(await attempt(storage, notifierOn(storage))).toEqual([]);
    expect(cardsIn(org.channelId)).toHaveLength(1);
    expect((await status(storage, tenantId))?.status).toBe("unknown");
    expect((await storage.nudges.unknownOutcomes()).get(tenantId)).toBe(1);
  });

  it("no Microsoft Graph configured: an unknown outcome stays unknown, with no look-up", async () => {
    const storage = new InMemoryStorage();
    const { org } = await organization(storage);
    const reads = graph.calls.length;
    connector.acceptThenFailNext(1, 500);
    await attempt(storage, notifierOn(storage, { graph: false }));
    expect(await attempt(storage, notifierOn(storage, { graph: false }))).toMatchObject([
      { kind: "unknown", detail: expect.stringContaining("no Microsoft Graph") },
    ]);
    expect(graph.calls.length).toBe(reads);
    expect(cardsIn(org.channelId)).toHaveLength(1);
  });

  it("an owner's own nudge in their 1:1 chat: there is no way to look, so a 502 after it went leaves it unknown", async () => {
    const storage = new InMemoryStorage();
    const { org } = await organization(storage, { target: (o) => o.member.aadObjectId });
    connector.acceptThenFailNext(1, 502);
    await attempt(storage, notifierOn(storage));
    const chat = (await connector.waitForCreated((c) => c.parameters.members?.[0]?.id === org.member.aadObjectId)).id;
    const reads = graph.calls.length;
    expect(await attempt(storage, notifierOn(storage))).toMatchObject([
      { kind: "unknown", detail: expect.stringContaining("1:1 chat") },
    ]);
    expect(graph.calls.length).toBe(reads);
    expect(cardsIn(chat ?? "")).toHaveLength(1);
  });

  it("a group chat with ChatMessage.Read.Chat: looked up in the chat's messages", async () => {
    const storage = new InMemoryStorage();
    const chatId = `19:${crypto.randomUUID().replace(/-/g, "")}@thread.v2`;
    const { tenantId } = await organization(storage, { target: () => chatId });
    graph.addChat({ chatId, consent: true });
    connector.acceptThenFailNext(1, 500);
    await attempt(storage, notifierOn(storage));
    expect(await attempt(storage, notifierOn(storage))).toMatchObject([{ kind: "sent", alreadyPosted: true }]);
    expect(await graph.waitFor((call) => call.path.startsWith("/v1.0/chats/"))).toMatchObject({ status: 200 });
    expect(cardsIn(chatId)).toHaveLength(1);
    expect((await status(storage, tenantId))?.status).toBe("sent");
  });

  it("a channel of another of the organization's teams: found through that team's install scope", async () => {
    const storage = new InMemoryStorage();
    const other = teamsOrg("Riverside Volunteers");
    const { org, tenantId } = await organization(storage, { target: () => other.channelId });
    connector.addTeam(other.team);
    graph.addTeam({ aadGroupId: other.team.aadGroupId, channelIds: [other.channelId], consent: true });
    const reference = {
      bot: BOT,
      channelId: "msteams",
      serviceUrl: connector.serviceUrl,
      conversation: { id: other.channelId },
    };
    await storage.withTenant(tenantId, (r) =>
      r.installScopes.add({
        conversationId: other.team.id,
        scope: "team",
        reference: JSON.stringify(reference),
        installedBy: null,
      }),
    );
    connector.acceptThenFailNext(1, 502);
    await attempt(storage, notifierOn(storage));
    expect(await attempt(storage, notifierOn(storage))).toMatchObject([{ kind: "sent", alreadyPosted: true }]);
    expect(cardsIn(other.channelId)).toHaveLength(1);
    expect(cardsIn(org.channelId)).toHaveLength(0);
  });

  it("a look-up Graph cannot answer now (503) is tried again later, and still finds the card", async () => {
    const storage = new InMemoryStorage();
    const { org, tenantId } = await organization(storage);
    connector.acceptThenFailNext(1, 500);
    await attempt(storage, notifierOn(storage));
    graph.failNext(1, 503);
    expect(await attempt(storage, notifierOn(storage))).toMatchObject([{ kind: "retry" }]);
    expect((await status(storage, tenantId))?.lastError).toBe("look-up unavailable: Graph HTTP 503 ServiceUnavailable");
    expect(await attempt(storage, notifierOn(storage))).toMatchObject([{ kind: "sent", alreadyPosted: true }]);
    expect(cardsIn(org.channelId)).toHaveLength(1);
  });
});

describe("a Teams nudge looked for in a busy channel, or across several teams", () => {
  it("a channel so busy the pages read never reach back to the delivery: unknown, not posted again", async () => {
    const storage = new InMemoryStorage();
    const { org, tenantId } = await organization(storage);
    connector.acceptThenFailNext(1, 502);
    await attempt(storage, notifierOn(storage, { maxPages: 1 }));
    // A page of 50 (the one page this look may read) of messages newer than the card.
    for (let n = 0; n < 50; n++) await postedByOthers(org.channelId, n);
    const [outcome] = await attempt(storage, notifierOn(storage, { maxPages: 1 }));
    expect(outcome).toMatchObject({
      kind: "unknown",
      detail: expect.stringContaining("50 newest messages Graph listed do not reach back"),
    });
    expect(connector.calls.filter(nudgePosts(org.channelId)).filter((c) => c.activity.attachments)).toHaveLength(1);
    expect((await status(storage, tenantId))?.status).toBe("unknown");
  });

  it("a team Graph won't answer for the channel (400, 503) or whose details fail (502) leaves the look to the next team", async () => {
    for (const fault of ["graph 400", "graph 503", "connector 502"] as const) {
      const storage = new InMemoryStorage();
      const other = teamsOrg("Riverside Volunteers");
      const channel = otherChannel();
      const { org, tenantId } = await organization(storage, { target: () => channel });
      connector.addTeam(other.team);
      graph.addTeam({ aadGroupId: other.team.aadGroupId, channelIds: [channel], consent: true });
      // The installed team is asked first, then the other, which holds the channel.
      await addTeamScope(storage, tenantId, org.team);
      await addTeamScope(storage, tenantId, other.team);
      connector.acceptThenFailNext(1, 502);
      await attempt(storage, notifierOn(storage));
      if (fault === "connector 502") connector.failTeamDetails(1, 502);
      else graph.failNext(1, fault === "graph 400" ? 400 : 503);
      expect(await attempt(storage, notifierOn(storage))).toMatchObject([{ kind: "sent", alreadyPosted: true }]);
      expect(cardsIn(channel)).toHaveLength(1);
      // Get Team Details is asked once a look, like every other connector call: botbuilder's own
      // TeamsInfo would have asked again after the 502.
      const details = connector.teamDetailReads.filter((read) => read.teamId === org.team.id);
      expect(details.map((read) => read.status)).toEqual([fault === "connector 502" ? 502 : 200]);
    }
  });

  it("every team can't look: unknown; any team that could not answer now: tried again later", async () => {
    const storage = new InMemoryStorage();
    const other = teamsOrg("Riverside Volunteers");
    const channel = otherChannel();
    const { org, tenantId } = await organization(storage, { target: () => channel });
    connector.addTeam(other.team);
    // The other team holds the channel, and gave the app no consent to read it.
    graph.addTeam({ aadGroupId: other.team.aadGroupId, channelIds: [channel], consent: false });
    await addTeamScope(storage, tenantId, org.team);
    await addTeamScope(storage, tenantId, other.team);
    connector.acceptThenFailNext(1, 502);
    await attempt(storage, notifierOn(storage));
    // The installed team's read fails now; the other can't be read: it may be the first's.
    graph.failNext(1, 503);
    expect(await attempt(storage, notifierOn(storage))).toMatchObject([
      { kind: "retry", failure: { kind: "unavailable", detail: "Graph HTTP 503 ServiceUnavailable" } },
    ]);
    // Now the first says the channel is not its (404), the other refuses (403).
    const [outcome] = await attempt(storage, notifierOn(storage));
    expect(outcome).toMatchObject({ kind: "unknown", detail: expect.stringContaining("no team lets the app read") });
    expect(outcome?.kind === "unknown" && outcome.detail).toMatch(/404 NotFound.*403 Forbidden/);
    expect(cardsIn(channel)).toHaveLength(1);
  });

  it("an owner's nudge from an installation whose stored reference is broken: given up, not thrown", async () => {
    const storage = new InMemoryStorage();
    const { org, tenantId, reference } = await organization(storage, { target: (o) => o.member.aadObjectId });
    const installation = await storage.installations.find("teams", org.tenantId);
    if (!installation) throw new Error("not installed");
    const { serviceUrl: _lost, ...broken } = reference;
    await storage.installations.save({ ...installation, secret: JSON.stringify(broken) });
    expect(await attempt(storage, notifierOn(storage))).toMatchObject([
      { kind: "dead", failure: { kind: "rejected", detail: expect.stringContaining("no serviceUrl or bot") } },
    ]);
    expect((await status(storage, tenantId))?.status).toBe("dead");
  });
});

describe("a Teams nudge that was not posted", () => {
  it("a 412: posted again on the next attempt, even in a channel it may not read", async () => {
    const storage = new InMemoryStorage();
    const { org, tenantId } = await organization(storage, { consent: false });
    connector.failNext(1, 412);
    expect(await attempt(storage, notifierOn(storage))).toMatchObject([
      { kind: "retry", failure: { kind: "not_taken" } },
    ]);
    expect(await attempt(storage, notifierOn(storage))).toMatchObject([{ kind: "sent", alreadyPosted: false }]);
    expect((await graph.waitFor((call) => call.conversationId === org.channelId)).status).toBe(403);
    expect(connector.calls.filter(nudgePosts(org.channelId)).map((call) => call.status)).toEqual([412, 200]);
    expect((await status(storage, tenantId))?.status).toBe("sent");
  });

  it("an owner's 1:1 chat the connector would not create (502): nothing was sent, so it is tried again", async () => {
    const storage = new InMemoryStorage();
    const { org } = await organization(storage, { target: (o) => o.member.aadObjectId });
    connector.failNext(1, 502);
    expect(await attempt(storage, notifierOn(storage))).toMatchObject([
      { kind: "retry", failure: { kind: "not_taken", detail: "HTTP 502" } },
    ]);
    expect(await attempt(storage, notifierOn(storage))).toMatchObject([{ kind: "sent", alreadyPosted: false }]);
    const created = connector.created.filter((c) => c.parameters.members?.[0]?.id === org.member.aadObjectId);
    expect(created.map((c) => c.status)).toEqual([502, 201]);
  });
});
