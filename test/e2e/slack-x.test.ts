import { queryRows } from "@touchpoint/db";
import { sql } from "@touchpoint/db/testing";
import {
  loadEnv,
  type OpenDatabase,
  type RunningServer,
  sharedDatabase,
  silentLogger,
  startServer,
} from "@touchpoint/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockProblems, type FakeSlack, startFakeSlack } from "../fakes/slack-web-api.js";
import { type FakeX, startFakeX } from "../fakes/x-api.js";
import { triggerId, viewSubmission } from "../support/slack-requests.js";
import { slackClient, type Workspace, workspace } from "../support/slack-workspace.js";

const SECRET = "signing-secret-for-tests";
const TOKEN = "AAAA-app-bearer-token-from-slack";
const ORG = { id: "7700112233", username: "RiversideFood", name: "Riverside Food Bank" };

let fake: FakeSlack;
let x: FakeX;
let server: RunningServer;
let database: OpenDatabase;
let riverside: Workspace;

const { post, install, command } = slackClient({
  fake: () => fake,
  serverUrl: () => server.http.url,
  database: () => database,
  secret: SECRET,
});

beforeAll(async () => {
  fake = await startFakeSlack({ clientId: "1111.2222", clientSecret: "client-secret-for-tests" });
  x = await startFakeX({ tokens: [TOKEN] });
  x.addUser(ORG);
  database = await sharedDatabase();
  const env = loadEnv({
    PORT: "0",
    HOST: "127.0.0.1",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_CLIENT_ID: "1111.2222",
    SLACK_CLIENT_SECRET: "client-secret-for-tests",
    SLACK_STATE_SECRET: "state-secret-for-tests",
    SLACK_API_URL: fake.apiUrl,
    X_API_URL: x.url,
    // The poller runs, but rounds come from the test's tick(), not from waiting a minute.
    TOUCHPOINT_SCHEDULER: "on",
    X_POLL_INTERVAL: "3600",
  });
  server = await startServer(env, silentLogger, { database, slackWebApiRetries: 0 });
  riverside = await install(workspace("Riverside Food Bank"));
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  await x?.close();
});

/** Submits the connect-x modal as `userId` with what they typed. */
const submit = async (userId: string, handle: string, token: string) => {
  const response = await post(
    viewSubmission({
      teamId: riverside.teamId,
      userId,
      callbackId: "connect_x_view",
      values: {
        handle: { value: { type: "plain_text_input", value: handle } },
        token: { value: { type: "plain_text_input", value: token } },
      },
    }),
  );
  expect(response.status).toBe(200);
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as {
    response_action?: string;
    errors?: Record<string, string>;
    view?: { blocks: unknown[] };
  };
};

const accounts = () => database.storage.withTenant(riverside.tenantId, (r) => r.socialAccounts.list());
const dmsAbout = (text: string) =>
  fake.calls.filter(
    (c) =>
      c.method === "chat.postMessage" &&
      c.teamId === riverside.teamId &&
      c.args.channel === riverside.installer &&
      String(c.args.text).includes(text),
  );

describe("connecting X from Slack, and hearing when X refuses it", () => {
  it("opens the connect-x modal for admins only", async () => {
    const refused = await command(riverside, "/touchpoint", "connect-x", { userId: riverside.member });
    const reply = await fake.waitFor("response_url", (c) =>
      c.path.endsWith(refused.responseUrl.split("/").pop() ?? ""),
    );
    expect(JSON.stringify(reply.args)).toContain("Only Touchpoint admins can connect");
    expect(fake.calls.some((c) => c.method === "views.open" && c.teamId === riverside.teamId)).toBe(false);

    const trigger = triggerId();
    await command(riverside, "/touchpoint", "connect-x", { triggerId: trigger });
    const opened = await fake.waitFor("views.open", (c) => c.args.trigger_id === trigger);
    const view = opened.args.view as { callback_id: string; blocks: unknown[] };
    expect(view.callback_id).toBe("connect_x_view");
    expect(blockProblems(view.blocks)).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain("App bearer token");
  });

  it("checks the handle and token with X before saving, and says which field is wrong", async () => {
    expect(await submit(riverside.installer, "not a handle!", TOKEN)).toMatchObject({
      response_action: "errors",
      errors: { handle: expect.any(String) },
    });
    expect(await submit(riverside.installer, "@RiversideFood", "wrong-token")).toMatchObject({
      response_action: "errors",
      errors: { token: expect.stringContaining("X refused that bearer token") },
    });
    expect(await submit(riverside.installer, "@nobody_here", TOKEN)).toMatchObject({
      response_action: "errors",
      errors: { handle: "X has no account @nobody_here." },
    });
    // A member who somehow submits the modal is refused by the core too.
    expect(await submit(riverside.member, "@RiversideFood", TOKEN)).toMatchObject({ response_action: "errors" });
    expect(await accounts()).toEqual([]);

    const connected = await submit(riverside.installer, "@RiversideFood", TOKEN);
    expect(connected.response_action).toBe("update");
    expect(JSON.stringify(connected.view?.blocks)).toContain("Connected *@riversidefood* to Riverside Food Bank");
    expect((await accounts()).map((a) => [a.handle, a.externalUserId, a.status])).toEqual([
      ["riversidefood", ORG.id, "active"],
    ]);
    const stored = await queryRows<{ credentials: string }>(
      database.handle.db,
      sql`select credentials from social_accounts where external_user_id = ${ORG.id}`,
    );
    expect(stored[0]?.credentials).not.toContain(TOKEN);
  });

  it("pauses the account when X refuses its token, and tells the admins once", async () => {
    const poller = server.poller;
    if (!poller) throw new Error("the scheduler should be on");
    x.revoke(TOKEN);
    await poller.tick();
    const dm = await fake.waitFor(
      "chat.postMessage",
      (c) => c.args.channel === riverside.installer && String(c.args.text).includes("stopped reading @riversidefood"),
    );
    expect(String(dm.args.text)).toContain("/touchpoint connect-x");
    expect((await accounts())[0]?.status).toBe("paused");

    await poller.tick();
    await poller.tick();
    expect(dmsAbout("stopped reading @riversidefood")).toHaveLength(1);
  });
});
