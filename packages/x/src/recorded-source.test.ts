import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { MentionSource } from "@touchpoint/core";
import { afterEach, describe, expect, it } from "vitest";
import { createRecordedXSource, createXSource, readXRecording } from "./index.js";
import { FIRST_PAGE, failure, ids, readAll, unwrap } from "./testing/pages.js";

const RECORDED_AT = new Date("2025-03-01T12:00:00.000Z");
const ORG = { id: "100", name: "Riverside Food Bank", username: "RiversideFood" };
const DAY = 86_400_000;

const hoursBefore = (hours: number) => new Date(RECORDED_AT.getTime() - hours * 3_600_000).toISOString();

function xUser(id: string, username: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: username,
    username,
    created_at: "2012-04-01T08:00:00.000Z",
    description: "",
    profile_image_url: `https://pbs.twimg.com/profile_images/${id}/a_normal.jpg`,
    verified: false,
    public_metrics: { followers_count: 1200, following_count: 300, tweet_count: 4500, listed_count: 3, like_count: 9 },
    ...extra,
  };
}

const JANE = xUser("200", "JaneDoe");
const BOT = xUser("300", "xx_promo_4412", {
  created_at: hoursBefore(24 * 5),
  profile_image_url: "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png",
  public_metrics: { followers_count: 3, following_count: 4800, tweet_count: 7, listed_count: 0, like_count: 0 },
});

function tweet(id: string, author: { id: string }, hoursAgo: number, extra: Record<string, unknown> = {}) {
  return {
    edit_history_tweet_ids: [id],
    id,
    author_id: author.id,
    text: `@RiversideFood post ${id}`,
    created_at: hoursBefore(hoursAgo),
    conversation_id: id,
    public_metrics: { retweet_count: 0, reply_count: 0, like_count: 1, quote_count: 0, bookmark_count: 0 },
    ...extra,
  };
}

/** Two pages of mentions (ids 1005…1001, newest first) and one page of own posts, as X's bodies. */
function recordingJson() {
  const firstPage = [tweet("1005", JANE, 2), tweet("1004", BOT, 5), tweet("1003", JANE, 30)];
  const secondPage = [tweet("1002", BOT, 50), tweet("1001", JANE, 100)];
  const own = [
    tweet("2002", ORG, 1, {
      text: "@JaneDoe thank you!",
      conversation_id: "1003",
      in_reply_to_user_id: JANE.id,
      referenced_tweets: [{ type: "replied_to", id: "1003" }],
    }),
    tweet("2001", ORG, 60, { text: "We're open Saturday" }),
  ];
  return {
    recorded_at: RECORDED_AT.toISOString(),
    user: { data: { id: ORG.id, name: ORG.name, username: ORG.username } },
    mentions: [
      {
        data: firstPage,
        includes: { users: [JANE, BOT] },
        meta: { newest_id: "1005", oldest_id: "1003", result_count: 3, next_token: "7140dibdnow9c7btw4" },
      },
      {
        data: secondPage,
        includes: { users: [BOT, JANE] },
        meta: { newest_id: "1002", oldest_id: "1001", result_count: 2, previous_token: "77qpymm88g5h9vqklu" },
      },
    ],
    tweets: [
      {
        data: own,
        includes: { users: [xUser(ORG.id, ORG.username)] },
        meta: { newest_id: "2002", oldest_id: "2001", result_count: 2 },
      },
    ],
  };
}

const recording = readXRecording(recordingJson());

/** The replay as it reads at `now` (default: the moment it was recorded, so nothing moves). */
function replay(now: Date = RECORDED_AT): MentionSource {
  return createRecordedXSource(recording, { now: () => now })("any-credentials");
}

describe("readXRecording", () => {
  it("reads the recording's JSON and refuses what is not one", () => {
    expect(recording.recordedAt).toEqual(RECORDED_AT);
    expect(recording.mentions).toHaveLength(2);
    expect(() => readXRecording([])).toThrow(/not a JSON object/);
    expect(() => readXRecording({ ...recordingJson(), recorded_at: "yesterday" })).toThrow(/recorded_at/);
    expect(() => readXRecording({ ...recordingJson(), user: { errors: [] } })).toThrow(/user/);
    expect(() => readXRecording({ ...recordingJson(), mentions: {} })).toThrow(/mentions/);
  });
});

describe("a recorded X source", () => {
  it("finds the recorded account by its handle, whatever the case, and no other", async () => {
    expect(unwrap(await replay().findUser("@riversidefood"))).toEqual({
      externalUserId: ORG.id,
      handle: "RiversideFood",
      name: "Riverside Food Bank",
    });
    expect(failure(await replay().findUser("someone_else"))).toMatchObject({ kind: "not_found" });
  });

  it("serves the recorded pages through their next_token, keeping the newest id of the whole result", async () => {
    const source = replay();
    const pages = await readAll((page) => source.mentions(ORG.id, page));
    expect(pages.map(ids)).toEqual([
      ["1005", "1004", "1003"],
      ["1002", "1001"],
    ]);
    expect(pages.map((p) => p.newestId)).toEqual(["1005", "1005"]);
    expect(pages.every((p) => p.skipped.length === 0 && p.rateLimit === null)).toBe(true);
    expect(unwrap(await source.ownPosts(ORG.id, FIRST_PAGE)).posts[0]).toMatchObject({
      postId: "2002",
      repliesToPostId: "1003",
      repliesToUserId: JANE.id,
      conversationId: "1003",
    });
  });

  it("serves only posts newer than since_id, so a second poll stores nothing twice", async () => {
    const source = replay();
    const newer = await readAll((page) => source.mentions(ORG.id, page), { ...FIRST_PAGE, sinceId: "1003" });
    expect(newer.map(ids)).toEqual([["1005", "1004"]]);
    expect(newer[0]?.newestId).toBe("1005");

    const older = await readAll((page) => source.mentions(ORG.id, page), { ...FIRST_PAGE, sinceId: "1001" });
    expect(older.map(ids)).toEqual([["1005", "1004", "1003"], ["1002"]]);

    const nothing = unwrap(await source.mentions(ORG.id, { ...FIRST_PAGE, sinceId: "1005" }));
    expect(nothing).toEqual({ posts: [], skipped: [], nextToken: null, newestId: null, rateLimit: null });
  });

  it("moves every date by the time since the recording, in whole seconds, authors' account ages included", async () => {
    const shift = 400 * DAY + 1000;
    const later = new Date(RECORDED_AT.getTime() + shift + 234);
    const posts = unwrap(await replay(later).mentions(ORG.id, FIRST_PAGE)).posts;
    const recorded = unwrap(await replay().mentions(ORG.id, FIRST_PAGE)).posts;
    expect(posts[0]?.postedAt).toEqual(new Date(Date.parse(hoursBefore(2)) + shift));
    expect(posts.map((p) => p.postedAt.getTime() - shift)).toEqual(recorded.map((p) => p.postedAt.getTime()));
    expect(posts[0]?.author.createdAt).toEqual(new Date(Date.parse(JANE.created_at) + shift));
    // Five days old when it posted, five days old whenever the recording is replayed.
    expect(posts[1]?.author.createdAt).toEqual(new Date(Date.parse(BOT.created_at) + shift));
    expect(unwrap(await replay(later).findUser("RiversideFood")).externalUserId).toBe(ORG.id);
  });

  it("honours start_time on the moved dates, to the second", async () => {
    const later = new Date(RECORDED_AT.getTime() + 10 * DAY);
    const source = replay(later);
    const startTime = new Date(later.getTime() - 30 * 3_600_000);
    const pages = await readAll((page) => source.mentions(ORG.id, page), { ...FIRST_PAGE, startTime });
    expect(pages.map(ids)).toEqual([["1005", "1004", "1003"]]);
  });

  it("answers as X would for a token it never handed out and for an account it does not hold", async () => {
    const source = replay();
    expect(failure(await source.mentions(ORG.id, { ...FIRST_PAGE, paginationToken: "nope" }))).toMatchObject({
      kind: "unavailable",
    });
    expect(failure(await source.ownPosts("999", FIRST_PAGE))).toMatchObject({ kind: "not_found" });
  });
});

describe("the same body, live or replayed", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** Serves the recording's bodies verbatim over HTTP, the pages chained by their next_token. */
  async function serveRecording(): Promise<string> {
    const json = recordingJson();
    const listening = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const pages: readonly { meta: Record<string, unknown> }[] = url.pathname.endsWith("/mentions")
        ? json.mentions
        : json.tweets;
      const token = url.searchParams.get("pagination_token");
      const index = token === null ? 0 : pages.findIndex((_, i) => i > 0 && pages[i - 1]?.meta.next_token === token);
      const body = url.pathname.startsWith("/2/users/by/username/") ? json.user : pages[index];
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  }

  it("reads to the same user, pages and posts through the network source and the replay", async () => {
    const live = createXSource({ apiUrl: await serveRecording() })("token");
    const replayed = replay();
    expect(unwrap(await replayed.findUser("RiversideFood"))).toEqual(unwrap(await live.findUser("RiversideFood")));
    for (const stream of ["mentions", "ownPosts"] as const) {
      const livePages = await readAll((page) => live[stream](ORG.id, page));
      expect(livePages.flatMap(ids).length).toBeGreaterThan(0);
      expect(await readAll((page) => replayed[stream](ORG.id, page))).toEqual(livePages);
    }
  });
});
