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

/** A message replaced in place, as botbuilder's updateActivity does (a card a button press re-rendered). */
async function replace(conversationId: string, id: string, n: number): Promise<void> {
  const path = `v3/conversations/${encodeURIComponent(conversationId)}/activities/${id}`;
  const response = await fetch(`${connector.serviceUrl}${path}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "message", from: BOT, attachments: [card(n)] }),
  });
  expect(response.status).toBe(200);
}

/** Graph's answer to a raw read, as the wire has it. */
async function read(path: string): Promise<Record<string, unknown> & { value: { id: string }[] }> {
  const response = await fetch(`${graph.url}${path}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown> & { value: { id: string }[] };
}

/** Resolves once the clock has moved past `at`: a message posted after it is created later. */
async function clockPast(at: Date): Promise<void> {
  while (Date.now() <= at.getTime()) {
    await new Promise((resolve) => setTimeout(resolve, at.getTime() - Date.now() + 1));
  }
}

const client = (maxPages?: number, token = graphToken({ kind: "unauthenticated" })) =>
  createGraphClient({ baseUrl: graph.url, token, ...(maxPages !== undefined && { maxPages }) });
const longAgo = new Date(0);
const channelOf = (org: ReturnType<typeof teamsOrg>) =>
  ({ kind: "channel", teamsTenantId: org.tenantId, teamId: org.team.aadGroupId, channelId: org.channelId }) as const;
const ids = (listing: { ok: boolean; value?: { messages: { id: string }[] } }) =>
  listing.ok ? listing.value?.messages.map((m) => m.id) : listing;

describe("the fake Microsoft Graph, read by the Teams package's client", () => {
  it("lists a channel's top-level messages as chatMessages, newest first, across pages", async () => {
    const org = teamsOrg("Riverside");
    graph.addTeam({ aadGroupId: org.team.aadGroupId, channelIds: [org.channelId], consent: true });
    const posted: string[] = [];
    for (let n = 0; n < 60; n++) posted.push(await post(org.channelId, n));
    await post(org.channelId, 99, posted[0]);
    const channel = {
      kind: "channel",
      teamsTenantId: org.tenantId,
      teamId: org.team.aadGroupId,
      channelId: org.channelId,
    } as const;

    const listed = await client().recentMessages(channel, longAgo);
    if (!listed.ok) throw new Error(listed.error.kind);
    // Two pages of 50 and 10, the reply not among them.
    expect(listed.value).toMatchObject({ complete: true });
    expect(listed.value.messages.map((m) => m.id)).toEqual([...posted].reverse());
    const [newest] = listed.value.messages;
    expect(newest).toMatchObject({
      id: posted.at(-1),
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
    const since = new Date(Date.parse(listed.value.messages[40]?.createdDateTime ?? "") + 1);
    const recent = await client().recentMessages(channel, since);
    expect(recent.ok && recent.value).toMatchObject({ complete: true, messages: { length: 50 } });
    // And no more pages than allowed: the page limit came before `since`, and it says so.
    const capped = await client(1).recentMessages(channel, longAgo);
    expect(capped.ok && capped.value).toMatchObject({ complete: false, messages: { length: 50 } });
  });

  it("lists a channel newest-modified first: an old message edited now leads, and the client reads on past it", async () => {
    const org = teamsOrg("Millbrook");
    graph.addTeam({ aadGroupId: org.team.aadGroupId, channelIds: [org.channelId], consent: true });
    const old = await post(org.channelId, 0);
    const oldAt = connector.conversationMessages(org.channelId)[0]?.createdAt ?? new Date();
    // The delivery was queued after the old message: it looks back to here.
    const since = new Date(oldAt.getTime() + 1);
    await clockPast(since);
    const nudge = await post(org.channelId, 1);
    const later: string[] = [];
    for (let n = 2; n < 52; n++) later.push(await post(org.channelId, n));
    // Someone edits the old message (or reacts to it): Graph lists it first now.
    await replace(org.channelId, old, 100);

    const raw = await read(
      `/teams/${org.team.aadGroupId}/channels/${encodeURIComponent(org.channelId)}/messages?$top=50`,
    );
    expect(raw.value.map((m) => m.id)).toEqual([old, ...[...later].reverse().slice(0, 49)]);
    // Created before `since`, but last modified after it: no sign that what follows is older.
    const listed = await client().recentMessages(channelOf(org), since);
    expect(listed.ok && listed.value.complete).toBe(true);
    expect(ids(listed)).toEqual([old, ...[...later].reverse(), nudge]);
  });

  it("lists a chat by last modification, or by creation when asked; counts only with $count=true", async () => {
    const org = teamsOrg("Brookfield");
    const chatId = `19:${org.team.aadGroupId.replace(/-/g, "")}@thread.v2`;
    graph.addChat({ chatId, consent: true });
    const [first, second, third] = [await post(chatId, 1), await post(chatId, 2), await post(chatId, 3)];
    await replace(chatId, first ?? "", 10);
    const path = `/chats/${encodeURIComponent(chatId)}/messages`;
    const byModified = await read(path);
    expect(byModified.value.map((m) => m.id)).toEqual([first, third, second]);
    expect(byModified).not.toHaveProperty("@odata.count");
    const byCreated = await read(`${path}?$orderby=${encodeURIComponent("createdDateTime desc")}&$top=2&$count=true`);
    expect(byCreated.value.map((m) => m.id)).toEqual([third, second]);
    // The collection's count, not the page's.
    expect(byCreated["@odata.count"]).toBe(3);
    // The client asks for creation order: an edit moves nothing.
    expect(ids(await client().recentMessages({ kind: "chat", teamsTenantId: org.tenantId, chatId }, longAgo))).toEqual([
      third,
      second,
      first,
    ]);
  });

  it("lags the connector when told: a message is listed only that long after it was taken", async () => {
    const org = teamsOrg("Northside");
    graph.addTeam({ aadGroupId: org.team.aadGroupId, channelIds: [org.channelId], consent: true });
    graph.lagListing(200);
    try {
      const id = await post(org.channelId, 1);
      expect(ids(await client().recentMessages(channelOf(org), longAgo))).toEqual([]);
      const taken = connector.conversationMessages(org.channelId)[0]?.createdAt ?? new Date();
      await clockPast(new Date(taken.getTime() + 200));
      expect(ids(await client().recentMessages(channelOf(org), longAgo))).toEqual([id]);
    } finally {
      graph.lagListing(0);
    }
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
    // A request Graph will not take (a channel id it does not read as one) is no better asked again.
    graph.failNext(1, 400);
    expect(await client().recentMessages(chat, longAgo)).toEqual({
      ok: false,
      error: { kind: "no_access", detail: "Graph HTTP 400 BadRequest" },
    });
  });

  it("takes a 401 for a token that expired: worth another try, with a fresh token", async () => {
    const org = teamsOrg("Eastgate");
    const chatId = `19:${org.team.aadGroupId.replace(/-/g, "")}@thread.v2`;
    graph.addChat({ chatId, consent: true });
    const chat = { kind: "chat", teamsTenantId: org.tenantId, chatId } as const;
    const asked: { tenant: string; fresh: boolean }[] = [];
    const token = async (tenant: string, options?: { readonly fresh?: boolean }) => {
      asked.push({ tenant, fresh: options?.fresh ?? false });
      return undefined;
    };
    const reader = client(undefined, token);
    graph.failNext(1, 401);
    expect(await reader.recentMessages(chat, longAgo)).toEqual({
      ok: false,
      error: { kind: "unavailable", detail: "Graph HTTP 401 InvalidAuthenticationToken" },
    });
    expect((await reader.recentMessages(chat, longAgo)).ok).toBe(true);
    expect((await reader.recentMessages(chat, longAgo)).ok).toBe(true);
    // The look after the 401 asked for a fresh token; the one after that, the cached one again.
    expect(asked).toEqual([
      { tenant: org.tenantId, fresh: false },
      { tenant: org.tenantId, fresh: true },
      { tenant: org.tenantId, fresh: false },
    ]);
  });

  it("takes a 200 whose body does not read for Graph not answering: worth another try, never 'not there'", async () => {
    const org = teamsOrg("Westend");
    graph.addTeam({ aadGroupId: org.team.aadGroupId, channelIds: [org.channelId], consent: true });
    await post(org.channelId, 1);
    graph.truncateNext(1);
    expect(await client().recentMessages(channelOf(org), longAgo)).toEqual({
      ok: false,
      error: { kind: "unavailable", detail: "Graph answered 200 with a body that does not read" },
    });
    expect(ids(await client().recentMessages(channelOf(org), longAgo))).toHaveLength(1);
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
    const listed = await client().recentMessages(chat, longAgo);
    expect(listed.ok && listed.value.messages.map((m) => (m as unknown as { chatId: string }).chatId)).toEqual([
      chatId,
    ]);
  });
});
