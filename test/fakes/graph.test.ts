import { createGraphClient, graphToken } from "@touchpoint/teams";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT, teamsOrg } from "../support/teams-activities.js";
import { type FakeGraph, startFakeGraph } from "./graph.js";
import { type FakeTeamsConnector, startFakeTeamsConnector } from "./teams-connector.js";

/**
 * The fake Graph against the Teams package's own Graph client: the wire format the look-up reads
 * (chatMessage resources, cards as JSON strings, pages), and what each refusal means to it.
 */

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

const card = (n: number) => ({
  contentType: "application/vnd.microsoft.card.adaptive",
  content: { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: `card ${n}` }] },
});

/** A message posted to the fake connector, as botbuilder posts one: a new one, or a reply. */
async function post(conversationId: string, n: number, replyTo?: string): Promise<string> {
  const path = `v3/conversations/${encodeURIComponent(conversationId)}/activities${replyTo ? `/${replyTo}` : ""}`;
  const response = await fetch(`${connector.serviceUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "message", from: BOT, attachments: [card(n)] }),
  });
  return ((await response.json()) as { id: string }).id;
}

const client = (maxPages?: number) =>
  createGraphClient({
    baseUrl: graph.url,
    token: graphToken({ kind: "unauthenticated" }),
    ...(maxPages !== undefined && { maxPages }),
  });
const longAgo = new Date(0);

describe("the fake Microsoft Graph, read by the Teams package's client", () => {
  it("lists a channel's top-level messages as chatMessages, newest first, across pages", async () => {
    const org = teamsOrg("Riverside");
    graph.addTeam({ aadGroupId: org.team.aadGroupId, channelIds: [org.channelId], consent: true });
    const ids: string[] = [];
    for (let n = 0; n < 60; n++) ids.push(await post(org.channelId, n));
    await post(org.channelId, 99, ids[0]);
    const channel = {
      kind: "channel",
      teamsTenantId: org.tenantId,
      teamId: org.team.aadGroupId,
      channelId: org.channelId,
    } as const;

    const read = await client().recentMessages(channel, longAgo);
    if (!read.ok) throw new Error(read.error.kind);
    // Two pages of 50 and 10, the reply not among them.
    expect(read.value.map((m) => m.id)).toEqual([...ids].reverse());
    const [newest] = read.value;
    expect(newest).toMatchObject({
      id: ids.at(-1),
      replyToId: null,
      messageType: "message",
      channelIdentity: { teamId: org.team.aadGroupId, channelId: org.channelId },
      from: { application: { id: BOT.id.slice(3), applicationIdentityType: "bot" }, user: null },
      body: { contentType: "html", content: expect.stringMatching(/^<attachment id="[0-9a-f]{32}"><\/attachment>$/) },
    });
    expect(typeof newest?.attachments?.[0]?.content).toBe("string");
    expect(JSON.parse(String(newest?.attachments?.[0]?.content))).toEqual(card(59).content);
    expect(graph.calls.filter((c) => c.conversationId === org.channelId).map((c) => c.status)).toEqual([200, 200]);

    // It reads no further back than asked: one page reaches past `since`.
    const since = new Date(Date.parse(read.value[40]?.createdDateTime ?? "") + 1);
    const recent = await client().recentMessages(channel, since);
    expect(recent.ok && recent.value).toHaveLength(50);
    // And no more pages than allowed.
    const capped = await client(1).recentMessages(channel, longAgo);
    expect(capped.ok && capped.value).toHaveLength(50);
  });

  it("answers 403 where the app holds no consent, 404 for what it does not know, and says which to the client", async () => {
    const org = teamsOrg("Harbor");
    graph.addTeam({ aadGroupId: org.team.aadGroupId, channelIds: [org.channelId], consent: false });
    const channel = (teamId: string, channelId = org.channelId) =>
      ({ kind: "channel", teamsTenantId: org.tenantId, teamId, channelId }) as const;
    expect(await client().recentMessages(channel(org.team.aadGroupId), longAgo)).toEqual({
      ok: false,
      error: { kind: "no_access", detail: "Graph HTTP 403 Forbidden" },
    });
    expect(await client().recentMessages(channel("00000000-0000-4000-8000-000000000000"), longAgo)).toEqual({
      ok: false,
      error: { kind: "no_access", detail: "Graph HTTP 404 NotFound" },
    });
    const chat = { kind: "chat", teamsTenantId: org.tenantId, chatId: "19:nobody@thread.v2" } as const;
    expect(await client().recentMessages(chat, longAgo)).toMatchObject({ ok: false, error: { kind: "no_access" } });
  });

  it("passes Graph's throttling and outages on as worth another try", async () => {
    const org = teamsOrg("Lakeside");
    const chatId = `19:${org.team.aadGroupId.replace(/-/g, "")}@thread.v2`;
    graph.addChat({ chatId, consent: true });
    const chat = { kind: "chat", teamsTenantId: org.tenantId, chatId } as const;
    graph.failNext(1, 429, { "retry-after": "12" });
    expect(await client().recentMessages(chat, longAgo)).toEqual({
      ok: false,
      error: { kind: "rate_limited", retryAfterSeconds: 12 },
    });
    graph.failNext(1, 503);
    expect(await client().recentMessages(chat, longAgo)).toMatchObject({ ok: false, error: { kind: "unavailable" } });
    await post(chatId, 1);
    const read = await client().recentMessages(chat, longAgo);
    expect(read.ok && read.value.map((m) => (m as unknown as { chatId: string }).chatId)).toEqual([chatId]);
  });
});
