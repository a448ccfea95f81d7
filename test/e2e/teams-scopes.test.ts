import { randomUUID } from "node:crypto";
import { addContact } from "@touchpoint/core";
import { describe, expect, it } from "vitest";
import { type Activity, groupChat, personalChat } from "../support/teams-activities.js";
import { type InstalledOrg as Org, type TestOrg, useTeamsServer } from "../support/teams-server.js";

/**
 * Where in an organization the app is (its team, group chats, people's personal scopes), who that
 * makes an admin, and which activities are Touchpoint's to act on: through botbuilder's own
 * request handling and the fake Bot Framework connector.
 */

const teams = useTeamsServer();
const { send, ask, install } = teams;
const fake = () => teams.fake();
const database = () => teams.database();

/** The app added somewhere, as Teams says it: both install events at once. */
async function add(o: TestOrg, from = o.member, chat = personalChat()) {
  const responses = await Promise.all([
    send(o.say.installationUpdate("add", from, chat)),
    send(o.say.botAdded(from, chat)),
  ]);
  expect(responses.map((r) => r.status)).toEqual([200, 200]);
  return chat;
}

async function removeFrom(o: TestOrg, chat?: ReturnType<typeof personalChat>, from = o.member) {
  expect((await send(o.say.installationUpdate("remove", from, chat))).status).toBe(200);
}

async function rolesOf(o: Org) {
  const members = await database().storage.withTenant(o.touchpointId, (r) => r.members.list());
  return Object.fromEntries(members.map((m) => [m.platformUserId, m.role]));
}

async function installation(o: TestOrg) {
  return database().storage.installations.find("teams", o.tenantId);
}

/** The conversation the installation's stored reference names (what the nudge notifier starts from). */
async function referenceConversation(o: TestOrg) {
  const found = await installation(o);
  return (JSON.parse(found?.secret ?? "{}") as { conversation?: { id?: string } }).conversation?.id;
}

async function xStatus(o: Org) {
  return (await database().storage.withTenant(o.touchpointId, (r) => r.socialAccounts.list()))[0]?.status;
}

async function connectX(o: Org) {
  await database().storage.withTenant(o.touchpointId, (r) =>
    r.socialAccounts.connect({
      platform: "x",
      handle: `org${o.tenantId.slice(0, 8)}`,
      externalUserId: randomUUID(),
      credentials: "t",
    }),
  );
}

const welcomesIn = (conversationId: string) =>
  fake().calls.filter(
    (c) => c.conversationId === conversationId && JSON.stringify(c.activity).includes("Touchpoint is ready"),
  );

describe("Teams: the places an organization has the app", () => {
  it("a member's personal add, group-chat add and removals neither make them admin nor uninstall", async () => {
    const o = await install("Riverside Food Bank");
    await connectX(o);
    const personal = await add(o);
    const group = await add(o, o.member, groupChat());
    expect(await rolesOf(o)).toEqual({ [o.installer.aadObjectId]: "admin" });
    // The organization was already there: no second welcome, in either chat.
    expect([...welcomesIn(personal.id), ...welcomesIn(group.id)]).toEqual([]);
    expect(await referenceConversation(o)).toBe(group.id);

    // Sam, a member, is told so when he asks for the settings in his own chat.
    const refused = await ask(o.say.personal(personal, "settings", o.member));
    expect(refused.text).toContain("Only Touchpoint admins can change settings");

    await removeFrom(o, group);
    await removeFrom(o, personal);
    expect(await installation(o)).toMatchObject({ tenantId: o.touchpointId });
    // The reference came from the group chat; with it gone, the team's took its place.
    expect(await referenceConversation(o)).toBe(o.channelId);
    expect(await xStatus(o)).toBe("active");
    expect(await rolesOf(o)).toEqual({ [o.installer.aadObjectId]: "admin" });

    await addContact({ storage: database().storage }, { tenantId: o.touchpointId, contact: { name: "Jane Doe" } });
    const logged = await ask(o.say.channel('touch "Jane Doe" called about the gala', o.member));
    expect(logged.text).toContain("Logged a call with Jane Doe");
  });

  it("uninstalls when the last team removes it, though a personal install remains", async () => {
    const o = await install("Harbor Arts");
    await connectX(o);
    const personal = await add(o);
    await removeFrom(o, undefined, o.installer);
    expect(await installation(o)).toBeUndefined();
    expect(await xStatus(o)).toBe("paused");
    const refused = await ask(o.say.personal(personal, "touch @janedoe called", o.member));
    expect(refused.text).toContain("Touchpoint isn't installed for your organization");

    // Added to the team again: installed, X resumed, and the re-adder is no more admin than before.
    await install(o);
    expect(await installation(o)).toBeDefined();
    expect(await xStatus(o)).toBe("active");
    expect(await rolesOf(o)).toEqual({ [o.installer.aadObjectId]: "admin" });
  });

  it("an organization that starts in a personal chat: its first adder is admin; it ends with its last chat", async () => {
    const o = teams.organization("Chat-only Collective");
    const amysChat = await add(o, o.installer);
    const tenant = await database().storage.tenants.findByExternalId("teams", o.tenantId);
    if (!tenant) throw new Error("the personal add created no organization");
    const org: Org = { ...o, touchpointId: tenant.id };
    expect(welcomesIn(amysChat.id)).toHaveLength(1);
    expect(tenant.nudgeChannel).toBeNull();
    const samsChat = await add(o, o.member);
    expect(await rolesOf(org)).toEqual({ [o.installer.aadObjectId]: "admin" });

    await removeFrom(o, amysChat, o.installer);
    expect(await installation(o)).toBeDefined();
    expect(await referenceConversation(o)).toBe(samsChat.id);
    await removeFrom(o, samsChat);
    expect(await installation(o)).toBeUndefined();
  });
});

describe("Teams: activities that are no Teams organization's word", () => {
  /** What an activity wrote and said: the tenants, and the connector calls into its conversations. */
  async function traces(o: TestOrg, conversations: readonly string[]) {
    return {
      tenant: await database().storage.tenants.findByExternalId("teams", o.tenantId),
      calls: fake().calls.filter((c) => conversations.includes(c.conversationId)).length,
    };
  }

  it("refuses a channel other than msteams and writes nothing, but takes the Emulator while unauthenticated", async () => {
    const o = teams.organization("Not From Teams");
    const chat = personalChat();
    const asWebChat = (activity: Activity) => ({ ...activity, channelId: "webchat" });
    for (const activity of [o.say.installationUpdate("add"), o.say.botAdded(), o.say.personal(chat, "help")]) {
      expect((await send(asWebChat(activity))).status).toBe(200);
    }
    expect(await traces(o, [o.channelId, chat.id])).toEqual({ tenant: undefined, calls: 0 });

    const installed = await install(teams.organization("Installed Org"));
    const before = fake().calls.length;
    expect((await send(asWebChat(installed.say.personal(installed.chat, "help")))).status).toBe(200);
    expect((await send({ ...installed.say.personal(installed.chat, "help"), channelId: "slack" })).status).toBe(200);
    // The Emulator is for local use, which an unauthenticated server is: it is answered.
    const emulated = await ask({ ...installed.say.personal(installed.chat, "help"), channelId: "emulator" });
    expect(emulated.text).toContain("touch <who> [note]");
    expect(
      fake()
        .calls.slice(before)
        .map((c) => c.replyToId),
    ).toEqual([emulated.call.replyToId]);
  });

  it("refuses an activity whose channelData tenant is not its conversation's, and writes nothing", async () => {
    const victim = await install("Victim Org");
    await addContact({ storage: database().storage }, { tenantId: victim.touchpointId, contact: { name: "Jane Doe" } });
    const attacker = teams.organization("Attacker Org");
    const claimingVictim = <T extends Activity>(activity: T): T => ({
      ...activity,
      channelData: { ...(activity.channelData as object), tenant: { id: victim.tenantId } },
    });

    // An install in the attacker's tenant that says it is the victim's: no organization for either.
    expect((await send(claimingVictim(attacker.say.installationUpdate("add")))).status).toBe(200);
    expect(await traces(attacker, [attacker.channelId])).toEqual({ tenant: undefined, calls: 0 });

    // A touch from the victim's own chat naming another tenant in channelData: no touch, no reply.
    const before = fake().calls.length;
    const touch = victim.say.personal(victim.chat, 'touch "Jane Doe" called');
    const crossed = { ...touch, channelData: { tenant: { id: attacker.tenantId } } };
    expect((await send(crossed)).status).toBe(200);
    const touches = await database().storage.withTenant(victim.touchpointId, async (r) => {
      const [jane] = await r.contacts.findByName("Jane Doe");
      return jane ? r.touchpoints.listForContact(jane.id, 10) : [];
    });
    expect(touches).toEqual([]);
    expect(fake().calls.length).toBe(before);
    // The same message with its own tenant is logged: the refusal was the tenant, nothing else.
    expect((await ask(touch)).text).toContain("Logged a call with Jane Doe");
  });
});
