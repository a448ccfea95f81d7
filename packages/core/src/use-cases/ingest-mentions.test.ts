import { beforeEach, describe, expect, it } from "vitest";
import { botSignals, describeBotSignals, isLikelyBot } from "../domain/mention.js";
import type { SocialAccount } from "../domain/social-account.js";
import { findUnstorable } from "../domain/text.js";
import { MAX_NOTE_LENGTH } from "../domain/touchpoint.js";
import { daysAgo, incomingPost, NOW, seedContact, touchesOf, type World, world, xId } from "../testing/builders.js";
import { ingestMentions, ingestOwnPosts } from "./ingest-mentions.js";

const ORG = { handle: "helpinghands", userId: "900" };

let w: World;
let account: SocialAccount;

beforeEach(async () => {
  w = await world();
  account = await w.storage.withTenant(w.tenantId, (r) =>
    r.socialAccounts.connect({ platform: "x", handle: ORG.handle, externalUserId: ORG.userId, credentials: "token" }),
  );
});

const mentions = () => w.storage.withTenant(w.tenantId, (r) => r.mentions.listOpen(100));
const ingest = (posts: Parameters<typeof ingestMentions>[1]["posts"]) =>
  w.storage.withTenant(w.tenantId, (r) => ingestMentions(r, { account, posts }));
const ingestOwn = (posts: Parameters<typeof ingestOwnPosts>[1]["posts"]) =>
  w.storage.withTenant(w.tenantId, (r) => ingestOwnPosts(r, { account, posts }));
const ownReply = (postId: string, to: { postId: string; userId: string; conversationId?: string }, at: Date) =>
  incomingPost(postId, ORG.handle, ORG.userId, {
    postedAt: at,
    repliesToPostId: to.postId,
    repliesToUserId: to.userId,
    conversationId: to.conversationId ?? to.postId,
  });

describe("ingestMentions", () => {
  it("remembers the X user id of a contact found by handle, so a later handle change still finds them", async () => {
    const jane = await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe")] });
    await ingest([incomingPost("1", "JaneDoe", "101")]);
    expect((await w.storage.withTenant(w.tenantId, (r) => r.contacts.get(jane.id)))?.identities).toEqual([
      xId("janedoe", "101"),
    ]);
    // She renames herself on X; her posts still reach her.
    await ingest([incomingPost("2", "jane_runs", "101")]);
    const stored = await mentions();
    expect(stored.map((m) => [m.postId, m.contactId])).toEqual([
      ["1", jane.id],
      ["2", jane.id],
    ]);
  });

  it("leaves a user id alone that another contact already holds", async () => {
    const jane = await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe", "101")] });
    const other = await seedContact(w, { name: "Old Handle", identities: [xId("oldhandle")] });
    await ingest([incomingPost("1", "oldhandle", "101")]);
    expect((await mentions())[0]?.contactId).toBe(jane.id);
    expect((await w.storage.withTenant(w.tenantId, (r) => r.contacts.get(other.id)))?.identities).toEqual([
      xId("oldhandle"),
    ]);
  });

  it("strips what the database can't hold from a post and its author, keeping the rest", async () => {
    const jane = await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe", "101")] });
    const counts = await ingest([
      incomingPost("1", "janedoe", "101", {
        text: "@helpinghands thanks\u0000 for lunch \uD83C",
        author: { name: "Jane\u001b[31m Doe" },
      }),
      incomingPost("2", "stranger", "555"),
    ]);
    expect(counts).toMatchObject({ stored: 2, touchpoints: 1 });
    const stored = await mentions();
    expect(stored.find((m) => m.postId === "1")).toMatchObject({
      text: "@helpinghands thanks for lunch ",
      author: { name: "Jane[31m Doe", handle: "janedoe" },
    });
    expect((await touchesOf(w, jane.id))[0]?.note).toBe("@helpinghands thanks for lunch ");
  });

  it("cuts a long post's note without splitting an emoji in two", async () => {
    const jane = await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe", "101")] });
    // The emoji's two halves straddle the cut: a plain slice would keep one half.
    const text = `${"x".repeat(MAX_NOTE_LENGTH - 2)}\u{1F389}${"y".repeat(50)}`;
    await ingest([incomingPost("1", "janedoe", "101", { text })]);
    const note = (await touchesOf(w, jane.id))[0]?.note ?? "";
    expect(note).toHaveLength(MAX_NOTE_LENGTH - 1);
    expect(note.endsWith("x…")).toBe(true);
    expect(findUnstorable(note)).toBeUndefined();
  });

  it("stores each post once and logs an inbound touch only for known contacts", async () => {
    const jane = await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe", "101")] });
    const page = [incomingPost("1", "janedoe", "101"), incomingPost("2", "stranger", "555")];

    expect(await ingest(page)).toEqual({ stored: 2, touchpoints: 1, answered: 0 });
    expect(await ingest(page)).toEqual({ stored: 0, touchpoints: 0, answered: 0 });

    const stored = await mentions();
    expect(stored.map((m) => [m.postId, m.contactId])).toEqual([
      ["1", jane.id],
      ["2", null],
    ]);
    const touches = await touchesOf(w, jane.id);
    expect(touches).toHaveLength(1);
    expect(touches[0]).toMatchObject({
      channel: "x_mention",
      direction: "inbound",
      source: "x",
      sourceRef: "x:post:1",
    });
  });

  it("finds the author by X user id before handle, since handles change", async () => {
    const renamed = await seedContact(w, { name: "Renamed", identities: [xId("oldname", "101")] });
    await seedContact(w, { name: "Namesake", identities: [xId("newname", null)] });
    await ingest([incomingPost("1", "NewName", "101")]);
    expect((await mentions())[0]?.contactId).toBe(renamed.id);
  });

  it("falls back to the handle, case-insensitively, when the user id is unknown", async () => {
    const jane = await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe", null)] });
    await ingest([incomingPost("1", "JaneDoe", "101")]);
    expect((await mentions())[0]?.contactId).toBe(jane.id);
  });

  it("tells replies to the organization and quotes from plain mentions", async () => {
    const jane = await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe", "101")] });
    await ingest([
      incomingPost("1", "janedoe", "101"),
      incomingPost("2", "janedoe", "101", { repliesToPostId: "77", repliesToUserId: ORG.userId }),
      incomingPost("3", "janedoe", "101", { quotesPostId: "78" }),
    ]);
    expect((await mentions()).map((m) => m.kind)).toEqual(["mention", "reply", "quote"]);
    expect((await touchesOf(w, jane.id)).map((t) => t.channel).sort()).toEqual(["x_mention", "x_quote", "x_reply"]);
  });

  it("ignores the organization's own posts and repeats within a page", async () => {
    const page = [incomingPost("1", "a", "1"), incomingPost("1", "a", "1"), incomingPost("2", ORG.handle, ORG.userId)];
    expect((await ingest(page)).stored).toBe(1);
  });

  it("a rolled-back page stores nothing, so re-reading it stores everything once", async () => {
    await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe", "101")] });
    await expect(
      w.storage.withTenant(w.tenantId, async (r) => {
        await ingestMentions(r, { account, posts: [incomingPost("1", "janedoe", "101")] });
        throw new Error("crashed before the cursor was saved");
      }),
    ).rejects.toThrow();
    expect(await mentions()).toEqual([]);
    expect((await ingest([incomingPost("1", "janedoe", "101")])).stored).toBe(1);
  });
});

describe("replies mark mentions answered", () => {
  it("an own reply marks the mention replied and logs an outbound touch for a contact", async () => {
    const jane = await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe", "101")] });
    await ingest([incomingPost("1", "janedoe", "101", { postedAt: daysAgo(2) })]);

    const result = await ingestOwn([ownReply("50", { postId: "1", userId: "101" }, daysAgo(1))]);
    expect(result).toEqual({ stored: 1, touchpoints: 1, answered: 1 });
    expect(await mentions()).toEqual([]);
    const touches = await touchesOf(w, jane.id);
    expect(touches.map((t) => [t.direction, t.channel])).toEqual([
      ["outbound", "x_reply"],
      ["inbound", "x_mention"],
    ]);
    // Reading the same timeline again changes nothing.
    expect(await ingestOwn([ownReply("50", { postId: "1", userId: "101" }, daysAgo(1))])).toEqual({
      stored: 0,
      touchpoints: 0,
      answered: 0,
    });
  });

  it("a reply read before its mention still marks it when the mention arrives", async () => {
    await ingestOwn([ownReply("50", { postId: "1", userId: "101" }, daysAgo(1))]);
    expect((await ingest([incomingPost("1", "janedoe", "101", { postedAt: daysAgo(2) })])).answered).toBe(1);
    expect(await mentions()).toEqual([]);
  });

  it("a later reply in the thread to the same author answers earlier mentions there", async () => {
    await ingest([
      incomingPost("1", "janedoe", "101", { postedAt: daysAgo(3), conversationId: "1" }),
      incomingPost("2", "janedoe", "101", { postedAt: daysAgo(2), conversationId: "1" }),
      incomingPost("3", "someone", "202", { postedAt: daysAgo(2), conversationId: "1" }),
    ]);
    await ingestOwn([ownReply("50", { postId: "2", userId: "101", conversationId: "1" }, daysAgo(1))]);
    expect((await mentions()).map((m) => m.postId)).toEqual(["3"]);
  });

  it("a broadcast post answers nothing", async () => {
    await ingest([incomingPost("1", "janedoe", "101")]);
    expect(await ingestOwn([incomingPost("50", ORG.handle, ORG.userId)])).toEqual({
      stored: 1,
      touchpoints: 0,
      answered: 0,
    });
    expect(await mentions()).toHaveLength(1);
  });
});

describe("likely bots", () => {
  const now = new Date(NOW);
  const author = incomingPost("1", "xx_promo_4412", "9").author;

  it("names each signal, and two make a likely bot", () => {
    const signals = botSignals(
      { ...author, followers: 3, following: 4800, postCount: 7, defaultAvatar: true, createdAt: daysAgo(400) },
      now,
    );
    expect(describeBotSignals(signals)).toBe("3 followers, follows 4,800, 7 posts, default avatar");
    expect(isLikelyBot(signals)).toBe(true);
  });

  it("one signal alone is a person", () => {
    const signals = botSignals({ ...author, defaultAvatar: true }, now);
    expect(signals.map((s) => s.kind)).toEqual(["default_avatar"]);
    expect(isLikelyBot(signals)).toBe(false);
  });

  it("counts a brand-new account and unknown fields as no signal", () => {
    const fresh = botSignals({ ...author, createdAt: daysAgo(5), postCount: 3 }, now);
    expect(describeBotSignals(fresh)).toBe("3 posts, account 5 days old");
    const unknown = botSignals(
      { ...author, followers: null, following: null, postCount: null, defaultAvatar: null, createdAt: null },
      now,
    );
    expect(unknown).toEqual([]);
  });
});
