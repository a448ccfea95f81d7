import { ingestMentions, type SocialAccount } from "@touchpoint/core";
import { beforeAll, describe, expect, it } from "vitest";
import type { ConnectorCall } from "../fakes/teams-connector.js";
import { type Conversation, type SentCard, sentCard } from "../support/teams-activities.js";
import { type InstalledOrg, useTeamsServer } from "../support/teams-server.js";
import { xMention } from "../support/x-posts.js";

/**
 * The nudge's buttons in Teams: the scheduler composes the day's nudge, the sender posts it to the
 * fake connector with its buttons, and each press goes through core and replaces the nudge card
 * in place (a PUT on the card's message) to show who did what. A stale press changes nothing.
 */

const teams = useTeamsServer({ TOUCHPOINT_SCHEDULER: "on", TOUCHPOINT_DELIVERY_RETRY_SECONDS: "1" });
const { send, press } = teams;
const fake = () => teams.fake();
const database = () => teams.database();

let org: InstalledOrg;
let tenantId: string;
let devId: string;
let nudge: ConnectorCall;
let mentionIds: Record<string, string>;
let account: SocialAccount;

/** The channel the nudge was posted to: presses on it come from there. */
const channel = (): Conversation => ({ id: org.channelId, conversationType: "channel", isGroup: true });

beforeAll(async () => {
  org = await teams.install("Lakeside Literacy");
  tenantId = org.touchpointId;
  await database().storage.withTenant(tenantId, async (r) => {
    await r.tenant.update({ nudgeTime: "00:00", timeZone: "UTC" });
    const dev = await r.contacts.create({ name: "Dev Patel", segment: "board" });
    devId = dev.id;
    await r.touchpoints.record({
      contactId: dev.id,
      occurredAt: new Date(Date.now() - 80 * 86_400_000),
      channel: "meeting",
      direction: "outbound",
      note: "budget review",
      loggedBy: org.installer.aadObjectId,
      source: "cli",
      sourceRef: `teams-nudge-buttons-${org.tenantId}`,
    });
    await r.contacts.create({
      name: "Jane Doe",
      segment: "major donor",
      identities: [{ platform: "x", handle: "janedoe", externalUserId: "101" }],
    });
    account = await r.socialAccounts.connect({
      platform: "x",
      handle: "lakesidelit",
      externalUserId: "900",
      credentials: "token",
    });
    await ingestMentions(r, {
      account,
      posts: [
        xMention("9901", { handle: "janedoe", id: "101" }, "@lakesidelit will you be at the gala?"),
        xMention("9902", { handle: "newfriend", id: "555", name: "New Friend" }, "@lakesidelit how do I volunteer?"),
        xMention("9903", { handle: "janedoe", id: "101" }, "@lakesidelit loved the reading night"),
        xMention("9904", { handle: "janedoe", id: "101" }, "@lakesidelit can I bring my book club?"),
        xMention("9905", { handle: "janedoe", id: "101" }, "@lakesidelit any openings for tutors?"),
      ],
    });
    mentionIds = Object.fromEntries((await r.mentions.listOpen(10)).map((m) => [m.postId, m.id]));
  });

  await teams.server().nudges?.schedule();
  nudge = await fake().waitFor(
    (call) =>
      call.method === "POST" && call.conversationId === org.channelId && JSON.stringify(call.activity).includes("Dev"),
  );
  expect(nudge.status).toBe(200);
});

/** The data of the nudge's button with this title on this item. */
function buttonOn(card: SentCard["card"], title: string, item: string): Record<string, string> {
  let found: Record<string, string> | undefined;
  const walk = (node: unknown): void => {
    if (found || typeof node !== "object" || node === null) return;
    const action = node as { type?: string; title?: string; data?: Record<string, string> };
    if (action.type === "Action.Submit" && action.title === title && action.data?.item === item) {
      found = action.data;
      return;
    }
    for (const child of Object.values(node)) walk(child);
  };
  walk(card);
  if (!found) throw new Error(`no "${title}" button on ${item}`);
  return found;
}

/** The value of a card's hidden input with this id. */
function hiddenInput(card: SentCard["card"], id: string): string | undefined {
  const found = JSON.stringify(card).match(new RegExp(`"id":"${id}"[^}]*?"value":"([^"]*)"`));
  return found?.[1];
}

const posted = () => sentCard(nudge).card;
const onMention = (postId: string) => `mention:${mentionIds[postId]}`;

const mention = (postId: string) =>
  database().storage.withTenant(tenantId, (r) => r.mentions.get(mentionIds[postId] ?? ""));
const nudgeNow = () => fake().message(org.channelId, nudge.id ?? "");
const puts = () => fake().calls.filter((c) => c.method === "PUT" && c.updatesId === nudge.id).length;

/** Presses and waits for the reply beside the pressed card (not the PUT that may come first). */
async function pressForReply(activity: ReturnType<typeof org.say.submit>): Promise<SentCard> {
  const since = fake().calls.length;
  expect((await send(activity)).status).toBe(200);
  const call = await fake().waitFor((c) => fake().calls.indexOf(c) >= since && c.replyToId === activity.id);
  expect(call.status).toBe(200);
  return sentCard(call);
}

describe("the nudge's buttons in Teams", () => {
  it("is delivered with its buttons", () => {
    const text = JSON.stringify(posted());
    for (const action of [
      "nudge_replied",
      "nudge_snooze_day",
      "nudge_snooze_week",
      "nudge_assign",
      "nudge_log_touch",
    ]) {
      expect(text).toContain(`"action":"${action}"`);
    }
    expect(text).toContain('"action":"nudge_add_contact"');
  });

  it("refuses a press carrying another tenant's tenant_id, and writes nothing", async () => {
    const data = buttonOn(posted(), "Mark replied", onMention("9901"));
    const before = puts();
    const answer = await pressForReply(
      org.say.submit(channel(), nudge.id ?? "", { ...data, tenant_id: "00000000-0000-4000-8000-00000000dead" }),
    );
    expect(answer.text).toContain("another organization");
    expect((await mention("9901"))?.status).toBe("needs_reply");
    expect(puts()).toBe(before);
  });

  it("Mark replied logs the outbound touch and replaces the card in place; a second press changes nothing", async () => {
    // Teams sends the card's inputs with the button's data: the hidden delivery id among them.
    const deliveryId = hiddenInput(posted(), "delivery_id");
    expect(deliveryId).toMatch(/^[0-9a-f-]{36}$/);
    const data = { ...buttonOn(posted(), "Mark replied", onMention("9901")), delivery_id: deliveryId };
    const replaced = await press(org.say.submit(channel(), nudge.id ?? "", data));
    expect(replaced.call.method).toBe("PUT");
    expect(replaced.call.updatesId).toBe(nudge.id);
    expect(replaced.text).toContain("Amy Admin marked it replied");
    // The card in place still carries it, so the sender's look-up still finds its card.
    expect(hiddenInput(replaced.card, "delivery_id")).toBe(deliveryId);
    const stored = await mention("9901");
    expect(stored?.status).toBe("replied");
    const touches = await database().storage.withTenant(tenantId, async (r) =>
      r.touchpoints.listForContact(stored?.contactId ?? "", 10),
    );
    expect(touches.filter((t) => t.channel === "x_reply" && t.direction === "outbound")).toHaveLength(1);

    // Sam, on the card as it was: told Amy was first; nothing twice.
    const stale = await pressForReply(org.say.submit(channel(), nudge.id ?? "", data, org.member));
    expect(stale.text).toContain("Amy Admin already marked it replied");
    const after = await database().storage.withTenant(tenantId, async (r) =>
      r.touchpoints.listForContact(stored?.contactId ?? "", 10),
    );
    expect(after).toHaveLength(touches.length);
  });

  it("Snooze a day and Snooze a week snooze the mention", async () => {
    const day = await press(
      org.say.submit(channel(), nudge.id ?? "", buttonOn(posted(), "Snooze a day", onMention("9903"))),
    );
    expect(day.call.updatesId).toBe(nudge.id);
    expect(day.text).toContain("Amy Admin snoozed it for a day");
    const week = await press(
      org.say.submit(channel(), nudge.id ?? "", buttonOn(posted(), "Snooze a week", onMention("9905")), org.member),
    );
    expect(week.text).toContain("Sam Staff snoozed it for a week");
    const [one, seven] = [await mention("9903"), await mention("9905")];
    expect(one?.status).toBe("snoozed");
    expect(seven?.status).toBe("snoozed");
    const days = (m: typeof one) => ((m?.snoozedUntil?.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(days(one)).toBeGreaterThan(0.9);
    expect(days(one)).toBeLessThan(1.1);
    expect(days(seven)).toBeGreaterThan(6.9);
  });

  it("a press on a nudge that is no longer kept still does it, and says what it did", async () => {
    const mentionId = await database().storage.withTenant(tenantId, async (r) => {
      await ingestMentions(r, {
        account,
        posts: [xMention("9906", { handle: "janedoe", id: "101" }, "@lakesidelit see you at the fair")],
      });
      return (await r.mentions.listOpen(20)).find((m) => m.postId === "9906")?.id ?? "";
    });
    // A card of a day whose nudge isn't kept (as a forged or long-gone card would carry).
    const data = { ...buttonOn(posted(), "Snooze a day", onMention("9903")), item: `mention:${mentionId}` };
    const gone = { ...data, local_date: "2020-01-01" };
    const before = puts();
    const answer = await pressForReply(org.say.submit(channel(), nudge.id ?? "", gone));
    expect(answer.text).toContain("The mention was snoozed for a day.");
    expect(answer.text).not.toContain("no longer here");
    expect(puts()).toBe(before);
    expect((await database().storage.withTenant(tenantId, (r) => r.mentions.get(mentionId)))?.status).toBe("snoozed");
  });

  it("Assign to me takes an unassigned mention; whoever is second is told who has it", async () => {
    const data = buttonOn(posted(), "Assign to me", onMention("9904"));
    const taken = await press(org.say.submit(channel(), nudge.id ?? "", data, org.member));
    expect(taken.text).toContain("Sam Staff took it");
    expect((await mention("9904"))?.assignee).toBe(org.member.aadObjectId);

    const stale = await pressForReply(org.say.submit(channel(), nudge.id ?? "", data));
    expect(stale.text).toContain("Sam Staff already has it");
    expect((await mention("9904"))?.assignee).toBe(org.member.aadObjectId);
  });

  it("Log touch opens a form; submitting it logs the touch and updates the nudge in place", async () => {
    const data = buttonOn(posted(), "Log touch", `contact:${devId}`);
    const form = await pressForReply(org.say.submit(channel(), nudge.id ?? "", data));
    expect(form.text).toContain("Dev Patel");
    const putsBefore = puts();
    const submitted = form.button("Log touch");
    const confirmed = await press(
      org.say.submit(channel(), form.call.id ?? "", { ...submitted, channel: "call", note: "caught up on the gala" }),
    );
    expect(confirmed.call.updatesId).toBe(form.call.id);
    expect(confirmed.text).toContain("Logged a call with Dev Patel");
    expect(puts()).toBe(putsBefore + 1);
    expect(JSON.stringify(nudgeNow())).toContain("Amy Admin logged a touch (call)");
    const touches = await database().storage.withTenant(tenantId, (r) => r.touchpoints.listForContact(devId, 10));
    expect(touches.filter((t) => t.note === "caught up on the gala").map((t) => t.source)).toEqual(["teams"]);

    // The form again, and Log touch on the card as it was: nothing twice.
    const again = await pressForReply(
      org.say.submit(channel(), form.call.id ?? "", { ...submitted, channel: "email", note: "again" }, org.member),
    );
    expect(again.text).toContain("Amy Admin already logged a touch");
    const stale = await pressForReply(org.say.submit(channel(), nudge.id ?? "", data, org.member));
    expect(stale.text).toContain("Amy Admin already logged a touch");
    const after = await database().storage.withTenant(tenantId, (r) => r.touchpoints.listForContact(devId, 10));
    expect(after).toHaveLength(touches.length);
  });

  it("Add as contact opens a form prefilled from the X author; submitting it adds the contact", async () => {
    const data = buttonOn(posted(), "Add as contact", onMention("9902"));
    const form = await pressForReply(org.say.submit(channel(), nudge.id ?? "", data));
    expect(form.text).toContain("@newfriend");
    expect(form.text).toContain("New Friend");
    const added = await press(
      org.say.submit(channel(), form.call.id ?? "", {
        ...form.button("Add contact"),
        name: "New Friend",
        segment: "volunteer",
        email: "",
      }),
    );
    expect(added.call.updatesId).toBe(form.call.id);
    expect(added.text).toContain("as a contact");
    expect(JSON.stringify(nudgeNow())).toContain("Amy Admin added them as a contact");
    const [contact] = await database().storage.withTenant(tenantId, (r) => r.contacts.findByHandle("newfriend"));
    expect(contact?.name).toBe("New Friend");
    expect((await mention("9902"))?.contactId).toBe(contact?.id);

    const stale = await pressForReply(org.say.submit(channel(), nudge.id ?? "", data, org.member));
    expect(stale.text).toContain("Amy Admin already added them as a contact");
  });
});
