import { DEFAULT_POLL_SETTINGS, systemClock } from "@touchpoint/core";
import { cliWith, createMentionPoller, sharedDatabase, silentLogger } from "@touchpoint/server/testing";
import { createXSource } from "@touchpoint/x";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeX, startFakeX } from "../fakes/x-api.js";

const TOKEN = "AAAA-app-bearer-token";
const ORG = { id: "2244994945", username: "RiversideFood", name: "Riverside Food Bank" };

let x: FakeX;

beforeAll(async () => {
  x = await startFakeX({ tokens: [TOKEN] });
  x.addUser(ORG);
  x.addUser({ id: "101", username: "janedoe", name: "Jane Doe", followers: 900, following: 300, tweetCount: 2000 });
  x.addUser({
    id: "102",
    username: "xx_promo_4412",
    name: "Promo",
    followers: 3,
    following: 4800,
    tweetCount: 7,
    defaultAvatar: true,
  });
});
afterAll(() => x?.close());

/** `touchpoint connect-x --tenant T --handle H`, the token from the environment or standard input. */
const connectX = (options: Parameters<typeof cliWith>[0], tenant: string, handle: string) =>
  cliWith(options, "connect-x", "--tenant", tenant, "--handle", handle);

async function newTenant(): Promise<string> {
  const externalId = `T${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
  const created = await cliWith(
    {},
    "tenants",
    "create",
    "--name",
    "Riverside",
    "--platform",
    "slack",
    "--external-id",
    externalId,
  );
  expect(created.code).toBe(0);
  return externalId;
}

describe("connecting the organization's X account and reading its mentions", () => {
  it("connect-x checks the handle with X (token from the environment or standard input, never an argument)", async () => {
    const tenant = await newTenant();
    const env = { X_API_URL: x.url };

    const noToken = await connectX({ env }, tenant, "@RiversideFood");
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain("No bearer token: set X_BEARER_TOKEN, or pipe it in");

    const refused = await connectX({ env: { ...env, X_BEARER_TOKEN: "wrong" } }, tenant, "RiversideFood");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("X refused that bearer token");
    expect(refused.stderr).not.toContain("wrong");

    const unknown = await connectX({ env, stdin: `${TOKEN}\n` }, tenant, "nobody_here");
    expect(unknown.stderr).toContain("X has no account @nobody_here.");

    const connected = await connectX({ env, stdin: `${TOKEN}\n` }, tenant, "@RiversideFood");
    expect(connected.stderr).toBe("");
    expect(connected.stdout).toContain(`Connected @riversidefood (X user ${ORG.id}) to Riverside`);
  });

  it("polls through the real client: stores exactly the posts served, each once, and answers what was replied to", async () => {
    const tenant = await newTenant();
    const database = await sharedDatabase();
    const jane = await (async () => {
      const resolved = await database.storage.tenants.findByExternalId("slack", tenant);
      if (!resolved) throw new Error("tenant missing");
      return {
        tenantId: resolved.id,
        contact: await database.storage.withTenant(resolved.id, (r) =>
          r.contacts.create({
            name: "Jane Doe",
            identities: [{ platform: "x", handle: "janedoe", externalUserId: null }],
          }),
        ),
      };
    })();
    const connected = await connectX({ env: { X_API_URL: x.url, X_BEARER_TOKEN: TOKEN } }, tenant, "RiversideFood");
    expect(connected.code).toBe(0);

    const hour = 3_600_000;
    const now = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      ids.push(
        x.addPost({
          authorId: i % 5 === 0 ? "101" : "102",
          text: `@RiversideFood thank you #${i}`,
          createdAt: new Date(now - (30 - i) * hour),
          mentions: ORG.id,
        }),
      );
    }
    // The organization answered Jane's first mention.
    x.addPost({
      authorId: ORG.id,
      text: "@janedoe thank you!",
      createdAt: new Date(now - hour),
      repliesTo: ids[0],
      inReplyToUserId: "101",
    });

    const poller = createMentionPoller({
      storage: database.storage,
      openSource: createXSource({ apiUrl: x.url }),
      clock: systemClock,
      logger: silentLogger,
      settings: DEFAULT_POLL_SETTINGS,
    });
    const outcomes = await poller.tick();
    const mine = outcomes.filter((o) => o.kind === "polled");
    expect(mine.length).toBeGreaterThanOrEqual(1);

    const stored = await database.storage.withTenant(jane.tenantId, async (r) => ({
      open: await r.mentions.listOpen(1000),
      touches: await r.touchpoints.listForContact(jane.contact.id, 100),
    }));
    // 25 served, Jane's first one answered: 24 open, and every one served was stored.
    expect(stored.open.map((m) => m.postId).sort()).toEqual(ids.slice(1).sort());
    expect(x.served("mentions", ORG.id).sort()).toEqual(expect.arrayContaining(ids));
    expect(stored.touches.filter((t) => t.direction === "inbound")).toHaveLength(5);
    expect(stored.touches.filter((t) => t.direction === "outbound")).toHaveLength(1);

    // The account is not due again until its interval passes: a second round reads nothing.
    const before = x.requests.length;
    await poller.tick();
    expect(x.requests.slice(before).filter((r) => r.token === TOKEN && r.endpoint === "mentions")).toHaveLength(0);
  });

  it("logs and skips what X sends broken (a 500 page, a malformed page, a deleted author) and keeps its place", async () => {
    const org = { id: "2244990002", username: "HarborPantry", name: "Harbor Pantry" };
    x.addUser(org);
    x.addUser({ id: "103", username: "soon_gone", name: "Soon Gone", followers: 50, following: 80 });
    const tenant = await newTenant();
    const connected = await connectX({ env: { X_API_URL: x.url, X_BEARER_TOKEN: TOKEN } }, tenant, org.username);
    expect(connected.code).toBe(0);
    const database = await sharedDatabase();
    const tenantId = (await database.storage.tenants.findByExternalId("slack", tenant))?.id ?? "";

    let now = Date.now();
    const byAuthor = new Map<string, string>();
    for (let i = 0; i < 250; i++) {
      const authorId = i % 10 === 3 ? "103" : "101";
      const id = x.addPost({
        authorId,
        text: `@HarborPantry see you Saturday #${i}`,
        createdAt: new Date(now - 3 * 3_600_000 - i * 60_000),
        mentions: org.id,
      });
      byAuthor.set(id, authorId);
    }
    // X serves newest first, 100 to a page.
    const newestFirst = [...byAuthor.keys()].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1));
    const pages = [newestFirst.slice(0, 100), newestFirst.slice(100, 200), newestFirst.slice(200)];
    const stored = async () =>
      (await database.storage.withTenant(tenantId, (r) => r.mentions.listOpen(1000))).map((m) => m.postId).sort();
    const poller = createMentionPoller({
      storage: database.storage,
      openSource: createXSource({ apiUrl: x.url }),
      clock: { now: () => new Date(now) },
      logger: silentLogger,
      settings: DEFAULT_POLL_SETTINGS,
    });
    const mentionsPath = new RegExp(`/users/${org.id}/mentions$`);
    const nextRound = () => {
      now += 2 * 3_600_000; // past the longest poll interval
      return poller.tick();
    };

    // Page 2 answers 500: page 1 stays stored, and the cursor stays on page 2.
    x.failNext({ status: 500, path: mentionsPath, after: 1 });
    await poller.tick();
    expect(await stored()).toEqual([...(pages[0] ?? [])].sort());

    // Next round, page 2 comes back cut in half: nothing more is stored, nothing is lost.
    x.malformedNext({ path: mentionsPath });
    await nextRound();
    expect(await stored()).toHaveLength(100);

    // Then page 2 comes whole but without one author (deleted meanwhile): their posts are skipped.
    x.omitAuthorNext({ path: mentionsPath, authorId: "103" });
    await nextRound();
    const skipped = (pages[1] ?? []).filter((id) => byAuthor.get(id) === "103");
    expect(skipped.length).toBeGreaterThan(0);
    const expected = newestFirst.filter((id) => !skipped.includes(id)).sort();
    expect(await stored()).toEqual(expected);

    // Each round resumed at the page that failed: pages 1 and 3 were read once each.
    const served = x.served("mentions", org.id);
    expect(served.filter((id) => pages[0]?.includes(id))).toHaveLength(100);
    expect(served.filter((id) => pages[2]?.includes(id))).toHaveLength(50);

    // The stream is caught up: another round asks only for what is newer, and stores nothing.
    await nextRound();
    expect(await stored()).toEqual(expected);
  });
});
