import { addContact } from "@touchpoint/core";
import { queryRows } from "@touchpoint/db";
import { sql } from "@touchpoint/db/testing";
import { loadEnv, type RunningServer, silentLogger, startServer } from "@touchpoint/server/testing";
import { MAX_BODY_BYTES } from "@touchpoint/teams";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Activity } from "../support/teams-activities.js";
import { type InstalledOrg as Org, useTeamsServer } from "../support/teams-server.js";

const teams = useTeamsServer();
const { send, ask, press, install } = teams;
const org = teams.organization;
const fake = () => teams.fake();
const database = () => teams.database();

async function touchesIn(tenantId: string) {
  return database().storage.withTenant(tenantId, async (r) => {
    const contacts = await r.contacts.list();
    const all = await Promise.all(contacts.map((c) => r.touchpoints.listForContact(c.id, 100)));
    return all.flat();
  });
}

async function contact(o: Org, name: string, handles: { x?: string; email?: string } = {}) {
  const identities = [
    ...(handles.x ? [{ platform: "x" as const, handle: handles.x, externalUserId: null }] : []),
    ...(handles.email ? [{ platform: "email" as const, handle: handles.email, externalUserId: null }] : []),
  ];
  const added = await addContact(
    { storage: database().storage },
    { tenantId: o.touchpointId, contact: { name, identities } },
  );
  if (!added.ok) throw new Error(added.error.message);
  return added.value;
}

describe("Teams: install, touch and tenancy, through botbuilder and a fake Bot Framework connector", () => {
  let riverside: Org;
  let harbor: Org;

  beforeAll(async () => {
    riverside = await install(org("Riverside Food Bank"));
    harbor = await install(org("Harbor Arts"));
  });

  it("installs two Teams tenants: a tenant each, the installer an admin, one welcome in the channel", async () => {
    expect(riverside.touchpointId).not.toBe(harbor.touchpointId);
    for (const o of [riverside, harbor]) {
      const tenant = await database().storage.tenants.get(o.touchpointId);
      expect(tenant).toMatchObject({ platform: "teams", externalId: o.tenantId, name: o.team.name });
      const admin = await database().storage.withTenant(o.touchpointId, (r) => r.members.get(o.installer.aadObjectId));
      expect(admin?.role).toBe("admin");
      const welcomes = fake().calls.filter(
        (c) => c.conversationId === o.channelId && JSON.stringify(c.activity).includes("Touchpoint is ready"),
      );
      expect(welcomes).toHaveLength(1);
      expect(welcomes[0]?.authorization).toBeUndefined();
    }
  });

  it("stores the conversation reference of the channel it was added to, encrypted at rest", async () => {
    const installation = await database().storage.installations.find("teams", riverside.tenantId);
    expect(installation).toMatchObject({ tenantId: riverside.touchpointId, teamId: riverside.team.id });
    const reference = JSON.parse(installation?.secret ?? "{}");
    expect(reference).toMatchObject({
      channelId: "msteams",
      serviceUrl: fake().serviceUrl,
      conversation: { id: riverside.channelId, tenantId: riverside.tenantId },
      bot: { id: expect.stringMatching(/^28:/) },
    });
    const rows = await queryRows<{ secret: string }>(
      database().handle.db,
      sql`select secret from installations where platform = 'teams' and key = ${riverside.tenantId}`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.secret).toMatch(/^v2\./);
    expect(rows[0]?.secret).not.toContain(riverside.channelId);
  });

  it("logs a touch in each tenant, in its own tenant only, and answers with a 1.5 Adaptive Card", async () => {
    await contact(riverside, "Jane Doe", { x: "janedoe" });
    const logged = await ask(riverside.say.personal(riverside.chat, "touch @JaneDoe called about the gala"));
    expect(logged.card).toMatchObject({
      type: "AdaptiveCard",
      $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
      version: "1.5",
    });
    expect(logged.call.conversationId).toBe(riverside.chat.id);
    expect(logged.text).toContain("Logged a call with Jane Doe");
    expect(logged.text).toContain("First touch with Jane Doe on record.");
    expect(logged.button("Undo").touchpointId).toMatch(/[0-9a-f-]{36}/);

    // Harbor has no Jane: the same message there finds nobody and offers to create her.
    const elsewhere = await ask(harbor.say.personal(harbor.chat, "touch @janedoe called about the gala"));
    expect(elsewhere.text).toContain("No contact matches @janedoe.");
    expect(await touchesIn(harbor.touchpointId)).toEqual([]);

    await contact(harbor, "Omar Haddad", { email: "omar@example.org" });
    const second = await ask(harbor.say.personal(harbor.chat, "touch omar@example.org met yesterday", harbor.member));
    expect(second.text).toContain("Logged a meeting with Omar Haddad");
    const [harborTouch] = await touchesIn(harbor.touchpointId);
    expect(harborTouch).toMatchObject({ source: "teams", channel: "meeting", loggedBy: harbor.member.aadObjectId });

    const riversideTouches = await touchesIn(riverside.touchpointId);
    expect(riversideTouches).toHaveLength(1);
    expect(riversideTouches[0]).toMatchObject({
      source: "teams",
      channel: "call",
      note: "called about the gala",
      loggedBy: riverside.installer.aadObjectId,
    });
  });

  it("logs a touch from a channel @mention, the mention taken out, and answers in the thread", async () => {
    await contact(riverside, "Maria Chen", { email: "maria@example.org" });
    const activity = riverside.say.channel("touch maria@example.org emailed the seating plan");
    const logged = await ask(activity);
    expect(logged.call.conversationId).toBe(activity.conversation.id);
    expect(logged.text).toContain("Logged an email with Maria Chen");
    const touches = (await touchesIn(riverside.touchpointId)).filter((t) => t.note?.includes("seating plan"));
    expect(touches.map((t) => t.note)).toEqual(["emailed the seating plan"]);
  });

  it("answers a redelivered activity (same id) without a second touchpoint", async () => {
    await contact(riverside, "Dev Patel", { x: "devpatel" });
    const activity = riverside.say.personal(riverside.chat, "touch @devpatel coffee about the budget");
    const first = await ask(activity);
    const again = await ask(activity);
    expect(first.text).toContain("Logged a meeting with Dev Patel");
    expect(again.text).toContain("Already logged from this message; nothing new was written.");
    const touches = (await touchesIn(riverside.touchpointId)).filter((t) => t.note?.includes("the budget"));
    expect(touches).toHaveLength(1);
    expect(touches[0]?.sourceRef).toBe(`teams:${riverside.tenantId}:${riverside.chat.id}:${activity.id}`);
  });

  it("says what was wrong with bad input, with an example written the Teams way, and writes nothing", async () => {
    const before = (await touchesIn(riverside.touchpointId)).length;
    const cases: [string, string][] = [
      ["touch", "Say who you were in touch with."],
      ["touch <at>Amy Lee</at> coffee", "colleague"],
      ["touch @janedoe called 2099-01-01", "is in the future"],
      ["hello there", "is not a command"],
    ];
    for (const [text, expected] of cases) {
      const reply = await ask(riverside.say.personal(riverside.chat, text));
      expect(reply.text).toContain(expected);
      expect(reply.text).toMatch(/Usage: touch <who> \[note\] — e\.g\. touch @janedoe called about the gala/);
      expect(reply.text).not.toContain("/touch");
    }
    expect((await touchesIn(riverside.touchpointId)).length).toBe(before);
  });

  it("answers help, listing every command including connect-x and import", async () => {
    const help = await ask(riverside.say.personal(riverside.chat, "help"));
    expect(help.text).toContain("touch <who> [note]");
    expect(help.text).toContain("connect-x");
    expect(help.text).toContain("import");
    expect(help.text).not.toContain("coming to Teams");
  });

  it("undoes a touch in place; a second Undo changes nothing", async () => {
    await contact(riverside, "Lee Park", { x: "leepark" });
    const logged = await ask(riverside.say.personal(riverside.chat, "touch @leepark met about the auction"));
    const messageId = logged.call.id ?? "";
    const undo = () => riverside.say.submit(riverside.chat, messageId, logged.button("Undo"));
    const first = await press(undo());
    expect(first.call).toMatchObject({ method: "PUT", updatesId: messageId, conversationId: riverside.chat.id });
    expect(first.text).toContain("Undone: the meeting with Lee Park is no longer on record.");
    expect(JSON.stringify(fake().message(riverside.chat.id, messageId))).toContain("is no longer on record");
    const second = await press(undo());
    expect(second.text).toContain("was already undone");
    const lee = await database().storage.withTenant(riverside.touchpointId, async (r) => {
      const found = (await r.contacts.findByHandle("leepark"))[0];
      return found ? r.touchpoints.listForContact(found.id, 10) : [];
    });
    expect(lee).toEqual([]);
  });

  it("asks which contact when several match, logs with the one chosen, and refuses a second press", async () => {
    await contact(riverside, "Pat Kim", { email: "pat.kim@example.org" });
    await contact(riverside, "Pat Kim", { email: "pkim@example.com" });
    const asked = await ask(riverside.say.personal(riverside.chat, 'touch "Pat Kim" lunch about volunteering'));
    expect(asked.text).toContain('2 contacts match "Pat Kim". Which one?');
    const choice = asked.button("Pat Kim · pat.kim@example.org");
    const choose = () => riverside.say.submit(riverside.chat, asked.call.id ?? "", choice, riverside.member);
    const logged = await press(choose());
    expect(logged.call.method).toBe("PUT");
    expect(logged.text).toContain("Logged a meeting with Pat Kim");
    const again = await press(choose());
    expect(again.call.method).toBe("POST");
    expect(again.text).toContain("Someone already handled this");
    const touches = (await touchesIn(riverside.touchpointId)).filter((t) => t.note?.includes("volunteering"));
    expect(touches).toHaveLength(1);
    expect(touches[0]).toMatchObject({ contactId: choice.contactId, loggedBy: riverside.member.aadObjectId });
  });

  it("creates an unknown contact from a prefilled card, refusing a bad field first", async () => {
    const asked = await ask(riverside.say.personal(riverside.chat, "touch @newfriend dm thanks for the share"));
    const inputs = asked.card.body.filter((e) => (e as { type: string }).type === "Input.Text") as {
      id: string;
      value?: string;
    }[];
    expect(inputs.find((i) => i.id === "x_handle")?.value).toBe("@newfriend");
    const create = asked.button("Create and log");
    const submit = (fields: Record<string, string>) =>
      riverside.say.submit(riverside.chat, asked.call.id ?? "", { ...create, ...fields });

    const refused = await press(submit({ name: "Nia Friend", x_handle: "@newfriend", email: "not an email" }));
    expect(refused.call.method).toBe("POST");
    expect(refused.text).toContain("Email:");
    expect(
      await database().storage.withTenant(riverside.touchpointId, (r) => r.contacts.findByHandle("newfriend")),
    ).toEqual([]);

    const created = await press(submit({ name: "Nia Friend", x_handle: "@newfriend", segment: "Supporter" }));
    expect(created.call.method).toBe("PUT");
    expect(created.text).toContain("Logged an X DM with Nia Friend");
    const [nia] = await database().storage.withTenant(riverside.touchpointId, (r) =>
      r.contacts.findByHandle("newfriend"),
    );
    expect(nia).toMatchObject({ name: "Nia Friend", segment: "supporter" });
    const touches = await database().storage.withTenant(riverside.touchpointId, (r) =>
      r.touchpoints.listForContact(nia?.id ?? "", 10),
    );
    expect(touches.map((t) => t.note)).toEqual(["dm thanks for the share"]);
  });

  it("answers a Teams tenant that never installed Touchpoint, and writes nothing", async () => {
    const stranger = org("Nobody Installed Us");
    const reply = await ask(stranger.say.personal(stranger.chat, "touch @janedoe called"));
    expect(reply.text).toContain("Touchpoint isn't installed for your organization");
    expect(await database().storage.tenants.findByExternalId("teams", stranger.tenantId)).toBeUndefined();
    expect(await database().storage.installations.find("teams", stranger.tenantId)).toBeUndefined();
  });

  it("stops all work for a tenant when the app is removed, and picks up again on a reinstall", async () => {
    const before = (await touchesIn(harbor.touchpointId)).length;
    expect((await send(harbor.say.installationUpdate("remove"))).status).toBe(200);
    expect(await database().storage.installations.find("teams", harbor.tenantId)).toBeUndefined();
    const refused = await ask(harbor.say.personal(harbor.chat, "touch omar@example.org called"));
    expect(refused.text).toContain("Touchpoint isn't installed for your organization");
    expect((await touchesIn(harbor.touchpointId)).length).toBe(before);

    await install(harbor);
    const welcomes = fake().calls.filter(
      (c) => c.conversationId === harbor.channelId && JSON.stringify(c.activity).includes("Touchpoint is ready"),
    );
    expect(welcomes).toHaveLength(1);
    const logged = await ask(harbor.say.personal(harbor.chat, "touch omar@example.org called"));
    expect(logged.text).toContain("Logged a call with Omar Haddad");
    expect((await touchesIn(harbor.touchpointId)).length).toBe(before + 1);
  });

  it("refuses a body that is too large or not JSON", async () => {
    const huge = await fetch(`${teams.server().http.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "x".repeat(MAX_BODY_BYTES + 1),
    });
    expect(huge.status).toBe(413);
    const garbled = await fetch(`${teams.server().http.url}/api/messages`, { method: "POST", body: "{not json" });
    expect(garbled.status).toBe(400);
  });
});

describe("Teams with an app id", () => {
  let authenticated: RunningServer;
  beforeAll(async () => {
    const env = loadEnv({
      PORT: "0",
      HOST: "127.0.0.1",
      TEAMS_APP_ID: "00000000-0000-0000-0000-000000000001",
      TEAMS_APP_PASSWORD: "not-a-real-secret",
      TOUCHPOINT_SCHEDULER: "off",
    });
    authenticated = await startServer(env, silentLogger, { database: database() });
  });
  afterAll(async () => {
    await authenticated?.stop();
  });

  it("refuses an activity without the Bot Framework's token, and writes nothing", async () => {
    const o = org("Unsigned Org");
    const activities: Activity[] = [o.say.installationUpdate("add"), o.say.personal(o.chat, "touch @janedoe called")];
    for (const activity of activities) {
      const response = await fetch(`${authenticated.http.url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(activity),
      });
      expect(response.status).toBe(401);
    }
    expect(await database().storage.tenants.findByExternalId("teams", o.tenantId)).toBeUndefined();
    expect(fake().calls.filter((c) => c.conversationId === o.channelId || c.conversationId === o.chat.id)).toEqual([]);
  });
});
