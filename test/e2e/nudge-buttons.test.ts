import { ingestMentions, type SocialAccount } from "@touchpoint/core";
import {
  loadEnv,
  type OpenDatabase,
  type RunningServer,
  sharedDatabase,
  silentLogger,
  startServer,
} from "@touchpoint/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockProblems, type FakeSlack, type RecordedCall, startFakeSlack } from "../fakes/slack-web-api.js";
import { buttonPress, triggerId, viewSubmission } from "../support/slack-requests.js";
import { slackClient, type Workspace, workspace } from "../support/slack-workspace.js";
import { xMention } from "../support/x-posts.js";

/**
 * The nudge's buttons through Bolt: the scheduler composes the day's nudge, the sender posts it to
 * the fake Slack, and presses on its buttons go through core and update the message in place.
 */

const SECRET = "signing-secret-for-nudge-buttons";
let fake: FakeSlack;
let server: RunningServer;
let database: OpenDatabase;
let riverside: Workspace;
let posted: RecordedCall;
let mentionIds: Record<string, string>;
let account: SocialAccount;

const { post, install } = slackClient({
  fake: () => fake,
  serverUrl: () => server.http.url,
  database: () => database,
  secret: SECRET,
});

beforeAll(async () => {
  fake = await startFakeSlack({ clientId: "1111.2222", clientSecret: "client-secret-for-tests" });
  database = await sharedDatabase();
  const env = loadEnv({
    PORT: "0",
    HOST: "127.0.0.1",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_CLIENT_ID: "1111.2222",
    SLACK_CLIENT_SECRET: "client-secret-for-tests",
    SLACK_STATE_SECRET: "state-secret-for-tests",
    SLACK_API_URL: fake.apiUrl,
    TOUCHPOINT_SCHEDULER: "on",
  });
  server = await startServer(env, silentLogger, { database, slackWebApiRetries: 0 });
  riverside = await install(workspace("Riverside Food Bank"));

  await database.storage.withTenant(riverside.tenantId, async (r) => {
    await r.tenant.update({
      nudgeChannel: "C0NUDGES",
      nudgeTime: "00:00",
      timeZone: "UTC",
      settings: { ownerDms: true },
    });
    const dev = await r.contacts.create({ name: "Dev Patel", segment: "board", owner: riverside.member });
    await r.touchpoints.record({
      contactId: dev.id,
      occurredAt: new Date(Date.now() - 80 * 86_400_000),
      channel: "meeting",
      direction: "outbound",
      note: "budget review",
      loggedBy: "U0AMY",
      source: "cli",
      sourceRef: "nudge-buttons-dev",
    });
    await r.contacts.create({
      name: "Jane Doe",
      segment: "major donor",
      identities: [{ platform: "x", handle: "janedoe", externalUserId: "101" }],
    });
    account = await r.socialAccounts.connect({
      platform: "x",
      handle: "riversidefood",
      externalUserId: "900",
      credentials: "token",
    });
    await ingestMentions(r, {
      account,
      posts: [
        xMention("8801", { handle: "janedoe", id: "101" }, "@riversidefood will you be at the gala?"),
        xMention("8802", { handle: "newfriend", id: "555" }, "@riversidefood how do I volunteer?"),
      ],
    });
    mentionIds = Object.fromEntries((await r.mentions.listOpen(10)).map((m) => [m.postId, m.id]));
  });
  await server.nudges?.schedule();
  posted = await fake.waitFor(
    "chat.postMessage",
    (c) => c.teamId === riverside.teamId && c.args.channel === "C0NUDGES",
  );
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

/** The value of the posted nudge's `actionId` button whose value matches. */
function buttonValue(actionId: string, matches: (value: Record<string, string>) => boolean): string {
  const blocks = posted.args.blocks as { elements?: { action_id: string; value: string }[] }[];
  const value = blocks
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === actionId && matches(JSON.parse(e.value)))?.value;
  if (!value) throw new Error(`no ${actionId} button`);
  return value;
}

/** Presses a button on the posted nudge as `userId`; the ephemeral answers go to its own response_url. */
async function press(actionId: string, postId: string, userId: string, trigger = triggerId()) {
  const value = buttonValue(actionId, (v) => v.mentionId === mentionIds[postId]);
  return pressValue(actionId, value, userId, trigger);
}

async function pressValue(actionId: string, value: string, userId: string, trigger = triggerId()) {
  const responseUrl = fake.responseUrl(`nudge-${Math.random().toString(36).slice(2)}`);
  const response = await post(
    buttonPress({
      teamId: riverside.teamId,
      userId,
      actionId,
      value,
      responseUrl,
      container: { type: "message", channel_id: "C0NUDGES", message_ts: posted.response.ts, is_ephemeral: false },
      triggerId: trigger,
    }),
  );
  expect(response.status).toBe(200);
  return responseUrl;
}

/** Opens a nudge modal with a button, then submits it with `values`; resolves with the submission's answer. */
async function throughModal(
  actionId: string,
  value: string,
  values: Record<string, Record<string, Record<string, unknown>>>,
) {
  const trigger = triggerId();
  await pressValue(actionId, value, riverside.member, trigger);
  const opened = await fake.waitFor("views.open", (c) => c.args.trigger_id === trigger);
  const view = opened.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
  expect(blockProblems(view.blocks)).toEqual([]);
  const response = await post(
    viewSubmission({
      teamId: riverside.teamId,
      userId: riverside.member,
      callbackId: view.callback_id,
      values,
      privateMetadata: view.private_metadata,
      viewId: `V0${trigger.replace(/\W/g, "").slice(-8).toUpperCase()}`,
    }),
  );
  expect(response.status).toBe(200);
  const text = await response.text();
  return {
    view,
    answer: (text ? JSON.parse(text) : {}) as { response_action?: string; errors?: Record<string, string> },
  };
}
const updates = () => fake.callsTo("chat.update").filter((c) => c.teamId === riverside.teamId);

describe("the nudge's buttons in Slack", () => {
  it("posts the nudge with the metadata and a row of buttons under each mention, within Slack's limits", () => {
    expect(posted.args.metadata).toMatchObject({
      event_type: "touchpoint_digest",
      event_payload: { tenant_id: riverside.tenantId },
    });
    expect(blockProblems(posted.args.blocks)).toEqual([]);
    const text = JSON.stringify(posted.args.blocks);
    for (const label of ["Mark replied", "Snooze a day", "Snooze a week", "Assign to me"])
      expect(text).toContain(label);
  });

  it("sends Dev Patel's owner their own contacts by direct message, with the same buttons", async () => {
    const dm = await fake.waitFor(
      "chat.postMessage",
      (c) => c.teamId === riverside.teamId && c.args.channel === riverside.member,
    );
    const text = JSON.stringify(dm.args.blocks);
    expect(text).toContain("your contacts at Riverside Food Bank");
    expect(text).toContain("Dev Patel");
    expect(text).not.toContain("Jane Doe");
    expect(text).toContain("nudge_log_touch");
    expect(blockProblems(dm.args.blocks)).toEqual([]);
    expect(dm.args.metadata).toMatchObject({ event_type: "touchpoint_digest" });
  });

  it("Mark replied: done once, shown in place with who did it; a second press is told and changes nothing", async () => {
    await press("nudge_replied", "8801", riverside.member);
    const updated = await fake.waitFor("chat.update", (c) => c.teamId === riverside.teamId);
    expect(updated.args).toMatchObject({ channel: "C0NUDGES", ts: posted.response.ts });
    expect(JSON.stringify(updated.args.blocks)).toContain(`${riverside.member} marked it replied`);
    expect(blockProblems(updated.args.blocks)).toEqual([]);

    const touches = () =>
      database.storage.withTenant(riverside.tenantId, async (r) => {
        const jane = (await r.contacts.list()).find((c) => c.name === "Jane Doe");
        return jane ? r.touchpoints.countSince(jane.id, new Date(0)) : undefined;
      });
    expect(await touches()).toMatchObject({ outbound: 1 });

    const again = await press("nudge_replied", "8801", riverside.installer);
    const told = await fake.waitFor("response_url", (c) => c.path.endsWith(again.split("/").pop() ?? ""));
    expect(told.args).toMatchObject({ response_type: "ephemeral", replace_original: false });
    // (The test workspace's short user ids are shown as typed; real ones become <@U…> mentions.)
    expect(String(told.args.text)).toBe(`${riverside.member} already marked it replied; nothing was done twice.`);
    expect(await touches()).toMatchObject({ outbound: 1 });
  });

  it("Snooze a week and Assign to me: each shown on the message, the mention set aside or taken", async () => {
    const before = updates().length;
    await press("nudge_snooze_week", "8802", riverside.installer);
    await expect.poll(() => updates().length).toBe(before + 1);
    const last = updates().at(-1);
    expect(JSON.stringify(last?.args.blocks)).toContain(`${riverside.installer} snoozed it for a week`);
    // What was done before stays shown.
    expect(JSON.stringify(last?.args.blocks)).toContain(`${riverside.member} marked it replied`);
    const snoozed = await database.storage.withTenant(riverside.tenantId, (r) =>
      r.mentions.get(mentionIds["8802"] ?? ""),
    );
    expect(snoozed?.status).toBe("snoozed");
    expect(snoozed?.snoozedUntil?.getTime()).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);

    await press("nudge_assign", "8802", riverside.member);
    await expect.poll(() => updates().length).toBe(before + 2);
    const mention = await database.storage.withTenant(riverside.tenantId, (r) =>
      r.mentions.get(mentionIds["8802"] ?? ""),
    );
    expect(mention?.assignee).toBe(riverside.member);
    const late = await press("nudge_assign", "8802", riverside.installer);
    const told = await fake.waitFor("response_url", (c) => c.path.endsWith(late.split("/").pop() ?? ""));
    expect(String(told.args.text)).toBe(`${riverside.member} already has it; nothing was done twice.`);
  });

  it("a press on a nudge that is no longer kept still does it, and says what it did, privately", async () => {
    const mentionId = await database.storage.withTenant(riverside.tenantId, async (r) => {
      await ingestMentions(r, {
        account,
        posts: [xMention("8803", { handle: "janedoe", id: "101" }, "@riversidefood see you at the fair")],
      });
      return (await r.mentions.listOpen(20)).find((m) => m.postId === "8803")?.id ?? "";
    });
    // The button of a day whose nudge isn't kept (as a long-gone or forged message would carry).
    const value = JSON.stringify({ mentionId, localDate: "2020-01-01", kind: "daily", owner: null });
    const before = updates().length;
    const url = await pressValue("nudge_snooze_day", value, riverside.member);
    const told = await fake.waitFor("response_url", (c) => c.path.endsWith(url.split("/").pop() ?? ""));
    expect(told.args).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(told.args.text)).toBe("The mention was snoozed for a day.");
    expect(updates()).toHaveLength(before);
    const mention = await database.storage.withTenant(riverside.tenantId, (r) => r.mentions.get(mentionId));
    expect(mention?.status).toBe("snoozed");
  });

  it("Log touch on a contact going cold: the modal logs it as /touch would, and the message says so", async () => {
    const before = updates().length;
    const { view, answer } = await throughModal(
      "nudge_log_touch",
      buttonValue("nudge_log_touch", (v) => v.name === "Dev Patel"),
      {
        channel: { value: { type: "static_select", selected_option: { value: "call" } } },
        note: { value: { type: "plain_text_input", value: "thanked him for the budget work" } },
      },
    );
    expect(JSON.stringify(view.blocks)).toContain("With *Dev Patel*");
    expect(answer.response_action).toBeUndefined();
    await expect.poll(() => updates().length).toBe(before + 1);
    expect(JSON.stringify(updates().at(-1)?.args.blocks)).toContain(`${riverside.member} logged a touch (call)`);
    const last = await database.storage.withTenant(riverside.tenantId, async (r) => {
      const dev = (await r.contacts.list()).find((c) => c.name === "Dev Patel");
      return dev && r.touchpoints.latest(dev.id);
    });
    expect(last).toMatchObject({ channel: "call", direction: "outbound", note: "thanked him for the budget work" });
  });

  it("Add as contact on a new voice: prefilled from X, the author's mentions join the new contact", async () => {
    const before = updates().length;
    const bad = await throughModal(
      "nudge_add_contact",
      buttonValue("nudge_add_contact", (v) => v.mentionId === mentionIds["8802"]),
      {
        name: { value: { type: "plain_text_input", value: "Nina Friend" } },
        email: { value: { type: "plain_text_input", value: "not an email" } },
      },
    );
    expect(bad.answer).toMatchObject({ response_action: "errors", errors: { email: expect.any(String) } });
    expect(JSON.stringify(bad.view.blocks)).toContain("newfriend");

    const { answer } = await throughModal(
      "nudge_add_contact",
      buttonValue("nudge_add_contact", (v) => v.mentionId === mentionIds["8802"]),
      {
        name: { value: { type: "plain_text_input", value: "Nina Friend" } },
        segment: { value: { type: "plain_text_input", value: "volunteer" } },
      },
    );
    expect(answer.response_action).toBeUndefined();
    await expect.poll(() => updates().length).toBe(before + 1);
    expect(JSON.stringify(updates().at(-1)?.args.blocks)).toContain(`${riverside.member} added them as a contact`);
    const nina = await database.storage.withTenant(riverside.tenantId, async (r) => {
      const contact = (await r.contacts.list()).find((c) => c.name === "Nina Friend");
      return { contact, mention: await r.mentions.get(mentionIds["8802"] ?? "") };
    });
    expect(nina.contact).toMatchObject({
      segment: "volunteer",
      identities: [{ platform: "x", handle: "newfriend", externalUserId: "555" }],
    });
    expect(nina.mention?.contactId).toBe(nina.contact?.id);
  });
});
