import type { MentionSource } from "@touchpoint/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// The fake lives with the cross-package tests; a relative import keeps @touchpoint/test out of this
// package's dependencies (it depends on the server, which will depend on this package).
import { type FakeX, startFakeX } from "../../../test/fakes/x-api.js";
import { createXSource } from "./index.js";
import { FIRST_PAGE, failure, ids, readAll, unwrap } from "./testing/pages.js";

const TOKEN = "app-bearer-token-s3cret";
const ORG = { id: "100", username: "riverside", name: "Riverside Food Bank" };
const JANE = {
  id: "200",
  username: "janedoe",
  name: "Jane Doe",
  followers: 1200,
  following: 300,
  tweetCount: 4500,
  createdAt: "2012-04-01T08:00:00.000Z",
  verified: true,
};
const BOT = { id: "300", username: "bot_8812", name: "bot", defaultAvatar: true };

/** The fake's clock: fixed, so reset times can be compared exactly. */
const NOW = new Date("2025-03-01T12:00:00Z");
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

let fake: FakeX;
let source: MentionSource;

beforeEach(async () => {
  fake = await startFakeX({ tokens: [TOKEN], now: () => NOW.getTime() });
  for (const user of [ORG, JANE, BOT]) fake.addUser(user);
  source = createXSource({ apiUrl: fake.url })(TOKEN);
});

afterEach(async () => {
  await fake.close();
});

describe("findUser", () => {
  it("finds a user by handle, with or without the @", async () => {
    const expected = { externalUserId: "200", handle: "janedoe", name: "Jane Doe" };
    expect(unwrap(await source.findUser("@janedoe"))).toEqual(expected);
    expect(unwrap(await source.findUser("JaneDoe"))).toEqual(expected);
    expect(fake.requests.map((r) => r.path)).toEqual(["/2/users/by/username/janedoe", "/2/users/by/username/JaneDoe"]);
  });

  it("answers not_found for a handle X does not know, and for one that cannot be a handle without asking", async () => {
    expect(failure(await source.findUser("nobody_here"))).toMatchObject({
      kind: "not_found",
      detail: "Could not find user with username: [nobody_here].",
    });
    expect(failure(await source.findUser("not a handle!"))).toMatchObject({ kind: "not_found" });
    expect(fake.requests).toHaveLength(1);
  });
});

describe("mentions", () => {
  it("asks for one page of 100 with the author expansion and the fields it maps", async () => {
    await source.mentions(ORG.id, FIRST_PAGE);
    expect(fake.requests[0]).toMatchObject({
      path: "/2/users/100/mentions",
      token: TOKEN,
      query: {
        expansions: "author_id",
        "user.fields": "public_metrics,profile_image_url,created_at,verified,description",
        "tweet.fields": "created_at,conversation_id,in_reply_to_user_id,referenced_tweets,public_metrics,author_id",
        max_results: "100",
      },
    });
  });

  it("maps a page of tweets, their authors and their references, and reads the rate limit headers", async () => {
    const original = fake.addPost({ authorId: ORG.id, text: "We're open Saturday", createdAt: minutesAgo(60) });
    const quoted = fake.addPost({ authorId: BOT.id, text: "something", createdAt: minutesAgo(50) });
    const reply = fake.addPost({
      authorId: JANE.id,
      text: "@riverside see you there! https://x.com/bot_8812/status/1",
      createdAt: minutesAgo(5),
      repliesTo: original,
      quotes: quoted,
    });
    const mention = fake.addPost({
      authorId: BOT.id,
      text: "@riverside hi",
      createdAt: minutesAgo(1),
      mentions: ORG.id,
    });

    const page = unwrap(await source.mentions(ORG.id, FIRST_PAGE));
    expect(page).toEqual({
      posts: [
        {
          postId: mention,
          author: {
            externalUserId: "300",
            handle: "bot_8812",
            name: "bot",
            followers: 0,
            following: 0,
            postCount: 2,
            defaultAvatar: true,
            createdAt: new Date("2015-06-01T12:00:00.000Z"),
            verified: false,
          },
          text: "@riverside hi",
          url: `https://x.com/bot_8812/status/${mention}`,
          postedAt: minutesAgo(1),
          conversationId: mention,
          repliesToPostId: null,
          repliesToUserId: null,
          quotesPostId: null,
        },
        {
          postId: reply,
          author: {
            externalUserId: "200",
            handle: "janedoe",
            name: "Jane Doe",
            followers: 1200,
            following: 300,
            postCount: 4500,
            defaultAvatar: false,
            createdAt: new Date("2012-04-01T08:00:00.000Z"),
            verified: true,
          },
          text: "@riverside see you there! https://x.com/bot_8812/status/1",
          url: `https://x.com/janedoe/status/${reply}`,
          postedAt: minutesAgo(5),
          conversationId: original,
          repliesToPostId: original,
          repliesToUserId: ORG.id,
          quotesPostId: quoted,
        },
      ],
      skipped: [],
      nextToken: null,
      newestId: mention,
      rateLimit: { limit: 450, remaining: 449, resetAt: new Date(NOW.getTime() + 15 * 60_000) },
    });
  });

  it("answers an empty page when nothing mentions the account", async () => {
    expect(unwrap(await source.mentions(ORG.id, FIRST_PAGE))).toMatchObject({
      posts: [],
      skipped: [],
      nextToken: null,
      newestId: null,
    });
  });

  it("pages through next_token, one request a page, keeping the newest id of the whole result", async () => {
    const added = Array.from({ length: 250 }, (_, i) =>
      fake.addPost({ authorId: JANE.id, text: `@riverside #${i}`, createdAt: minutesAgo(300 - i), mentions: ORG.id }),
    );
    const pages = await readAll((page) => source.mentions(ORG.id, page));

    expect(pages.map((p) => p.posts.length)).toEqual([100, 100, 50]);
    expect(pages.flatMap(ids)).toEqual([...added].reverse());
    expect(pages.map((p) => p.newestId)).toEqual([added[249], added[249], added[249]]);
    expect(fake.requests.map((r) => r.query.pagination_token !== undefined)).toEqual([false, true, true]);
    expect(fake.served("mentions", ORG.id)).toEqual(pages.flatMap(ids));
  });

  it("reads only posts newer than since_id", async () => {
    const added = [10, 8, 6, 4].map((m) =>
      fake.addPost({ authorId: JANE.id, text: "@riverside", createdAt: minutesAgo(m), mentions: ORG.id }),
    );
    const page = unwrap(await source.mentions(ORG.id, { ...FIRST_PAGE, sinceId: added[1] ?? null }));
    expect(ids(page)).toEqual([added[3], added[2]]);
    expect(fake.requests[0]?.query.since_id).toBe(added[1]);
  });

  it("reads only posts from start_time on, sent to the second as X requires", async () => {
    const added = [10, 8, 6, 4].map((m) =>
      fake.addPost({ authorId: JANE.id, text: "@riverside", createdAt: minutesAgo(m), mentions: ORG.id }),
    );
    const startTime = new Date(minutesAgo(6).getTime() + 250);
    const page = unwrap(await source.mentions(ORG.id, { ...FIRST_PAGE, startTime }));
    expect(ids(page)).toEqual([added[3], added[2]]);
    expect(fake.requests[0]?.query.start_time).toBe("2025-03-01T11:54:00Z");
  });

  it("skips a tweet missing a field and one whose author is missing from includes, keeping the rest", async () => {
    const good = fake.addPost({ authorId: JANE.id, text: "@riverside a", createdAt: minutesAgo(3), mentions: ORG.id });
    const undated = fake.addPost({
      authorId: JANE.id,
      text: "@riverside b",
      createdAt: minutesAgo(2),
      mentions: ORG.id,
      withoutFields: ["created_at"],
    });
    const orphan = fake.addPost({ authorId: BOT.id, text: "@riverside c", createdAt: minutesAgo(1), mentions: ORG.id });
    fake.omitAuthorNext({ authorId: BOT.id });

    const page = unwrap(await source.mentions(ORG.id, FIRST_PAGE));
    expect(ids(page)).toEqual([good]);
    expect(page.skipped).toEqual([
      { postId: orphan, reason: "author 300 is not in includes.users" },
      { postId: undated, reason: "missing or unreadable created_at" },
    ]);
    expect(page.newestId).toBe(orphan);
  });

  it("answers not_found for an account X does not know", async () => {
    expect(failure(await source.mentions("999", FIRST_PAGE))).toMatchObject({ kind: "not_found" });
  });
});

describe("ownPosts", () => {
  it("reads the account's own posts, its replies pointing at what they answer", async () => {
    const mention = fake.addPost({
      authorId: JANE.id,
      text: "@riverside help?",
      createdAt: minutesAgo(9),
      mentions: ORG.id,
    });
    const answer = fake.addPost({
      authorId: ORG.id,
      text: "@janedoe sure",
      createdAt: minutesAgo(2),
      repliesTo: mention,
    });
    const page = unwrap(await source.ownPosts(ORG.id, FIRST_PAGE));
    expect(page.posts).toMatchObject([
      { postId: answer, author: { handle: "riverside" }, repliesToPostId: mention, repliesToUserId: JANE.id },
    ]);
    expect(fake.requests[0]?.path).toBe("/2/users/100/tweets");
  });
});

describe("failures", () => {
  it("answers unauthorized for a revoked token (401) and a forbidden app (403), never naming the token", async () => {
    fake.failNext({ status: 403 });
    const forbidden = failure(await source.mentions(ORG.id, FIRST_PAGE));
    expect(forbidden).toMatchObject({ kind: "unauthorized", detail: expect.stringContaining("403") });

    fake.revoke(TOKEN);
    const revoked = failure(await source.mentions(ORG.id, FIRST_PAGE));
    expect(revoked).toEqual({ kind: "unauthorized", detail: "X answered HTTP 401: Unauthorized" });
    expect(failure(await source.findUser("janedoe"))).toMatchObject({ kind: "unauthorized" });
    expect(JSON.stringify([forbidden, revoked])).not.toContain(TOKEN);
  });

  it("answers rate_limited with the reset time of a 429", async () => {
    fake.failNext({ status: 429, retryAfterSeconds: 120 });
    const resetAt = new Date(NOW.getTime() + 120_000);
    expect(failure(await source.mentions(ORG.id, FIRST_PAGE))).toEqual({
      kind: "rate_limited",
      resetAt,
      rateLimit: { limit: 450, remaining: 0, resetAt },
    });
  });

  it("answers rate_limited when the window's budget is spent", async () => {
    fake.setRateLimit("tweets", 1);
    unwrap(await source.ownPosts(ORG.id, FIRST_PAGE));
    expect(failure(await source.ownPosts(ORG.id, FIRST_PAGE))).toMatchObject({
      kind: "rate_limited",
      resetAt: new Date(NOW.getTime() + 15 * 60_000),
    });
  });

  it("answers unavailable for a 500 and a 503", async () => {
    fake.failNext({ status: 500 });
    fake.failNext({ status: 503 });
    expect(failure(await source.mentions(ORG.id, FIRST_PAGE))).toMatchObject({
      kind: "unavailable",
      detail: "X answered HTTP 500: Internal Server Error",
    });
    expect(failure(await source.mentions(ORG.id, FIRST_PAGE))).toMatchObject({
      kind: "unavailable",
      detail: "X answered HTTP 503: Service Unavailable",
    });
  });

  it("answers unavailable for a malformed JSON body, keeping the rate limit it came with", async () => {
    fake.addPost({ authorId: JANE.id, text: "@riverside", createdAt: minutesAgo(1), mentions: ORG.id });
    fake.malformedNext();
    const malformed = failure(await source.mentions(ORG.id, FIRST_PAGE));
    expect(malformed).toMatchObject({
      kind: "unavailable",
      detail: expect.stringMatching(/^X answered HTTP 200 with a body that could not be read/),
      rateLimit: { limit: 450, remaining: 449 },
    });
    fake.malformedNext();
    expect(failure(await source.findUser("janedoe"))).toMatchObject({ kind: "unavailable" });
  });

  it("answers unavailable when X cannot be reached", async () => {
    const gone = await startFakeX();
    await gone.close();
    const unreachable = createXSource({ apiUrl: gone.url })(TOKEN);
    expect(failure(await unreachable.mentions(ORG.id, FIRST_PAGE))).toMatchObject({
      kind: "unavailable",
      detail: expect.stringContaining("ECONNREFUSED"),
      rateLimit: null,
    });
  });

  it("answers unavailable when X does not answer in time", async () => {
    const impatient = createXSource({ apiUrl: fake.url, timeoutMs: 100 })(TOKEN);
    const hold = fake.holdNext(/\/mentions$/);
    const result = impatient.mentions(ORG.id, FIRST_PAGE);
    await hold.reached;
    expect(failure(await result)).toMatchObject({
      kind: "unavailable",
      detail: "X could not be reached: Request timeout.",
    });
    hold.release();
  });
});

describe("budgetKey", () => {
  it("names the token's budget without containing it", () => {
    const open = createXSource({ apiUrl: fake.url });
    expect(open(TOKEN).budgetKey).toBe(source.budgetKey);
    expect(open("another-token").budgetKey).not.toBe(source.budgetKey);
    expect(source.budgetKey).not.toContain(TOKEN);
  });
});
