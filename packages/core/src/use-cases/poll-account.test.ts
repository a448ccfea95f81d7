import { beforeEach, describe, expect, it, vi } from "vitest";
import type { IncomingPost, PageRequest, PostPage, SourceFailure } from "../domain/post.js";
import type { SocialAccount } from "../domain/social-account.js";
import { localClock } from "../domain/when.js";
import type { Logger, MentionSource, Storage } from "../ports.js";
import { err, ok, type Result } from "../result.js";
import { daysAgo, incomingPost, NOW, type World, world } from "../testing/builders.js";
import { connectXAccount } from "./connect-account.js";
import { DEFAULT_POLL_SETTINGS, nextInterval, type PollDeps, pollAccount } from "./poll-account.js";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
type Answer = Result<PostPage, SourceFailure>;

/** A source that answers from a script, one answer per request, and records the requests. */
class ScriptedSource implements MentionSource {
  readonly budgetKey = "budget-1";
  readonly requests: { stream: string; request: PageRequest }[] = [];
  constructor(private readonly script: Record<"mentions" | "ownPosts", Answer[]>) {}
  async findUser(handle: string) {
    return handle === "helpinghands"
      ? ok({ externalUserId: "900", handle: "HelpingHands", name: "Helping Hands" })
      : err({ kind: "not_found" as const, detail: "no such user" });
  }
  async mentions(_: string, request: PageRequest) {
    return this.answer("mentions", request);
  }
  async ownPosts(_: string, request: PageRequest) {
    return this.answer("ownPosts", request);
  }
  private answer(stream: "mentions" | "ownPosts", request: PageRequest): Answer {
    this.requests.push({ stream, request });
    return this.script[stream].shift() ?? ok(page([], null, null));
  }
}

const page = (posts: IncomingPost[], nextToken: string | null, newestId: string | null): PostPage => ({
  posts,
  skipped: [],
  nextToken,
  newestId,
  rateLimit: { limit: 450, remaining: 440, resetAt: new Date(Date.parse(NOW) + 600_000) },
});
const post = (id: string) => incomingPost(id, `user${id}`, `u${id}`, { postedAt: daysAgo(1) });

let w: World;
let account: SocialAccount;
let told: string[];

beforeEach(async () => {
  w = await world();
  told = [];
  account = await w.storage.withTenant(w.tenantId, (r) =>
    r.socialAccounts.connect({ platform: "x", handle: "helpinghands", externalUserId: "900", credentials: "token-1" }),
  );
});

function deps(source: MentionSource): PollDeps {
  return {
    storage: w.storage,
    clock: w.clock,
    logger: silent,
    openSource: () => source,
    settings: DEFAULT_POLL_SETTINGS,
    tellAdmins: async (_, text) => {
      told.push(text);
    },
  };
}
const poll = (source: MentionSource) => pollAccount(deps(source), { tenantId: w.tenantId, accountId: account.id });
const state = () => w.storage.withTenant(w.tenantId, (r) => r.socialAccounts.pollState(account.id));
const storedIds = async () =>
  (await w.storage.withTenant(w.tenantId, (r) => r.mentions.listOpen(1000))).map((m) => m.postId).sort();

describe("pollAccount", () => {
  it("backfills a bounded week on the first poll, then reads only what is newer", async () => {
    const first = new ScriptedSource({ mentions: [ok(page([post("12"), post("11")], null, "12"))], ownPosts: [] });
    const outcome = await poll(first);
    expect(outcome).toMatchObject({ kind: "polled", mentions: { stored: 2 } });
    expect(first.requests[0]?.request).toEqual({
      sinceId: null,
      startTime: new Date(Date.parse(NOW) - 7 * 86_400_000),
      paginationToken: null,
    });
    expect((await state())?.mentions).toEqual({ sinceId: "12", nextToken: null, pendingNewestId: null });

    const second = new ScriptedSource({ mentions: [], ownPosts: [] });
    await poll(second);
    expect(second.requests[0]?.request).toEqual({ sinceId: "12", startTime: null, paginationToken: null });
  });

  it("moves since_id only after the last page, and resumes mid-run from the saved page token", async () => {
    const broken = new ScriptedSource({
      mentions: [
        ok(page([post("30"), post("29")], "t2", "30")),
        err({ kind: "unavailable", detail: "500", rateLimit: null }),
      ],
      ownPosts: [],
    });
    await poll(broken);
    expect((await state())?.mentions).toEqual({ sinceId: null, nextToken: "t2", pendingNewestId: "30" });
    expect(await storedIds()).toEqual(["29", "30"]);

    const resumed = new ScriptedSource({ mentions: [ok(page([post("28")], null, "30"))], ownPosts: [] });
    await poll(resumed);
    expect(resumed.requests[0]?.request.paginationToken).toBe("t2");
    expect((await state())?.mentions).toEqual({ sinceId: "30", nextToken: null, pendingNewestId: null });
    expect(await storedIds()).toEqual(["28", "29", "30"]);
  });

  /** The storage, with each stored page's cursor recorded and the first store held until `until`. */
  function holdingStorage(until: Promise<void>) {
    const cursors: (string | null)[] = [];
    let first = true;
    const storage: Storage = Object.create(w.storage);
    storage.withTenant = async (tenantId, work) =>
      w.storage.withTenant(tenantId, (r) =>
        work({
          ...r,
          socialAccounts: {
            ...r.socialAccounts,
            async saveProgress(id, stream, progress) {
              if (stream !== "mentions") return r.socialAccounts.saveProgress(id, stream, progress);
              cursors.push(progress.nextToken ?? progress.sinceId);
              if (first) {
                first = false;
                await until;
              }
              return r.socialAccounts.saveProgress(id, stream, progress);
            },
          },
        }),
      );
    return { storage, cursors };
  }

  it("reads on while a page is stored, then stores the pages that came in together under the last cursor", async () => {
    const source = new ScriptedSource({
      mentions: [
        ok(page([post("30")], "t2", "30")),
        ok(page([post("29")], "t3", "30")),
        ok(page([post("28")], null, "30")),
      ],
      ownPosts: [],
    });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const { storage, cursors } = holdingStorage(held);
    const polling = pollAccount({ ...deps(source), storage }, { tenantId: w.tenantId, accountId: account.id });
    await vi.waitFor(() => expect(source.requests.filter((r) => r.stream === "mentions")).toHaveLength(3));
    release();
    expect(await polling).toMatchObject({ kind: "polled", mentions: { stored: 3 } });
    // The first page alone (it was being stored), then the two read meanwhile in one transaction.
    expect(cursors).toEqual(["t2", "30"]);
    expect(await storedIds()).toEqual(["28", "29", "30"]);
  });

  it("fails, rather than hangs, when the last page's rate limit cannot be recorded", async () => {
    const source = new ScriptedSource({ mentions: [ok(page([post("30")], null, "30"))], ownPosts: [] });
    const storage: Storage = {
      withTenant: (tenantId, work) => w.storage.withTenant(tenantId, work),
      withTenantShared: (tenantId, work) => w.storage.withTenantShared(tenantId, work),
      tenants: w.storage.tenants,
      installations: w.storage.installations,
      nudges: w.storage.nudges,
      poller: {
        ...w.storage.poller,
        recordBudget: async () => {
          throw new Error("database gone");
        },
      },
    };
    await expect(
      pollAccount({ ...deps(source), storage }, { tenantId: w.tenantId, accountId: account.id }),
    ).rejects.toThrow("database gone");
    // The page itself was stored before the reader gave up.
    expect(await storedIds()).toEqual(["30"]);
  });

  it("keeps the cursor where it was when the store fails, and reads nothing after", async () => {
    const source = new ScriptedSource({
      mentions: [ok(page([post("30")], "t2", "30")), ok(page([post("29")], null, "30"))],
      ownPosts: [],
    });
    let fail = () => {};
    const failing = new Promise<void>((_, reject) => (fail = () => reject(new Error("disk full"))));
    const { storage } = holdingStorage(failing);
    const polling = pollAccount({ ...deps(source), storage }, { tenantId: w.tenantId, accountId: account.id });
    await vi.waitFor(() => expect(source.requests).toHaveLength(2));
    fail();
    await expect(polling).rejects.toThrow("disk full");
    expect(source.requests.map((r) => r.request.paginationToken)).toEqual([null, "t2"]);
    expect((await state())?.mentions).toEqual({ sinceId: null, nextToken: null, pendingNewestId: null });
    expect(await storedIds()).toEqual([]);
  });

  describe("the first nudge", () => {
    beforeEach(async () => {
      await w.storage.withTenant(w.tenantId, (r) => r.tenant.update({ nudgeChannel: "C0NUDGES" }));
    });
    const welcomes = async () =>
      (
        await w.storage.withTenant(w.tenantId, (r) => r.nudges.deliveries(localClock(w.clock.now(), "UTC").date))
      ).filter((d) => d.kind === "welcome");
    const pollWelcoming = (source: MentionSource, storage: Storage = w.storage) =>
      pollAccount(
        { ...deps(source), storage, welcomeOnBackfill: true },
        { tenantId: w.tenantId, accountId: account.id },
      );
    /** The organization's own reply to post `to`, as X lists its posts. */
    const reply = (id: string, to: string) =>
      incomingPost(id, "helpinghands", "900", { repliesToPostId: to, repliesToUserId: `u${to}`, conversationId: to });

    it("is queued once, when the backfill is read, with what the account already answered not waiting", async () => {
      // Mid-backfill (a page token left): not yet.
      await pollWelcoming(
        new ScriptedSource({
          mentions: [ok(page([post("30")], "t2", "30")), err({ kind: "unavailable", detail: "500", rateLimit: null })],
          ownPosts: [],
        }),
      );
      expect(await welcomes()).toEqual([]);
      await pollWelcoming(
        new ScriptedSource({
          mentions: [ok(page([post("29")], null, "30"))],
          ownPosts: [ok(page([reply("31", "30")], null, "31"))],
        }),
      );
      const [welcome] = await welcomes();
      expect(welcome?.target).toBe("C0NUDGES");
      // Of the two strangers, the one the organization answered in this same poll isn't a new voice waiting.
      expect(welcome?.message.newVoices.items.map((item) => item.post.postId)).toEqual(["29"]);
      await pollWelcoming(new ScriptedSource({ mentions: [ok(page([post("32")], null, "32"))], ownPosts: [] }));
      expect(await welcomes()).toHaveLength(1);
    });

    it("is owed through a crash between the backfill's store and its queueing, and queued by the next poll", async () => {
      // The poll dies after the mentions are stored (its bookkeeping fails): nothing is queued yet.
      const dying: Storage = Object.create(w.storage);
      dying.withTenant = async (tenantId, work) =>
        w.storage.withTenant(tenantId, (r) =>
          work({
            ...r,
            socialAccounts: {
              ...r.socialAccounts,
              finishPoll: async () => {
                throw new Error("killed");
              },
            },
          }),
        );
      await expect(
        pollWelcoming(new ScriptedSource({ mentions: [ok(page([post("40")], null, "40"))], ownPosts: [] }), dying),
      ).rejects.toThrow("killed");
      expect(await welcomes()).toEqual([]);
      expect((await state())?.welcomeDue).toBe(true);
      await pollWelcoming(new ScriptedSource({ mentions: [], ownPosts: [] }));
      expect(await welcomes()).toHaveLength(1);
      expect((await state())?.welcomeDue).toBe(false);
    });

    it("is not owed when the store that ends the backfill fails", async () => {
      const failing: Storage = Object.create(w.storage);
      failing.withTenant = async (tenantId, work) =>
        w.storage.withTenant(tenantId, async (r) => {
          const result = await work(r);
          if ((await r.socialAccounts.pollState(account.id))?.mentions.sinceId) throw new Error("disk full");
          return result;
        });
      const last = () => new ScriptedSource({ mentions: [ok(page([post("29")], null, "30"))], ownPosts: [] });
      await expect(pollWelcoming(last(), failing)).rejects.toThrow("disk full");
      expect((await state())?.welcomeDue).toBe(false);
      await pollWelcoming(last());
      expect(await welcomes()).toHaveLength(1);
    });
  });

  it("after a 429 asks nothing more of that endpoint before the reset", async () => {
    const resetAt = new Date(Date.parse(NOW) + 900_000);
    const limited = new ScriptedSource({
      mentions: [err({ kind: "rate_limited", resetAt, rateLimit: null })],
      ownPosts: [],
    });
    const outcome = await poll(limited);
    expect(outcome).toMatchObject({ kind: "waiting", until: resetAt });

    const again = new ScriptedSource({ mentions: [ok(page([post("1")], null, "1"))], ownPosts: [] });
    await poll(again);
    expect(again.requests.filter((r) => r.stream === "mentions")).toEqual([]);
    w.clock.set(new Date(resetAt.getTime() + 1000));
    await poll(again);
    expect(again.requests.filter((r) => r.stream === "mentions")).toHaveLength(1);
  });

  it("stops at 80% of the credential's budget until it resets", async () => {
    const nearlySpent = (remaining: number): PostPage => ({
      ...page([post(String(remaining))], null, String(remaining)),
      rateLimit: { limit: 10, remaining, resetAt: new Date(Date.parse(NOW) + 600_000) },
    });
    const source = new ScriptedSource({ mentions: [ok(nearlySpent(3))], ownPosts: [] });
    await poll(source);
    const second = new ScriptedSource({ mentions: [ok(nearlySpent(2))], ownPosts: [] });
    const outcome = await poll(second);
    // 3 of 10 left: one more request would leave 2, under the 20% kept back.
    expect(second.requests.filter((r) => r.stream === "mentions")).toEqual([]);
    expect(outcome.kind).toBe("waiting");
  });

  it("pauses on refused credentials and tells the admins once", async () => {
    const refused = () =>
      new ScriptedSource({ mentions: [err({ kind: "unauthorized", detail: "401 Unauthorized" })], ownPosts: [] });
    expect((await poll(refused())).kind).toBe("paused");
    expect((await poll(refused())).kind).toBe("paused");
    expect(told).toHaveLength(1);
    expect(told[0]).toContain("@helpinghands");
    expect((await state())?.account.status).toBe("paused");
  });

  it("reads own posts after mentions, so a reply in the same poll answers its mention", async () => {
    const source = new ScriptedSource({
      mentions: [ok(page([post("10")], null, "10"))],
      ownPosts: [
        ok(
          page(
            [incomingPost("11", "helpinghands", "900", { repliesToPostId: "10", repliesToUserId: "u10" })],
            null,
            "11",
          ),
        ),
      ],
    });
    const outcome = await poll(source);
    expect(outcome).toMatchObject({ kind: "polled", ownPosts: { answered: 1 } });
    expect(await storedIds()).toEqual([]);
  });

  it("polls busy accounts more often and quiet ones less, never under the minimum", () => {
    const settings = { ...DEFAULT_POLL_SETTINGS, minIntervalSeconds: 120, maxIntervalSeconds: 1800 };
    expect(nextInterval(null, 5, settings)).toBe(120);
    expect(nextInterval(480, 5, settings)).toBe(240);
    expect(nextInterval(480, 0, settings)).toBe(960);
    expect(nextInterval(1500, 0, settings)).toBe(1800);
  });
});

describe("connectXAccount", () => {
  const source = new ScriptedSource({ mentions: [], ownPosts: [] });
  const connect = (input: { handle: string; bearerToken: string; actorId: string | null }) =>
    connectXAccount({ storage: w.storage, openSource: () => source }, { tenantId: w.tenantId, ...input });

  it("checks the handle with X, then saves it under X's user id", async () => {
    const result = await connect({ handle: "@HelpingHands", bearerToken: "AAAA", actorId: null });
    expect(result).toMatchObject({ ok: true, value: { handle: "helpinghands", externalUserId: "900" } });
  });

  it("says what is wrong and saves nothing for a bad handle, an unknown user or a non-admin", async () => {
    const before = await w.storage.withTenant(w.tenantId, (r) => r.socialAccounts.list());
    expect(await connect({ handle: "not a handle", bearerToken: "AAAA", actorId: null })).toMatchObject({
      ok: false,
      error: { kind: "validation", field: "handle" },
    });
    expect(await connect({ handle: "nobody", bearerToken: "AAAA", actorId: null })).toMatchObject({
      ok: false,
      error: { kind: "connect_failed", reason: "not_found", message: "X has no account @nobody." },
    });
    expect(await connect({ handle: "helpinghands", bearerToken: "AAAA", actorId: "U_NOT_ADMIN" })).toMatchObject({
      ok: false,
      error: { kind: "not_admin" },
    });
    const nul = await connect({ handle: "helpinghands", bearerToken: "AAAA\u0000BBBB", actorId: null });
    expect(nul).toMatchObject({ ok: false, error: { kind: "validation", field: "token" } });
    // The reply quotes nothing of a secret.
    expect(nul.ok ? "" : nul.error.message).not.toContain("AAAA");
    expect(await w.storage.withTenant(w.tenantId, (r) => r.socialAccounts.list())).toEqual(before);
  });
});
