import { beforeEach, describe, expect, it } from "vitest";
import type { SocialAccount } from "../domain/social-account.js";
import {
  daysAgo,
  incomingPost,
  NOW,
  seedContact,
  seedTouch,
  unwrap,
  unwrapErr,
  type World,
  world,
  xId,
} from "../testing/builders.js";
import { composeDigest } from "./compose-digest.js";
import { ingestMentions, ingestOwnPosts } from "./ingest-mentions.js";

// NOW is 2026-03-10 15:00 UTC: 11:00 in New York (daylight time began on 8 March).
const ORG = { handle: "riversidefood", userId: "900" };
const hoursAgo = (hours: number) => new Date(Date.parse(NOW) - hours * 3_600_000);

let w: World;
let account: SocialAccount;

beforeEach(async () => {
  w = await world({ timeZone: "America/New_York" });
  account = await w.storage.withTenant(w.tenantId, (r) =>
    r.socialAccounts.connect({ platform: "x", handle: ORG.handle, externalUserId: ORG.userId, credentials: "t" }),
  );
});

const mentions = (posts: Parameters<typeof ingestMentions>[1]["posts"]) =>
  w.storage.withTenant(w.tenantId, (r) => ingestMentions(r, { account, posts }));
const ownPosts = (posts: Parameters<typeof ingestOwnPosts>[1]["posts"]) =>
  w.storage.withTenant(w.tenantId, (r) => ingestOwnPosts(r, { account, posts }));
const compose = async (localDate?: string) =>
  unwrap(await composeDigest(w.deps, { tenantId: w.tenantId, ...(localDate && { localDate }) }));

/** A morning at Riverside: contacts waiting, two relationships going cold, new voices and a bot. */
async function riversideMorning() {
  const jane = await seedContact(w, { name: "Jane Doe", segment: "major donor", identities: [xId("janedoe", "101")] });
  const sam = await seedContact(w, { name: "Sam Lee", segment: "influencer", identities: [xId("samlee", "102")] });
  const rosa = await seedContact(w, {
    name: "Rosa Alvarez",
    segment: "supporter",
    owner: "U0JORDAN",
    identities: [xId("alvarezbakery", "103")],
  });
  const maria = await seedContact(w, { name: "Maria Chen", segment: "major donor", owner: "U0AMY" });
  const dev = await seedContact(w, { name: "Dev Patel", segment: "board" });
  const tom = await seedContact(w, { name: "Tom Becker", segment: "donor" });
  await seedContact(w, { name: "Omar Haddad", segment: "board" });
  await seedTouch(w, maria.id, { occurredAt: daysAgo(62), note: "gala seating" });
  await seedTouch(w, dev.id, { occurredAt: daysAgo(41), channel: "meeting" });
  await seedTouch(w, tom.id, { occurredAt: daysAgo(10) });

  const human = { followers: 40, following: 90, postCount: 800 };
  await mentions([
    incomingPost("1001", "alvarezbakery", "103", { postedAt: hoursAgo(48), text: "Bread's ready Tuesday!" }),
    incomingPost("1002", "helper_two", "202", { postedAt: hoursAgo(29), author: human }),
    incomingPost("1003", "samlee", "102", { postedAt: hoursAgo(24), text: "Loved the pantry tour" }),
    incomingPost("1004", "small_voice", "201", { postedAt: hoursAgo(20), author: human }),
    incomingPost("1005", "janedoe", "101", { postedAt: hoursAgo(5), text: "thank you for the turkey drive!" }),
    incomingPost("1006", "bigvoicemedia", "200", {
      postedAt: hoursAgo(3),
      author: { name: "Big Voice Media", followers: 240_000, following: 500, postCount: 9000 },
    }),
    incomingPost("1007", "xx_promo_4412", "666", {
      postedAt: hoursAgo(2),
      author: { followers: 3, following: 4800, postCount: 7, defaultAvatar: true },
    }),
  ]);
  // Yesterday the team answered helper_two 2 h 10 m after they wrote; three days ago it broadcast.
  await ownPosts([
    incomingPost("2001", ORG.handle, ORG.userId, {
      postedAt: new Date(hoursAgo(29).getTime() + 130 * 60_000),
      repliesToPostId: "1002",
      repliesToUserId: "202",
      conversationId: "1002",
    }),
    incomingPost("2002", ORG.handle, ORG.userId, { postedAt: hoursAgo(72) }),
  ]);
  return { jane, sam, rosa, maria, dev };
}

describe("composeDigest", () => {
  it("composes the morning: waiting by weight × age, going cold by overdue × importance, new voices by reach", async () => {
    const { jane, sam, rosa, maria, dev } = await riversideMorning();
    const digest = await compose();

    expect(digest).toMatchObject({ localDate: "2026-03-10", dayLabel: "Tuesday 10 Mar", empty: false });
    // Rosa (supporter, weight 2) has waited 48 h; Sam (3) 24 h; Jane (5) 5 h.
    expect(digest.waiting.total).toBe(3);
    expect(digest.waiting.items.map((i) => [i.contact.name, i.post.postId, i.post.ageHours])).toEqual([
      [rosa.name, "1001", 48],
      [sam.name, "1003", 24],
      [jane.name, "1005", 5],
    ]);
    expect(digest.waiting.items[0]?.contact).toEqual({
      id: rosa.id,
      name: "Rosa Alvarez",
      segment: "supporter",
      owner: "U0JORDAN",
    });

    expect(digest.goingCold.total).toBe(2);
    expect(digest.goingCold.items.map((i) => [i.contact.id, i.reason])).toEqual([
      [maria.id, "62 days since the last touch (cadence 30)"],
      [dev.id, "41 days since the last touch (cadence 30)"],
    ]);
    expect(digest.goingCold.items[0]?.lastTouch).toMatchObject({ channel: "call", note: "gala seating" });

    expect(digest.newVoices.total).toBe(2);
    expect(digest.newVoices.items.map((i) => [i.post.authorHandle, i.followers])).toEqual([
      ["bigvoicemedia", 240_000],
      ["small_voice", 40],
    ]);
    expect(digest.skippedBots.items).toEqual([
      expect.objectContaining({ why: "3 followers, follows 4,800, 7 posts, default avatar" }),
    ]);

    // Yesterday (9 March in New York): helper_two, Sam and small_voice wrote; helper_two was answered.
    expect(digest.stats).toEqual({
      yesterday: { mentions: 3, replied: 1 },
      medianReplyMinutes: 130,
      conversationRatio: 0.5,
    });
  });

  it("caps each list and counts the rest", async () => {
    const posts = Array.from({ length: 12 }, (_, i) =>
      incomingPost(String(3000 + i), `fan${i}`, String(400 + i), { postedAt: hoursAgo(i + 1) }),
    );
    await mentions(posts);
    const digest = await compose();
    expect(digest.newVoices.items).toHaveLength(3);
    expect(digest.newVoices.total).toBe(12);
  });

  it("leaves out what is answered or still snoozed, and says when there is nothing to say", async () => {
    expect((await compose()).empty).toBe(true);
    const jane = await seedContact(w, {
      name: "Jane Doe",
      segment: "major donor",
      identities: [xId("janedoe", "101")],
    });
    await mentions([incomingPost("1", "janedoe", "101", { postedAt: hoursAgo(3) })]);
    await seedTouch(w, jane.id, { occurredAt: daysAgo(1) });
    expect((await compose()).waiting.total).toBe(1);

    await ownPosts([
      incomingPost("9", ORG.handle, ORG.userId, {
        postedAt: hoursAgo(1),
        repliesToPostId: "1",
        repliesToUserId: "101",
      }),
    ]);
    const digest = await compose();
    expect(digest.waiting.total).toBe(0);
    expect(digest.empty).toBe(true);
  });

  it("composes another day as of that day's nudge time, and refuses a date that isn't one", async () => {
    await riversideMorning();
    const tomorrow = await compose("2026-03-11");
    expect(tomorrow.dayLabel).toBe("Wednesday 11 Mar");
    // As of 09:00 on the 11th, Jane's mention has waited 27 h (5 h now, plus the 22 h until then).
    expect(tomorrow.waiting.items.find((i) => i.post.postId === "1005")?.post.ageHours).toBe(27);
    // Its "yesterday" is the 10th: Jane, Big Voice and the bot.
    expect(tomorrow.stats.yesterday.mentions).toBe(3);

    const bad = unwrapErr(await composeDigest(w.deps, { tenantId: w.tenantId, localDate: "11/03/2026" }));
    expect(bad.message).toContain("YYYY-MM-DD");
  });

  it("takes yesterday as the tenant's calendar day, 23 hours long when the clocks went forward", async () => {
    // 9 March 2026, 11:00 in New York: yesterday, the 8th, ran from 05:00 to 04:00 UTC the next day.
    const dst = await world({ now: "2026-03-09T15:00:00Z", timeZone: "America/New_York" });
    const acct = await dst.storage.withTenant(dst.tenantId, (r) =>
      r.socialAccounts.connect({ platform: "x", handle: ORG.handle, externalUserId: ORG.userId, credentials: "t" }),
    );
    const at = (iso: string, id: string) => incomingPost(id, `p${id}`, `5${id}`, { postedAt: new Date(iso) });
    await dst.storage.withTenant(dst.tenantId, (r) =>
      ingestMentions(r, {
        account: acct,
        posts: [
          at("2026-03-08T04:30:00Z", "1"), // 7 March, 23:30 EST
          at("2026-03-08T05:30:00Z", "2"), // 8 March, 00:30 EST
          at("2026-03-09T03:30:00Z", "3"), // 8 March, 23:30 EDT
          at("2026-03-09T04:30:00Z", "4"), // 9 March, 00:30 EDT
        ],
      }),
    );
    const digest = unwrap(await composeDigest(dst.deps, { tenantId: dst.tenantId }));
    expect(digest.dayLabel).toBe("Monday 9 Mar");
    expect(digest.stats.yesterday.mentions).toBe(2);
  });
});
