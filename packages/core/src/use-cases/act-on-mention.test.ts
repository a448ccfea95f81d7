import { beforeEach, describe, expect, it } from "vitest";
import { nudgeItemKey } from "../domain/nudge.js";
import {
  daysAgo,
  incomingPost,
  NOW,
  seedContact,
  touchesOf,
  unwrap,
  type World,
  world,
  xId,
} from "../testing/builders.js";
import { actOnMention, type MentionAct } from "./act-on-mention.js";
import { ingestMentions } from "./ingest-mentions.js";
import { queueNudgeNow } from "./schedule-nudges.js";

let w: World;
let janeId: string;
let ids: Record<string, string>;
const TODAY = "2026-03-10";

beforeEach(async () => {
  w = await world();
  janeId = (await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe", "101")] })).id;
  await w.storage.withTenant(w.tenantId, async (r) => {
    await r.tenant.update({ nudgeChannel: "C0NUDGES" });
    const account = await r.socialAccounts.connect({
      platform: "x",
      handle: "helpinghands",
      externalUserId: "900",
      credentials: "token",
    });
    await ingestMentions(r, {
      account,
      posts: [
        incomingPost("1", "janedoe", "101", { postedAt: daysAgo(1) }),
        incomingPost("2", "stranger", "555", { postedAt: daysAgo(1) }),
      ],
    });
    const open = await r.mentions.listOpen(10);
    ids = Object.fromEntries(open.map((m) => [m.postId, m.id]));
  });
  unwrap(await queueNudgeNow(w.deps, w.tenantId));
});

const act = (mentionId: string, by: string, what: MentionAct) =>
  actOnMention(w.deps, {
    tenantId: w.tenantId,
    mentionId,
    by,
    nudge: { localDate: TODAY, kind: "daily", owner: null },
    act: what,
    source: "slack",
  });

describe("actOnMention", () => {
  it("marks a contact's mention replied once, logging the outbound touch, and says who did it to a second press", async () => {
    const first = unwrap(await act(ids["1"] ?? "", "U_SAM", { kind: "reply" }));
    expect(first).toMatchObject({
      done: true,
      action: { kind: "replied", by: "U_SAM", at: NOW.replace("Z", ".000Z") },
    });
    expect(first.nudge?.actions[nudgeItemKey({ mentionId: ids["1"] ?? "" })]).toMatchObject({ kind: "replied" });
    const outbound = (await touchesOf(w, janeId)).filter((t) => t.direction === "outbound");
    expect(outbound).toMatchObject([{ channel: "x_reply", loggedBy: "U_SAM", source: "slack" }]);

    const second = unwrap(await act(ids["1"] ?? "", "U_AMY", { kind: "reply" }));
    expect(second).toMatchObject({ done: false, action: { kind: "replied", by: "U_SAM" } });
    expect((await touchesOf(w, janeId)).filter((t) => t.direction === "outbound")).toHaveLength(1);
    // Snoozing what is answered is stale too.
    expect(unwrap(await act(ids["1"] ?? "", "U_AMY", { kind: "snooze", days: 1 }))).toMatchObject({ done: false });
  });

  it("snoozes a stranger's mention for a week: out of the waiting list until then", async () => {
    const snoozed = unwrap(await act(ids["2"] ?? "", "U_SAM", { kind: "snooze", days: 7 }));
    expect(snoozed.action).toMatchObject({ kind: "snoozed", detail: "for a week" });
    const mention = await w.storage.withTenant(w.tenantId, (r) => r.mentions.get(ids["2"] ?? ""));
    expect(mention).toMatchObject({ status: "snoozed", snoozedUntil: new Date(Date.parse(NOW) + 7 * 86_400_000) });
    // No touch for a stranger: there is no contact to log it on.
    expect(await touchesOf(w, janeId)).toHaveLength(1);
  });

  it("assigns to whoever pressed first; the second press is told who has it", async () => {
    expect(unwrap(await act(ids["2"] ?? "", "U_SAM", { kind: "assign" }))).toMatchObject({ done: true });
    expect(unwrap(await act(ids["2"] ?? "", "U_AMY", { kind: "assign" }))).toMatchObject({
      done: false,
      action: { kind: "assigned", by: "U_SAM" },
    });
    expect((await w.storage.withTenant(w.tenantId, (r) => r.mentions.get(ids["2"] ?? "")))?.assignee).toBe("U_SAM");
  });

  it("says so for a mention that is not there, and changes nothing", async () => {
    const missing = await act("00000000-0000-4000-8000-000000000000", "U_SAM", { kind: "reply" });
    expect(missing).toMatchObject({ ok: false, error: { kind: "unknown_mention" } });
  });
});
