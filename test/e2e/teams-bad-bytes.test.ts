import { queryRows } from "@touchpoint/db";
import { sql } from "@touchpoint/db/testing";
import {
  loadEnv,
  type OpenDatabase,
  type RunningServer,
  recordingLogger,
  sharedDatabase,
  startServer,
} from "@touchpoint/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeTeamsConnector, startFakeTeamsConnector } from "../fakes/teams-connector.js";
import { personalChat, teamsActivities, teamsClient, teamsOrg } from "../support/teams-activities.js";

// useTeamsServer's server, but logging into `log`: one test reads what the server logged.
let fake: FakeTeamsConnector;
let server: RunningServer;
let db: OpenDatabase;
const log = recordingLogger();
beforeAll(async () => {
  fake = await startFakeTeamsConnector();
  db = await sharedDatabase();
  const env = loadEnv({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    TEAMS_ALLOW_UNAUTHENTICATED: "true",
    TOUCHPOINT_SCHEDULER: "off",
  });
  server = await startServer(env, log.logger, { database: db });
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});
const { send, ask, press } = teamsClient({ fake: () => fake, serverUrl: () => server.http.url });
const database = () => db;

interface Org {
  readonly say: ReturnType<typeof teamsActivities>;
  readonly chat: ReturnType<typeof personalChat>;
  readonly touchpointId: string;
}

/** The app added to a new organization's team, as Teams delivers it. */
async function install(name: string): Promise<Org> {
  const teams = teamsOrg(name);
  const say = teamsActivities(teams, () => fake.serviceUrl);
  const responses = await Promise.all([send(say.installationUpdate("add")), send(say.botAdded())]);
  expect(responses.map((r) => r.status)).toEqual([200, 200]);
  const tenant = await db.storage.tenants.findByExternalId("teams", teams.tenantId);
  if (!tenant) throw new Error("the install created no tenant");
  return { say, chat: personalChat(), touchpointId: tenant.id };
}

/** Everything a message could have written for the tenant: contacts, touches, waiting touches. */
async function written(o: Org) {
  const [row] = await queryRows<{ contacts: number; touches: number; pending: number }>(
    database().handle.db,
    sql`select (select count(*)::int from contacts where tenant_id = ${o.touchpointId}) as contacts,
               (select count(*)::int from touchpoints where tenant_id = ${o.touchpointId}) as touches,
               (select count(*)::int from pending_actions where tenant_id = ${o.touchpointId}) as pending`,
  );
  if (!row) throw new Error("the counts query returned no row");
  return row;
}

describe("Teams: text PostgreSQL can't hold, through botbuilder's own request handling", () => {
  let org: Org;
  const say = (text: string) => ask(org.say.personal(org.chat, text));

  beforeAll(async () => {
    org = await install("Lakeside Library");
    await say("contact add Jane Doe @janedoe");
  });

  it("answers a message holding a NUL, half an emoji or a control character clearly, and writes nothing", async () => {
    const before = await written(org);
    const nul = await say("touch @janedoe called\u0000 about the gala");
    expect(nul.text).toContain(
      "The text holds a NUL character (U+0000) after “…ouch @janedoe called”; remove it and send it again.",
    );
    expect(nul.text).toContain("Usage: touch <who> [note]");
    // JSON carries half an emoji as it is (a form-encoded Slack body cannot).
    const half = await say("contact tag @janedoe gala\uD83C");
    expect(half.text).toContain("holds a broken character (half of a UTF-16 surrogate pair, U+D83C)");
    const control = await ask(org.say.channel("contact add \u001b[31mRed Herring"));
    expect(control.text).toContain("holds an invisible control character (U+001B) after “contact add ”");

    expect(await written(org)).toEqual(before);
    const [jane] = await database().storage.withTenant(org.touchpointId, (r) => r.contacts.findByHandle("janedoe"));
    expect(jane?.tags).toEqual([]);
  });

  it("refuses a Create contact form holding a NUL, keeping the form and the waiting touch, creating nothing", async () => {
    const asked = await say("touch @newfriend dm thanks for the share");
    const before = await written(org);
    const create = asked.button("Create and log");
    const submit = (fields: Record<string, string>) =>
      press(org.say.submit(org.chat, asked.call.id ?? "", { ...create, ...fields }));

    const name = await submit({ name: "Nia\u0000 Friend", x_handle: "@newfriend", segment: "Supporter" });
    expect(name.call.method).toBe("POST");
    expect(name.text).toContain("The contact's name holds a NUL character (U+0000) after “Nia”. Nothing was saved.");
    const email = await submit({ name: "Nia Friend", x_handle: "@newfriend", email: "nia\u0000@example.org" });
    expect(email.text).toContain("Email: the email address holds a NUL character (U+0000) after “nia”");
    expect(await written(org)).toEqual(before);

    const created = await submit({ name: "Nia Friend", x_handle: "@newfriend", segment: "Supporter" });
    expect(created.call.method).toBe("PUT");
    expect(await written(org)).toEqual({ contacts: before.contacts + 1, touches: before.touches + 1, pending: 0 });
  });

  it("refuses settings holding a NUL, naming the field, and changes nothing", async () => {
    const asked = org.say.channel("touchpoint settings");
    const form = await ask(asked);
    const saved = await press(
      org.say.submit(asked.conversation, form.call.id ?? "", {
        ...form.button("Save"),
        channel: "here",
        time: "07:30",
        timeZone: "Europe/London\u0000",
      }),
    );
    expect(saved.text).toContain(
      "The time zone holds a NUL character (U+0000) after “Europe/London”; remove it and try again.",
    );
    expect(await database().storage.tenants.get(org.touchpointId)).toMatchObject({
      timeZone: "UTC",
      nudgeTime: "09:00",
    });
  });

  it("answers a write the database refuses without logging the contact it carried", async () => {
    // A rule the core does not know, so that the database is the one to refuse the row.
    await db.handle.db.execute(
      sql`alter table contacts add constraint teams_test_no_maria check (name <> 'Maria Chen') not valid`,
    );
    const logged = log.lines.length;
    try {
      const added = await say('contact add "Maria Chen" maria@example.org segment:donor');
      expect(added.text).toContain("Something went wrong and nothing was saved; please try again in a minute.");
    } finally {
      await db.handle.db.execute(sql`alter table contacts drop constraint teams_test_no_maria`);
    }
    const lines = log.lines.slice(logged);
    const failed = lines.find((entry) => entry.msg === "a Teams handler failed");
    expect(failed?.err).toMatchObject({ type: "DatabaseError", code: "23514", constraint: "teams_test_no_maria" });
    for (const leak of ["Maria", "maria@example.org", "insert into", "Failed query", "params"]) {
      expect(JSON.stringify(lines)).not.toContain(leak);
    }
  });
});
