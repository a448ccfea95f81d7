import { DEFAULT_POLL_SETTINGS, type PollOutcome } from "@touchpoint/core";
import { cliWith, createMentionPoller, sharedDatabase, silentLogger } from "@touchpoint/server/testing";
import { createXSource } from "@touchpoint/x";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeX, startFakeX } from "../fakes/x-api.js";

const TOKEN = "AAAA-bad-bytes-token";
const ORG = { id: "2244990777", username: "TideLine", name: "Tide Line" };
/** Half of 🎉: a string X cut in the wrong place. */
const HALF_EMOJI = "\uD83C";

let x: FakeX;
beforeAll(async () => {
  x = await startFakeX({ tokens: [TOKEN] });
  x.addUser(ORG);
  // Nobody in Touchpoint can correct an X profile: what can't be stored is dropped, the rest kept.
  x.addUser({ id: "311", username: "rosa_m", name: "Rosa\u0000 Marquez\u001b[2J", followers: 400, following: 300 });
  x.addUser({ id: "312", username: "kai_w", name: `Kai ${HALF_EMOJI}`, followers: 90, following: 80 });
});
afterAll(() => x?.close());

describe("an X page with posts PostgreSQL text can't hold", () => {
  it("stores every post with those characters stripped, and moves the cursor past the page", async () => {
    const externalId = `T${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
    const created = await cliWith(
      {},
      "tenants",
      "create",
      "--name",
      "Tide Line",
      "--platform",
      "slack",
      "--external-id",
      externalId,
    );
    expect(created.code).toBe(0);
    const connected = await cliWith(
      { env: { X_API_URL: x.url, X_BEARER_TOKEN: TOKEN } },
      "connect-x",
      "--tenant",
      externalId,
      "--handle",
      ORG.username,
    );
    expect(connected.code).toBe(0);
    const database = await sharedDatabase();
    const tenantId = (await database.storage.tenants.findByExternalId("slack", externalId))?.id ?? "";
    // Rosa is a contact: her post also logs a touch, whose note is the post's text.
    const rosa = await database.storage.withTenant(tenantId, (r) =>
      r.contacts.create({
        name: "Rosa Marquez",
        identities: [{ platform: "x", handle: "rosa_m", externalUserId: null }],
      }),
    );

    let now = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) {
      ids.push(
        x.addPost({
          authorId: i % 2 === 0 ? "311" : "312",
          text: `@TideLine beach clean-up #${i}`,
          createdAt: new Date(now - 3 * 3_600_000 - i * 60_000),
          mentions: ORG.id,
        }),
      );
    }
    // The bad ones sit among good ones on the first page (X serves newest first, 100 to a page).
    const nul = x.addPost({
      authorId: "311",
      text: "@TideLine thanks\u0000 for the gloves!",
      createdAt: new Date(now - 2 * 3_600_000),
      mentions: ORG.id,
    });
    const cut = x.addPost({
      authorId: "312",
      text: `@TideLine see you there ${HALF_EMOJI}`,
      createdAt: new Date(now - 2 * 3_600_000 - 60_000),
      mentions: ORG.id,
    });
    const newest = x.addPost({
      authorId: "312",
      text: "@TideLine \u0007ding",
      createdAt: new Date(now - 3_600_000),
      mentions: ORG.id,
    });

    const poller = createMentionPoller({
      storage: database.storage,
      openSource: createXSource({ apiUrl: x.url }),
      clock: { now: () => new Date(now) },
      logger: silentLogger,
      settings: DEFAULT_POLL_SETTINGS,
    });
    const outcomes: PollOutcome[] = await poller.tick();
    expect(outcomes).toContainEqual(
      expect.objectContaining({ kind: "polled", mentions: expect.objectContaining({ stored: 153 }) }),
    );

    const stored = await database.storage.withTenant(tenantId, async (r) => {
      const [account] = await r.socialAccounts.list();
      return {
        mentions: await r.mentions.listOpen(1000),
        touches: await r.touchpoints.listForContact(rosa.id, 200),
        cursor: account && (await r.socialAccounts.pollState(account.id))?.mentions,
      };
    });
    expect(stored.mentions.map((m) => m.postId).sort()).toEqual([...ids, nul, cut, newest].sort());
    const byId = new Map(stored.mentions.map((m) => [m.postId, m]));
    expect(byId.get(nul)).toMatchObject({
      text: "@TideLine thanks for the gloves!",
      author: { name: "Rosa Marquez[2J" },
    });
    expect(byId.get(cut)).toMatchObject({ text: "@TideLine see you there ", author: { name: "Kai " } });
    expect(byId.get(newest)?.text).toBe("@TideLine ding");
    expect(stored.touches.find((t) => t.sourceRef.endsWith(`:post:${nul}`))?.note).toBe(
      "@TideLine thanks for the gloves!",
    );
    expect(stored.touches).toHaveLength(76);
    // Past the whole result set: the next poll asks only for what is newer than the newest post.
    expect(stored.cursor).toEqual({ sinceId: newest, nextToken: null, pendingNewestId: null });

    now += 2 * 3_600_000; // past the longest poll interval
    const before = x.requests.length;
    await poller.tick();
    const next = x.requests.slice(before).find((request) => request.endpoint === "mentions" && request.token === TOKEN);
    expect(next?.query.since_id).toBe(newest);
  });
});
