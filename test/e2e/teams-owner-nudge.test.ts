import { addContact } from "@touchpoint/core";
import { describe, expect, it } from "vitest";
import type { ConnectorCall } from "../fakes/teams-connector.js";
import { useTeamsServer } from "../support/teams-server.js";

/**
 * Owner DMs in Teams: with the tenant's `ownerDms` on, the owner of a relationship going cold gets
 * their own nudge, in a 1:1 chat the bot creates through the connector (Create Conversation),
 * while the team's nudge still goes to the channel the app was added to.
 */

const teams = useTeamsServer({ TOUCHPOINT_SCHEDULER: "on", TOUCHPOINT_DELIVERY_RETRY_SECONDS: "1" });
const fake = () => teams.fake();
const database = () => teams.database();
const server = () => teams.server();

const mentions = (name: string) => (call: ConnectorCall) =>
  call.method === "POST" && JSON.stringify(call.activity).includes(name);

describe("the owner's own nudge in Teams", () => {
  it("goes to the owner in a 1:1 chat the bot creates, and the team's still goes to the channel", async () => {
    const org = await teams.install("Lakeside Literacy");
    // Owned by the installer as `contact owner @… me` stores it in Teams: their Entra object id.
    const owner = org.installer.aadObjectId;
    const added = await addContact(
      { storage: database().storage },
      { tenantId: org.touchpointId, contact: { name: "Rosa Lin", segment: "board", owner } },
    );
    if (!added.ok) throw new Error(added.error.message);
    await database().storage.withTenant(org.touchpointId, async (r) => {
      expect(await r.members.get(org.installer.aadObjectId)).toMatchObject({ role: "admin" });
      await r.tenant.update({ nudgeTime: "00:00", timeZone: "UTC", settings: { ownerDms: true } });
      await r.touchpoints.record({
        contactId: added.value.id,
        occurredAt: new Date(Date.now() - 80 * 86_400_000),
        channel: "meeting",
        direction: "outbound",
        note: "annual report",
        loggedBy: org.installer.aadObjectId,
        source: "cli",
        sourceRef: `teams-owner-nudge-${org.tenantId}`,
      });
    });

    await server().nudges?.schedule();

    const created = await fake().waitForCreated((c) => c.parameters.members?.[0]?.id === owner, 10_000);
    expect(created.status).toBe(201);
    expect(created.parameters).toMatchObject({
      isGroup: false,
      members: [{ id: owner }],
      tenantId: org.tenantId,
      channelData: { tenant: { id: org.tenantId } },
    });
    expect(created.parameters.bot?.id).toEqual(expect.any(String));
    const chat = created.id;
    if (!chat) throw new Error("the fake created no conversation");
    expect(chat).toMatch(/^a:/);

    const dm = await fake().waitFor((call) => call.conversationId === chat && mentions("Rosa Lin")(call), 10_000);
    expect(dm.status).toBe(200);
    expect(dm.replyToId).toBeUndefined();
    expect(dm.activity.attachments?.[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");

    const team = await fake().waitFor(
      (call) => call.conversationId === org.channelId && mentions("Rosa Lin")(call),
      10_000,
    );
    expect(team.status).toBe(200);

    // Once each: another tick finds today's nudge already claimed.
    await server().nudges?.schedule();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake().created.filter((c) => c.parameters.members?.[0]?.id === owner)).toHaveLength(1);
    expect(
      fake()
        .calls.filter(mentions("Rosa Lin"))
        .map((call) => call.conversationId)
        .sort(),
    ).toEqual([chat, org.channelId].sort());
  }, 30_000);
});
