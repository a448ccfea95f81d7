import { addContact } from "@touchpoint/core";
import { describe, expect, it } from "vitest";
import type { ConnectorCall } from "../fakes/teams-connector.js";
import { useTeamsServer } from "../support/teams-server.js";

/**
 * The daily nudge in Teams: the scheduler composes it, and the sender delivers it proactively, as
 * an Adaptive Card, into the channel the app was added to, through the same outbox as Slack's:
 * throttling (429 with Retry-After, 412) and the connector's 502s are waited out and tried again.
 */

const teams = useTeamsServer({ TOUCHPOINT_SCHEDULER: "on", TOUCHPOINT_DELIVERY_RETRY_SECONDS: "1" });
const fake = () => teams.fake();
const database = () => teams.database();
const server = () => teams.server();

/** Installs the app in a new organization's team and gives it a contact going cold, due now. */
async function dueOrganization(name: string) {
  const org = await teams.install(name);
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

const isNudge = (channelId: string) => (call: ConnectorCall) =>
  call.method === "POST" && call.conversationId === channelId && JSON.stringify(call.activity).includes("Dev Patel");

function cardOf(call: ConnectorCall): Record<string, unknown> {
  const content = call.activity.attachments?.[0]?.content;
  if (!content || typeof content !== "object") throw new Error("the nudge has no card");
  return content as Record<string, unknown>;
}

describe("the daily nudge in Teams", () => {
  it("goes to the channel the app was added to, as an Adaptive Card carrying tenant_id and local_date", async () => {
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
    expect(hidden).toEqual({ tenant_id: tenant.id, local_date: new Date().toISOString().slice(0, 10) });
    expect(JSON.stringify(card)).toContain("80 days");

    // Sent once: another tick finds today's nudge already claimed.
    await server().nudges?.schedule();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake().calls.filter(isNudge(org.channelId))).toHaveLength(1);
  });

  it("waits out a 429's Retry-After and tries again after a 502, then delivers once", async () => {
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
    expect(delivered.at.getTime()).toBeGreaterThan(failed.at.getTime());
  }, 30_000);
});
