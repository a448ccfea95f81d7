import { addContact } from "@touchpoint/core";
import { describe, expect, it } from "vitest";
import type { ConnectorCall } from "../fakes/teams-connector.js";
import { useTeamsServer } from "../support/teams-server.js";

/**
 * The daily nudge in Teams: the scheduler composes it, and the sender delivers it proactively, as
 * an Adaptive Card, into the channel the app was added to, through the same outbox as Slack's:
 * throttling (429 with Retry-After, 412) is waited out and tried again; after a 5xx the sender
 * looks for its card through Microsoft Graph (the fake's) before posting again, and where the app
 * may not read the channel, it does not post again.
 */

/** Graph is trusted to list a post this long after it (30 s in production). */
const SETTLE_SECONDS = 2;

const teams = useTeamsServer(
  {
    TOUCHPOINT_SCHEDULER: "on",
    TOUCHPOINT_DELIVERY_RETRY_SECONDS: "1",
    TEAMS_GRAPH_SETTLE_SECONDS: String(SETTLE_SECONDS),
    NODE_ENV: "test",
  },
  { graph: true },
);
const fake = () => teams.fake();
const graph = () => teams.graph();
const database = () => teams.database();
const server = () => teams.server();

/**
 * Installs the app in a new organization's team and gives it a contact going cold, due now. The
 * connector knows the team, and Graph its channel, with the app's consent to read it or without.
 */
async function dueOrganization(name: string, options: { readonly consent?: boolean } = {}) {
  const org = await teams.install(name);
  fake().addTeam(org.team);
  graph().addTeam({ aadGroupId: org.team.aadGroupId, channelIds: [org.channelId], consent: options.consent ?? true });
  const added = await addContact(
    { storage: database().storage },
    { tenantId: org.touchpointId, contact: { name: `Dev Patel of ${name}`, segment: "board" } },
  );
  if (!added.ok) throw new Error(added.error.message);
  await database().storage.withTenant(org.touchpointId, async (r) => {
    await r.tenant.update({ nudgeTime: "00:00", timeZone: "UTC" });
    await r.touchpoints.record({
      contactId: added.value.id,
      occurredAt: new Date(Date.now() - 80 * 86_400_000),
      channel: "meeting",
      direction: "outbound",
      note: "budget review",
      loggedBy: org.installer.aadObjectId,
      source: "cli",
      sourceRef: `teams-nudge-${org.tenantId}`,
    });
  });
  const tenant = await database().storage.tenants.get(org.touchpointId);
  if (!tenant) throw new Error("the install created no tenant");
  return { org, tenant };
}

/** The nudge cards the connector holds in a channel (its welcome card on install aside). */
const nudgesIn = (channelId: string) =>
  fake()
    .conversationMessages(channelId)
    .filter((message) => JSON.stringify(message.activity).includes("Dev Patel"));

const isNudge = (channelId: string) => (call: ConnectorCall) =>
  call.method === "POST" && call.conversationId === channelId && JSON.stringify(call.activity).includes("Dev Patel");

function cardOf(call: ConnectorCall): Record<string, unknown> {
  const content = call.activity.attachments?.[0]?.content;
  if (!content || typeof content !== "object") throw new Error("the nudge has no card");
  return content as Record<string, unknown>;
}

describe("the daily nudge in Teams", () => {
  it("goes to the channel the app was added to, as an Adaptive Card carrying tenant_id, local_date and its delivery", async () => {
    const { org, tenant } = await dueOrganization("Riverside Food Bank");
    expect(tenant.nudgeChannel).toBe(org.channelId);

    await server().nudges?.schedule();
    const call = await fake().waitFor(isNudge(org.channelId));
    expect(call.status).toBe(200);
    expect(call.activity.attachments?.[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    const card = cardOf(call);
    // Adaptive Cards 1.5 have no free-form field: the two values ride in hidden inputs.
    const hidden = Object.fromEntries(
      (card.body as { type: string; id?: string; value?: string; isVisible?: boolean }[])
        .filter((element) => element.type === "Input.Text" && element.isVisible === false)
        .map((element) => [element.id, element.value]),
    );
    const localDate = new Date().toISOString().slice(0, 10);
    const [delivery] = await database().storage.withTenant(tenant.id, (r) => r.nudges.deliveries(localDate));
    expect(hidden).toEqual({ tenant_id: tenant.id, local_date: localDate, delivery_id: delivery?.id });
    expect(JSON.stringify(card)).toContain("80 days");

    // Sent once: another tick finds today's nudge already claimed.
    await server().nudges?.schedule();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake().calls.filter(isNudge(org.channelId))).toHaveLength(1);
  });

  it("waits out a 429's Retry-After; after a 502 looks for its card through Graph, then delivers once", async () => {
    const { org } = await dueOrganization("Harbor Arts");
    fake().failNext(1, 429, { "retry-after": "2" });
    fake().failNext(1, 502);
    await server().nudges?.schedule();

    const delivered = await fake().waitFor((call) => isNudge(org.channelId)(call) && call.status === 200, 20_000);
    const tries = fake().calls.filter(isNudge(org.channelId));
    expect(tries.map((call) => call.status)).toEqual([429, 502, 200]);
    const [throttled, failed] = tries as [ConnectorCall, ConnectorCall];
    // Its Retry-After, not the 5 s assumed when a 429 names none.
    expect(failed.at.getTime() - throttled.at.getTime()).toBeGreaterThanOrEqual(2_000);
    expect(failed.at.getTime() - throttled.at.getTime()).toBeLessThan(4_500);
    // The 502 may have posted it: the channel was read (and the card not found) before the post,
    // once Graph could list it (not after the 1 s backoff).
    const looked = graph().calls.filter((call) => call.conversationId === org.channelId);
    expect(looked.map((call) => call.status)).toEqual([200]);
    expect(looked[0]?.at.getTime()).toBeGreaterThanOrEqual(failed.at.getTime() + SETTLE_SECONDS * 1000);
    expect(delivered.at.getTime()).toBeGreaterThan(looked[0]?.at.getTime() ?? 0);
    expect(nudgesIn(org.channelId)).toHaveLength(1);
  }, 30_000);

  it("after a 502 in a channel it may not read, does not post again: counted unknown, and `nudges` still shows it", async () => {
    const { org, tenant } = await dueOrganization("Lakeside Shelter", { consent: false });
    fake().acceptThenFailNext(1, 502);
    await server().nudges?.schedule();

    const localDate = new Date().toISOString().slice(0, 10);
    await expect
      .poll(async () => (await database().storage.nudges.unknownOutcomes()).get(tenant.id), { timeout: 20_000 })
      .toBe(1);
    const read = await graph().waitFor((call) => call.conversationId === org.channelId);
    expect(read.status).toBe(403);
    // The one card the connector took, and no second.
    expect(nudgesIn(org.channelId)).toHaveLength(1);
    expect(
      fake()
        .calls.filter(isNudge(org.channelId))
        .map((call) => call.status),
    ).toEqual([502]);
    const [delivery] = await database().storage.withTenant(tenant.id, (r) => r.nudges.deliveries(localDate));
    expect(delivery).toMatchObject({ status: "unknown", lastError: expect.stringContaining("Graph HTTP 403") });

    const metrics = await (await fetch(`${server().http.url}/metrics`)).text();
    expect(metrics).toMatch(/touchpoint_nudge_deliveries_total\{outcome="unknown"\} 1\b/);

    // Whoever asks still sees the day's nudge.
    const shown = await teams.ask(org.say.personal(org.chat, "nudges"));
    expect(shown.text).toContain(`Dev Patel of Lakeside Shelter`);
  }, 30_000);
});
