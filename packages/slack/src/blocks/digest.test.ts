import type { Digest, DigestPost } from "@touchpoint/core";
import { describe, expect, it } from "vitest";
import { blockProblems } from "../../../../test/fakes/slack-web-api.js";
import { digestMessage } from "./digest.js";

const LONG = "x".repeat(10_000);

function post(n: number): DigestPost {
  return {
    mentionId: `m${n}`,
    postId: String(n),
    url: `https://x.com/someone/status/${n}`,
    text: `<b>${LONG}</b> & more`,
    postedAt: new Date("2026-11-20T10:00:00Z"),
    ageHours: 26,
    authorHandle: "someone",
    authorName: LONG,
  };
}

const contact = { id: "c1", name: LONG, segment: "major donor", owner: "U0AMY0000" };

/** A day with everything at its longest: each list full, every text 10,000 characters. */
const busyDay: Digest = {
  tenantId: "t1",
  organization: LONG,
  timeZone: "America/New_York",
  asOf: new Date("2026-11-21T14:00:00Z"),
  localDate: "2026-11-21",
  owner: null,
  kind: "daily",
  dayLabel: "Saturday 21 Nov",
  waiting: { items: [1, 2, 3, 4, 5].map((n) => ({ post: post(n), contact, assignee: "U0SAM0000" })), total: 200 },
  goingCold: {
    items: [1, 2, 3, 4, 5].map(() => ({
      contact,
      daysSince: 62,
      cadenceDays: 30,
      reason: "62 days since the last touch; cadence 30",
      lastTouch: { channel: "call" as const, occurredAt: new Date("2026-09-20T12:00:00Z"), note: LONG },
    })),
    total: 300,
  },
  newVoices: { items: [6, 7, 8].map((n) => ({ post: post(n), followers: 240_000 })), total: 999 },
  skippedBots: { items: [{ post: post(9), why: LONG }], total: 40 },
  stats: { yesterday: { mentions: 9, replied: 6 }, medianReplyMinutes: 130, conversationRatio: 0.64 },
  empty: false,
};

describe("the daily nudge in Block Kit", () => {
  it("stays within Slack's limits on the longest day, and says how many more", () => {
    const rendered = digestMessage(busyDay);
    expect(blockProblems(rendered.blocks)).toEqual([]);
    expect(rendered.text.length).toBeLessThanOrEqual(3000);
    const text = JSON.stringify(rendered.blocks);
    expect(text).toContain("and 195 more");
    expect(text).toContain("and 295 more");
    expect(text).toContain("and 996 more");
    expect(text).toContain("&lt;b&gt;");
    expect(text).not.toContain("<b>");
    expect(text).toContain("median reply 2 h 10 m · 7-day conversation ratio 64%");
  });

  it("with buttons under every item, or what was done with them, stays within the limits too", () => {
    const withButtons = digestMessage(busyDay, { buttons: true });
    expect(blockProblems(withButtons.blocks)).toEqual([]);
    const ids = JSON.stringify(withButtons.blocks).match(/"action_id":"nudge_\w+"/g) ?? [];
    // 8 mentions × (replied, 2 snoozes); Assign for the 3 new voices (the waiting 5 are assigned);
    // Add as contact for the new voices; Log touch for the 5 going cold.
    expect(ids).toHaveLength(8 * 3 + 3 + 3 + 5);
    const handled = digestMessage(busyDay, {
      buttons: true,
      actions: { "mention:m1": { kind: "replied", by: "U0123ABCDE", at: "2026-11-02T10:00:00.000Z" } },
    });
    expect(blockProblems(handled.blocks)).toEqual([]);
    expect(JSON.stringify(handled.blocks)).toContain("<@U0123ABCDE> marked it replied");
  });

  it("keeps a post's link whole whatever its URL or author holds", () => {
    const odd = { ...post(1), url: "https://x.com/a|b>c/status/1", authorHandle: "eve|<!channel>" };
    const rendered = digestMessage({
      ...busyDay,
      waiting: { items: [{ post: odd, contact, assignee: "<!here>" }], total: 1 },
    });
    const text = JSON.stringify(rendered.blocks);
    expect(text).toContain("<https://x.com/a%7Cb%3Ec/status/1|@eve¦&lt;!channel&gt;>");
    expect(text).toContain("assigned to &lt;!here&gt;");
    expect(text).not.toContain("<!channel>");
  });

  it("says all caught up on an empty day", () => {
    const quiet: Digest = {
      ...busyDay,
      organization: "Riverside Food Bank",
      waiting: { items: [], total: 0 },
      goingCold: { items: [], total: 0 },
      newVoices: { items: [], total: 0 },
      skippedBots: { items: [], total: 0 },
      empty: true,
    };
    const rendered = digestMessage(quiet);
    expect(rendered.text).toBe("Riverside Food Bank: all caught up");
    expect(JSON.stringify(rendered.blocks)).toContain("All caught up");
  });
});
