import { beforeEach, describe, expect, it } from "vitest";
import { daysAgo, incomingPost, seedContact, type World, world, xId } from "../testing/builders.js";
import { ingestMentions } from "./ingest-mentions.js";
import { listOpenMentions } from "./list-mentions.js";

let w: World;

beforeEach(async () => {
  w = await world();
  await seedContact(w, { name: "Jane Doe", owner: "U_ANA", identities: [xId("janedoe", "101")] });
  await w.storage.withTenant(w.tenantId, async (r) => {
    const account = await r.socialAccounts.connect({
      platform: "x",
      handle: "helpinghands",
      externalUserId: "900",
      credentials: "token",
    });
    const posts = [1, 2, 3, 4].map((n) => incomingPost(String(n), "janedoe", "101", { postedAt: daysAgo(5 - n) }));
    await ingestMentions(r, { account, posts: [...posts, incomingPost("9", "stranger", "555")] });
  });
});

describe("listOpenMentions", () => {
  it("gives a person their own open mentions, oldest first, and says when there are more", async () => {
    const page = await listOpenMentions(w, { tenantId: w.tenantId, person: "U_ANA", limit: 3 });
    expect(page.mentions.map((m) => m.postId)).toEqual(["1", "2", "3"]);
    expect(page.more).toBe(true);
    expect(await listOpenMentions(w, { tenantId: w.tenantId, person: "U_ANA", limit: 4 })).toMatchObject({
      more: false,
    });
  });

  it("gives everyone's when no person is named, and nothing to someone who owns nothing", async () => {
    const all = await listOpenMentions(w, { tenantId: w.tenantId, limit: 10 });
    expect(all.mentions).toHaveLength(5);
    expect(await listOpenMentions(w, { tenantId: w.tenantId, person: "U_BEN", limit: 10 })).toEqual({
      mentions: [],
      more: false,
    });
  });
});
