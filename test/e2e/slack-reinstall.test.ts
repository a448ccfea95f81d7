import {
  loadEnv,
  type OpenDatabase,
  type RunningServer,
  sharedDatabase,
  silentLogger,
  startServer,
} from "@touchpoint/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-web-api.js";
import { slackClient, workspace } from "../support/slack-workspace.js";

/** Slack's OAuth install run again, through Bolt's installer: the credentials change, the roles don't. */

const SECRET = "signing-secret-for-tests";
const CLIENT_ID = "1111.2222";
const CLIENT_SECRET = "client-secret-for-tests";

let fake: FakeSlack;
let server: RunningServer;
let database: OpenDatabase;

beforeAll(async () => {
  fake = await startFakeSlack({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  database = await sharedDatabase();
  const env = loadEnv({
    PORT: "0",
    HOST: "127.0.0.1",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: "state-secret-for-tests",
    SLACK_API_URL: fake.apiUrl,
  });
  server = await startServer(env, silentLogger, { database, slackWebApiRetries: 0 });
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

const { install, command } = slackClient({
  fake: () => fake,
  serverUrl: () => server.http.url,
  database: () => database,
  secret: SECRET,
});

describe("Slack: reinstalling the app", () => {
  it("by a member grants them nothing, keeps the admins, and sends no second welcome", async () => {
    const riverside = await install(workspace("Riverside Food Bank"));
    const welcomes = () =>
      fake
        .callsTo("chat.postMessage")
        .filter((c) => c.teamId === riverside.teamId && c.args.channel === riverside.installer);
    await fake.waitFor(
      "chat.postMessage",
      (c) => c.teamId === riverside.teamId && c.args.channel === riverside.installer,
    );
    expect(welcomes()).toHaveLength(1);

    // Sam, a member, runs /slack/install himself.
    await install({ ...riverside, installer: riverside.member });
    const members = await database.storage.withTenant(riverside.tenantId, (r) => r.members.list());
    expect(members.map((m) => [m.platformUserId, m.role])).toEqual([[riverside.installer, "admin"]]);
    expect((await database.storage.installations.find("slack", riverside.teamId))?.installedBy).toBe(riverside.member);
    // The settings answer below comes after any welcome the reinstall would have sent; none did.
    const refused = await command(riverside, "/touchpoint", "settings", { userId: riverside.member });
    const path = `/response/${refused.responseUrl.split("/").pop()}`;
    const answer = await fake.waitFor("response_url", (c) => c.path === path);
    expect(JSON.stringify(answer.args.blocks)).toContain("Only Touchpoint admins can change settings");
    expect(welcomes()).toHaveLength(1);
    expect(fake.callsTo("chat.postMessage").filter((c) => c.args.channel === riverside.member)).toEqual([]);
  });
});
