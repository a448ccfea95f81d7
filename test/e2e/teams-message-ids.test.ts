import { addContact } from "@touchpoint/core";
import { beforeAll, describe, expect, it } from "vitest";
import { personalChat } from "../support/teams-activities.js";
import { type InstalledOrg, useTeamsServer } from "../support/teams-server.js";

/**
 * Teams message ids are millisecond timestamps, unique only within a conversation: two people
 * writing in their own chats in the same millisecond send activities with the same id. Each is
 * its own touch; a redelivery (same conversation, same id) is still one.
 */

const teams = useTeamsServer();
const { ask, install } = teams;
const database = () => teams.database();

let org: InstalledOrg;
let janeId: string;

const touchesOfJane = () =>
  database().storage.withTenant(org.touchpointId, (r) => r.touchpoints.listForContact(janeId, 100));

beforeAll(async () => {
  org = await install("Millbrook Shelter");
  const added = await addContact(
    { storage: database().storage },
    {
      tenantId: org.touchpointId,
      contact: { name: "Jane Doe", identities: [{ platform: "x", handle: "janedoe", externalUserId: null }] },
    },
  );
  if (!added.ok) throw new Error(added.error.message);
  janeId = added.value.id;
});

describe("Teams: two chats, one message id", () => {
  it("logs a touch for each chat's message, and a redelivery in one chat logs nothing twice", async () => {
    const amysChat = personalChat();
    const samsChat = personalChat();
    const amys = org.say.personal(amysChat, "touch @janedoe called about the gala");
    const sams = { ...org.say.personal(samsChat, "touch @janedoe emailed the budget", org.member), id: amys.id };

    const amysReply = await ask(amys);
    const samsReply = await ask(sams);
    expect(amysReply.text).toContain("Logged a call with Jane Doe");
    expect(samsReply.text).toContain("Logged an email with Jane Doe");
    expect(samsReply.text).not.toContain("Already logged");
    expect(samsReply.call.conversationId).toBe(samsChat.id);

    const redelivered = await ask(sams);
    expect(redelivered.text).toContain("Already logged from this message; nothing new was written.");
    expect(redelivered.button("Undo")).toEqual(samsReply.button("Undo"));

    const touches = await touchesOfJane();
    expect(touches.map((t) => [t.note, t.loggedBy]).sort()).toEqual(
      [
        ["called about the gala", org.installer.aadObjectId],
        ["emailed the budget", org.member.aadObjectId],
      ].sort(),
    );
  });
});
