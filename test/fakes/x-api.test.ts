import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeX, RATE_LIMIT_WINDOW_MS, snowflake, startFakeX } from "./x-api.js";

const TOKEN = "app-token";
const ORG = { id: "100", username: "riverside", name: "Riverside Food Bank" };
const JANE = { id: "200", username: "jane", name: "Jane Doe", followers: 1200 };
const start = new Date("2025-03-01T12:00:00Z");

let fake: FakeX;
let now = start.getTime();

type Wire = Record<string, unknown>;

/** What the fake answers, loosely: a timeline's `data` is a list, a user lookup's an object. */
interface XBody {
  readonly data?: Wire[] | Wire;
  readonly includes?: { readonly users?: Wire[] };
  readonly meta?: { result_count: number; newest_id?: string; oldest_id?: string; next_token?: string };
  readonly errors?: Wire[];
  readonly title?: string;
}

async function get(path: string, token: string | null = TOKEN) {
  const response = await fetch(`${fake.url}${path}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as XBody };
}

/** Twelve mentions of the org, a minute apart, oldest first. */
function addMentions(count = 12): string[] {
  return Array.from({ length: count }, (_, i) =>
    fake.addPost({
      authorId: JANE.id,
      text: `@riverside thanks #${i}`,
      createdAt: new Date(start.getTime() + i * 60_000),
      mentions: ORG.id,
    }),
  );
}

function idsOf(body: XBody): unknown[] {
  return Array.isArray(body.data) ? body.data.map((tweet) => tweet.id) : [];
}

beforeEach(async () => {
  now = start.getTime() + 3_600_000;
  fake = await startFakeX({ tokens: [TOKEN], now: () => now });
  fake.addUser(ORG);
  fake.addUser(JANE);
});

afterEach(async () => {
  await fake.close();
});

describe("fake X API", () => {
  it("looks a user up by username, case-insensitively, and answers X's not-found body for others", async () => {
    const found = await get("/2/users/by/username/RiverSide");
    expect(found.body).toEqual({ data: { id: "100", name: "Riverside Food Bank", username: "riverside" } });

    const missing = await get("/2/users/by/username/nobody");
    expect(missing.status).toBe(200);
    expect(missing.body.data).toBeUndefined();
    expect(missing.body.errors?.[0]).toMatchObject({
      title: "Not Found Error",
      type: "https://api.twitter.com/2/problems/resource-not-found",
    });
  });

  it("serves only the fields asked for, with the authors in includes", async () => {
    const [id] = addMentions(1);
    const bare = await get(`/2/users/${ORG.id}/mentions`);
    expect(bare.body.data).toEqual([{ id, text: "@riverside thanks #0", edit_history_tweet_ids: [id] }]);
    expect(bare.body.includes).toBeUndefined();

    const full = await get(
      `/2/users/${ORG.id}/mentions?expansions=author_id&tweet.fields=created_at,author_id&user.fields=public_metrics`,
    );
    expect((full.body.data as Wire[])[0]).toMatchObject({ author_id: JANE.id, created_at: start.toISOString() });
    expect(full.body.includes?.users).toEqual([
      {
        id: JANE.id,
        name: JANE.name,
        username: JANE.username,
        public_metrics: { followers_count: 1200, following_count: 0, tweet_count: 1, listed_count: 0, like_count: 0 },
      },
    ]);
  });

  it("pages newest first through next_token until the last page, which has none", async () => {
    const ids = addMentions(12);
    const first = await get(`/2/users/${ORG.id}/mentions?max_results=5`);
    expect(idsOf(first.body)).toEqual(ids.slice(7).reverse());
    expect(first.body.meta).toMatchObject({ result_count: 5, newest_id: ids[11], oldest_id: ids[7] });

    const second = await get(
      `/2/users/${ORG.id}/mentions?max_results=5&pagination_token=${first.body.meta?.next_token}`,
    );
    expect(second.body.meta).toMatchObject({ result_count: 5, newest_id: ids[6], oldest_id: ids[2] });
    const third = await get(
      `/2/users/${ORG.id}/mentions?max_results=5&pagination_token=${second.body.meta?.next_token}`,
    );
    expect(idsOf(third.body)).toEqual([ids[1], ids[0]]);
    expect(third.body.meta?.next_token).toBeUndefined();
    expect(fake.served("mentions", ORG.id)).toEqual([...ids].reverse());
  });

  it("honours since_id and start_time, and answers an empty page with result_count 0 alone", async () => {
    const ids = addMentions(6);
    const since = await get(`/2/users/${ORG.id}/mentions?since_id=${ids[3]}`);
    expect(idsOf(since.body)).toEqual([ids[5], ids[4]]);

    const startTime = new Date(start.getTime() + 4 * 60_000).toISOString().replace(".000Z", "Z");
    const fromTime = await get(`/2/users/${ORG.id}/mentions?start_time=${startTime}`);
    expect(idsOf(fromTime.body)).toEqual([ids[5], ids[4]]);

    const none = await get(`/2/users/${ORG.id}/mentions?since_id=${ids[5]}`);
    expect(none.body).toEqual({ meta: { result_count: 0 } });
  });

  it("rejects what X rejects: unknown parameters, max_results out of range, a missing or revoked token", async () => {
    expect((await get(`/2/users/${ORG.id}/mentions?sinceId=1`)).status).toBe(400);
    expect((await get(`/2/users/${ORG.id}/mentions?max_results=101`)).body.title).toBe("Invalid Request");
    expect((await get(`/2/users/${ORG.id}/mentions`, null)).status).toBe(401);
    fake.revoke(TOKEN);
    const revoked = await get(`/2/users/${ORG.id}/mentions`);
    expect(revoked.status).toBe(401);
    expect(revoked.body).toEqual({ title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" });
  });

  it("counts requests per token and endpoint in a 15-minute window, then answers 429 until it resets", async () => {
    fake.setRateLimit("mentions", 2);
    const windowEnd = Math.ceil((now + RATE_LIMIT_WINDOW_MS) / 1000);
    const first = await get(`/2/users/${ORG.id}/mentions`);
    expect(first.headers.get("x-rate-limit-limit")).toBe("2");
    expect(first.headers.get("x-rate-limit-remaining")).toBe("1");
    expect(first.headers.get("x-rate-limit-reset")).toBe(String(windowEnd));
    await get(`/2/users/${ORG.id}/mentions`);
    const limited = await get(`/2/users/${ORG.id}/mentions`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-rate-limit-remaining")).toBe("0");
    expect((await get(`/2/users/${ORG.id}/tweets`)).status).toBe(200);

    now += RATE_LIMIT_WINDOW_MS;
    expect((await get(`/2/users/${ORG.id}/mentions`)).status).toBe(200);
  });

  it("fails, garbles and holds the next requests as scripted, then goes back to normal", async () => {
    addMentions(5);
    fake.failNext({ path: /\/mentions$/, status: 429, retryAfterSeconds: 60 });
    const limited = await get(`/2/users/${ORG.id}/mentions`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-rate-limit-reset")).toBe(String(Math.ceil((now + 60_000) / 1000)));

    fake.malformedNext({ path: /\/mentions$/ });
    const garbled = await fetch(`${fake.url}/2/users/${ORG.id}/mentions`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    await expect(garbled.json()).rejects.toThrow(SyntaxError);

    const hold = fake.holdNext(/\/mentions$/);
    const held = get(`/2/users/${ORG.id}/mentions`);
    await hold.reached;
    expect(fake.served("mentions")).toEqual([]);
    hold.release();
    expect((await held).status).toBe(200);
    expect(fake.served("mentions")).toHaveLength(5);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200, 200]);
  });

  it("can let some matching requests through before holding one", async () => {
    addMentions(3);
    const hold = fake.holdNext(/\/mentions$/, { after: 2 });
    expect((await get(`/2/users/${ORG.id}/mentions`)).status).toBe(200);
    expect((await get(`/2/users/${ORG.id}/mentions`)).status).toBe(200);
    const held = get(`/2/users/${ORG.id}/mentions`);
    await hold.reached;
    expect(fake.served("mentions")).toHaveLength(6);
    hold.release();
    expect((await held).status).toBe(200);
    expect(fake.served("mentions")).toHaveLength(9);
  });

  it("can leave an author out of includes while serving their tweets", async () => {
    addMentions(1);
    fake.omitAuthorNext({ authorId: JANE.id });
    const page = await get(`/2/users/${ORG.id}/mentions?expansions=author_id&tweet.fields=author_id`);
    expect(page.body.data).toHaveLength(1);
    expect(page.body.includes).toBeUndefined();
  });

  it("makes snowflake ids that grow with time", () => {
    const earlier = BigInt(snowflake(new Date("2025-01-01T00:00:00Z")));
    const later = BigInt(snowflake(new Date("2025-01-01T00:00:01Z")));
    expect(later > earlier).toBe(true);
  });
});
