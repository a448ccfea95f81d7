import type { Digest, DigestPost } from "@touchpoint/core";
import { describe, expect, it } from "vitest";
import type { AdaptiveCard, CardElement, SubmitAction, TextRun } from "./card.js";
import { digestCard, nudgeButtonOf } from "./digest.js";

const TENANT = "0a1b2c3d-0000-4000-8000-000000000001";

function post(n: number, text = `Loved the gala, thank you! #${n}`): DigestPost {
  return {
    mentionId: `m${n}`,
    postId: String(n),
    url: `https://x.com/someone/status/${n}`,
    text,
    postedAt: new Date("2026-11-20T10:00:00Z"),
    ageHours: 26,
    authorHandle: "someone",
    authorName: "Someone Nice",
  };
}

const maria = { id: "c1", name: "Maria Chen", segment: "major donor", owner: "Sam Rivera" };

const day: Digest = {
  tenantId: TENANT,
  organization: "Riverside Food Bank",
  timeZone: "America/New_York",
  asOf: new Date("2026-11-21T14:00:00Z"),
  localDate: "2026-11-21",
  owner: null,
  kind: "daily",
  dayLabel: "Saturday 21 Nov",
  waiting: {
    items: [1, 2, 3, 4, 5].map((n) => ({ post: post(n), contact: maria, assignee: n === 2 ? "Alex Kim" : null })),
    total: 40,
  },
  goingCold: {
    items: [1, 2, 3, 4, 5].map((n) => ({
      contact: { ...maria, id: `c${n}` },
      daysSince: 62,
      cadenceDays: 30,
      reason: "62 days since the last touch (cadence 30)",
      lastTouch: {
        channel: "call" as const,
        occurredAt: new Date("2026-09-20T12:00:00Z"),
        note: "talked about the gala",
      },
    })),
    total: 300,
  },
  newVoices: { items: [6, 7, 8].map((n) => ({ post: post(n), followers: 240_000 })), total: 12 },
  skippedBots: {
    items: [{ post: { ...post(9), authorHandle: "xx_promo" }, why: "3 followers, follows 4,800" }],
    total: 6,
  },
  stats: { yesterday: { mentions: 9, replied: 6 }, medianReplyMinutes: 130, conversationRatio: 0.64 },
  empty: false,
};

const quiet: Digest = {
  ...day,
  waiting: { items: [], total: 0 },
  goingCold: { items: [], total: 0 },
  newVoices: { items: [], total: 0 },
  skippedBots: { items: [], total: 0 },
  empty: true,
};

/** The card's elements in reading order, containers opened. */
function elements(list: readonly CardElement[]): CardElement[] {
  return list.flatMap((e) => (e.type === "Container" ? [e, ...elements(e.items)] : [e]));
}

/** What the card says, one line per text element, in order. */
function lines(card: AdaptiveCard): string[] {
  return elements(card.body).flatMap((e) =>
    e.type === "TextBlock" ? [e.text] : e.type === "RichTextBlock" ? [e.inlines.map((r) => r.text).join("")] : [],
  );
}

function buttons(card: AdaptiveCard): SubmitAction[] {
  return elements(card.body).flatMap((e) => (e.type === "ActionSet" ? e.actions : []));
}

function runs(card: AdaptiveCard): TextRun[] {
  return elements(card.body).flatMap((e) => (e.type === "RichTextBlock" ? e.inlines : []));
}

describe("the daily nudge as an Adaptive Card", () => {
  it("says what Slack's says, in the same order", () => {
    const card = digestCard(day);
    const said = lines(card);
    expect(card.fallbackText).toBe("40 waiting for a reply, 300 going cold, 12 new voices");
    expect(said[0]).toBe("Good morning, Riverside Food Bank — Saturday 21 Nov");
    const at = (line: string) => said.indexOf(line);
    const order = [
      "Waiting for a reply (40)",
      "and 35 more",
      "Going cold (300)",
      "and 295 more",
      "New voices (12)",
      "and 9 more",
      "Skipped 6 likely bots (@xx_promo: 3 followers, follows 4,800; and 5 more)",
      "Yesterday 9 mentions · 6 replied · median reply 2 h 10 m · 7-day conversation ratio 64%",
    ].map(at);
    expect(order.every((index) => index > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(said).toContain("• Maria Chen · major donor · owner Sam Rivera · @someone · 1 day ago");
    expect(said).toContain(
      "• Maria Chen · major donor · owner Sam Rivera · @someone · 1 day ago · assigned to Alex Kim",
    );
    expect(said).toContain("“Loved the gala, thank you! #1”");
    expect(said).toContain("• Maria Chen · major donor · owner Sam Rivera · 62 days since the last touch (cadence 30)");
    expect(said).toContain("last: call 20 Sep “talked about the gala”");
    expect(said).toContain("• Someone Nice · @someone · 1 day ago · 240k followers");
    expect(said.filter((l) => l.startsWith("• "))).toHaveLength(13);
    expect(said.join("\n")).not.toContain("All caught up");
  });

  it("links each post from its author's handle", () => {
    const handles = runs(digestCard(day)).filter((r) => r.text === "@someone");
    expect(handles).toHaveLength(8);
    expect(handles[0]?.selectAction).toEqual({ type: "Action.OpenUrl", url: "https://x.com/someone/status/1" });
    const odd = digestCard({
      ...day,
      waiting: {
        items: [{ post: { ...post(1), url: "javascript:alert(1)" }, contact: maria, assignee: null }],
        total: 1,
      },
    });
    expect(JSON.stringify(odd)).not.toContain("javascript:");
  });

  it("says all caught up on an empty day, and still carries which nudge it is", () => {
    const card = digestCard(quiet, { buttons: true });
    expect(card.fallbackText).toBe("Riverside Food Bank: all caught up");
    expect(lines(card)).toEqual([
      "Good morning, Riverside Food Bank — Saturday 21 Nov",
      "🎉 All caught up: nobody is waiting for a reply and no relationship is going cold.",
      "Yesterday 9 mentions · 6 replied · median reply 2 h 10 m · 7-day conversation ratio 64%",
    ]);
    expect(buttons(card)).toEqual([]);
    expect(card.body.slice(0, 2)).toEqual([
      { type: "Input.Text", id: "tenant_id", value: TENANT, isVisible: false },
      { type: "Input.Text", id: "local_date", value: "2026-11-21", isVisible: false },
    ]);
  });

  it("carries the delivery it was posted for, when the sender posts it, beside which nudge it is", () => {
    const deliveryId = "5b0e1c9a-3f2d-4e8b-9a71-2c6d8e4f0b13";
    const posted = digestCard(day, { buttons: true, deliveryId });
    expect(posted.body.slice(0, 3)).toEqual([
      { type: "Input.Text", id: "tenant_id", value: TENANT, isVisible: false },
      { type: "Input.Text", id: "local_date", value: "2026-11-21", isVisible: false },
      { type: "Input.Text", id: "delivery_id", value: deliveryId, isVisible: false },
    ]);
    // The same lines and buttons as without it: it is not shown.
    expect(lines(posted)).toEqual(lines(digestCard(day, { buttons: true })));
    expect(buttons(posted)).toEqual(buttons(digestCard(day, { buttons: true })));
    // `nudges` shows the day's nudge to one person: no delivery of it exists.
    expect(JSON.stringify(digestCard(day))).not.toContain("delivery_id");
  });

  it("heads the first nudge and an owner's own view as Slack does", () => {
    expect(lines(digestCard({ ...day, kind: "welcome" }))[0]).toBe(
      "Here is what you missed this week, Riverside Food Bank",
    );
    expect(lines(digestCard({ ...day, owner: "29:sam" }))[0]).toBe(
      "Good morning — your contacts at Riverside Food Bank, Saturday 21 Nov",
    );
  });

  it("puts each item's buttons under it, carrying the nudge and the item", () => {
    const card = digestCard(day, { buttons: true });
    const all = buttons(card);
    const count = (action: string) => all.filter((b) => b.data.action === action).length;
    expect(count("nudge_replied")).toBe(8);
    expect(count("nudge_snooze_day")).toBe(8);
    expect(count("nudge_snooze_week")).toBe(8);
    // Waiting mentions not yet assigned (4 of 5), and every new voice.
    expect(count("nudge_assign")).toBe(4 + 3);
    expect(count("nudge_add_contact")).toBe(3);
    expect(count("nudge_log_touch")).toBe(5);
    expect(all).toHaveLength(8 * 3 + 7 + 3 + 5);
    expect(all[0]).toEqual({
      type: "Action.Submit",
      title: "Mark replied",
      style: "positive",
      data: { action: "nudge_replied", tenant_id: TENANT, local_date: "2026-11-21", kind: "daily", item: "mention:m1" },
    });
    expect(all.find((b) => b.data.action === "nudge_log_touch")?.data).toEqual({
      action: "nudge_log_touch",
      tenant_id: TENANT,
      local_date: "2026-11-21",
      kind: "daily",
      item: "contact:c1",
      name: "Maria Chen",
    });
    expect(all.find((b) => b.data.action === "nudge_add_contact")?.data.item).toBe("mention:m6");
    // Nothing asks for more room than Teams shows in a row.
    for (const set of elements(card.body).filter((e) => e.type === "ActionSet")) {
      expect(set.actions.length).toBeLessThanOrEqual(5);
    }
  });

  it("carries the owner in an owner's view, and reads a button back", () => {
    const [first] = buttons(digestCard({ ...day, kind: "welcome", owner: "29:sam" }, { buttons: true }));
    expect(first?.data).toMatchObject({ owner: "29:sam", kind: "welcome" });
    expect(nudgeButtonOf(first?.data)).toEqual({
      tenantId: TENANT,
      localDate: "2026-11-21",
      kind: "welcome",
      owner: "29:sam",
      item: "mention:m1",
    });
    expect(nudgeButtonOf({ action: "nudge_replied", item: "mention:m1" })).toBeUndefined();
    expect(nudgeButtonOf("nudge_replied")).toBeUndefined();
  });

  it("shows what someone did in place of the buttons, by name when it is known", () => {
    const card = digestCard(day, {
      buttons: true,
      actions: {
        "mention:m1": { kind: "replied", by: "29:sam", at: "2026-11-21T15:00:00.000Z" },
        "mention:m7": { kind: "snoozed", by: "29:alex", at: "2026-11-21T15:00:00.000Z", detail: "for a week" },
        "contact:c2": { kind: "touched", by: "29:sam", at: "2026-11-21T15:00:00.000Z", detail: "(call)" },
      },
      nameOf: (id) => (id === "29:sam" ? "Sam Rivera" : undefined),
    });
    const said = lines(card);
    expect(said).toContain("✅ Sam Rivera marked it replied");
    expect(said).toContain("✅ 29:alex snoozed it for a week");
    expect(said).toContain("✅ Sam Rivera logged a touch (call)");
    const items = buttons(card).map((b) => b.data.item);
    expect(items).not.toContain("mention:m1");
    expect(items).not.toContain("mention:m7");
    expect(items).not.toContain("contact:c2");
    expect(buttons(card)).toHaveLength(8 * 3 + 7 + 3 + 5 - 4 - 5 - 1);
  });

  it("without buttons is the nudge alone", () => {
    const card = digestCard(day, { actions: { "mention:m1": { kind: "replied", by: "29:sam", at: "x" } } });
    expect(buttons(card)).toEqual([]);
    expect(lines(card).join("\n")).not.toContain("✅");
  });

  it("never lets what others wrote become markdown or break a line", () => {
    const sneaky = "**Verify** [your account](https://evil.example)\n\n- now\u0001";
    const card = digestCard(
      {
        ...day,
        waiting: {
          items: [
            { post: { ...post(1, sneaky), authorName: sneaky }, contact: { ...maria, name: sneaky }, assignee: null },
          ],
          total: 1,
        },
      },
      { buttons: true },
    );
    for (const e of elements(card.body)) if (e.type === "TextBlock") expect(e.text).not.toContain("evil");
    expect(lines(card)).toContain("“**Verify** [your account](https://evil.example) - now”");
  });
});
