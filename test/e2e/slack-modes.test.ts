import { uniqueExternalId } from "@touchpoint/core/testing";
import { loadEnv, type OpenDatabase, sharedDatabase, silentLogger, startServer } from "@touchpoint/server/testing";
import { BOT_SCOPES } from "@touchpoint/slack";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeSocketMode } from "../fakes/slack-socket-mode.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-web-api.js";
import { send, slashCommand } from "../support/slack-requests.js";

const SECRET = "signing-secret-for-modes";
let database: OpenDatabase;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  database = await sharedDatabase();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeSlack(): Promise<FakeSlack> {
  const fake = await startFakeSlack({ clientId: "1.2", clientSecret: "s" });
  cleanups.push(() => fake.close());
  return fake;
}

async function serve(fake: FakeSlack, env: Record<string, string>) {
  const server = await startServer(
    loadEnv({ PORT: "0", HOST: "127.0.0.1", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, ...env }),
    silentLogger,
    { database, slackWebApiRetries: 0 },
  );
  cleanups.push(() => server.stop());
  return server;
}

describe("Slack in single-workspace mode (SLACK_BOT_TOKEN)", () => {
  it("records its workspace at start-up and answers commands there", async () => {
    const fake = await fakeSlack();
    const teamId = uniqueExternalId("T");
    const botToken = `xoxb-${teamId}-single`;
    fake.addWorkspace({
      teamId,
      teamName: "Solo Shelter",
      botToken,
      botUserId: "U0BOTSOLO",
      botId: "B0SOLO",
      users: [
        { id: "U0RUTH", name: "ruth", realName: "Ruth Staff" },
        { id: "U0BOSS", name: "boss", realName: "Bo Owner", isAdmin: true },
      ],
    });
    const server = await serve(fake, { SLACK_BOT_TOKEN: botToken });

    const tenant = await database.storage.tenants.findByExternalId("slack", teamId);
    expect(tenant?.name).toBe("Solo Shelter");
    const response = await send(
      `${server.http.url}/slack/events`,
      slashCommand({
        command: "/contact",
        text: "add Ruth Goldberg ruth@example.org",
        teamId,
        userId: "U0RUTH",
        responseUrl: fake.responseUrl("solo"),
      }),
      { secret: SECRET },
    );
    expect(((await response.json()) as { text: string }).text).toBe("Added Ruth Goldberg");
    // The bot's identity was learned once, at start-up: requests don't ask Slack again.
    expect(fake.callsTo("auth.test").filter((c) => c.teamId === teamId)).toHaveLength(1);
    // No OAuth routes in this mode.
    expect((await fetch(`${server.http.url}/slack/install`)).status).toBe(404);

    // With no installer, the first Touchpoint admin is a Slack workspace admin who opens settings.
    const settings = (userId: string) =>
      send(
        `${server.http.url}/slack/events`,
        slashCommand({
          command: "/touchpoint",
          text: "settings",
          teamId,
          userId,
          responseUrl: fake.responseUrl(`settings-${userId}`),
        }),
        { secret: SECRET },
      );
    await settings("U0RUTH");
    const refused = await fake.waitFor("response_url", (c) => c.path.endsWith("settings-U0RUTH"));
    expect(JSON.stringify(refused.args.blocks)).toContain("Only Touchpoint admins");
    await settings("U0BOSS");
    const opened = await fake.waitFor("views.open", (c) => c.teamId === teamId);
    expect((opened.args.view as { callback_id: string }).callback_id).toBe("settings_view");
    const admins = await database.storage.withTenant(tenant?.id ?? "", (r) => r.members.list());
    expect(admins.map((m) => [m.platformUserId, m.role])).toEqual([["U0BOSS", "admin"]]);
  });

  it("stops at start-up with one line when Slack refuses the bot token", async () => {
    const fake = await fakeSlack();
    const failure = await startServer(
      loadEnv({
        PORT: "0",
        HOST: "127.0.0.1",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.apiUrl,
        SLACK_BOT_TOKEN: "xoxb-unknown",
      }),
      silentLogger,
      { database, slackWebApiRetries: 0 },
    ).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe("SLACK_BOT_TOKEN: Slack refused it (invalid_auth)");
  });
});

describe("Slack on Enterprise Grid", () => {
  it("keys an org-wide install by the org, so every workspace in it is one tenant", async () => {
    const fake = await fakeSlack();
    const enterpriseId = uniqueExternalId("E");
    const teamId = uniqueExternalId("T");
    fake.addWorkspace({
      teamId,
      teamName: "Chapter North",
      enterpriseId,
      enterpriseName: "Food Banks United",
      isEnterpriseInstall: true,
      botToken: `xoxb-${enterpriseId}-org`,
      botUserId: "U0BOTORG",
      botId: "B0ORG",
      users: [{ id: "U0ORGADMIN", name: "ada", realName: "Ada Admin" }],
    });
    fake.addOAuthCode("org-code", { teamId, userId: "U0ORGADMIN", scopes: [...BOT_SCOPES], isEnterpriseInstall: true });
    const server = await serve(fake, {
      SLACK_CLIENT_ID: "1.2",
      SLACK_CLIENT_SECRET: "s",
      SLACK_STATE_SECRET: "state",
    });
    const page = await fetch(`${server.http.url}/slack/install`);
    const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const state = /[?&]state=([^&"]+)/.exec(await page.text())?.[1];
    const done = await fetch(`${server.http.url}/slack/oauth_redirect?code=org-code&state=${state}`, {
      headers: { cookie },
    });
    expect(done.status).toBe(200);

    const tenant = await database.storage.tenants.findByExternalId("slack", enterpriseId);
    expect(tenant).toMatchObject({ name: "Food Banks United", enterpriseId });
    expect(await database.storage.tenants.findByExternalId("slack", teamId)).toBeUndefined();

    const response = await send(
      `${server.http.url}/slack/events`,
      slashCommand({
        command: "/contact",
        text: "add Noor Ali noor@example.org",
        teamId,
        enterpriseId,
        isEnterpriseInstall: true,
        userId: "U0ORGADMIN",
        responseUrl: fake.responseUrl("org"),
      }),
      { secret: SECRET },
    );
    expect(((await response.json()) as { text: string }).text).toBe("Added Noor Ali");
    const contacts = await database.storage.withTenant(tenant?.id ?? "", (r) => r.contacts.list());
    expect(contacts.map((c) => c.name)).toEqual(["Noor Ali"]);
  });
});

describe("Slack over Socket Mode (SLACK_APP_TOKEN), for local development", () => {
  it("connects with the app-level token and answers a command over the WebSocket, with no HTTP route", async () => {
    const fake = await fakeSlack();
    const socketMode = await startFakeSocketMode();
    cleanups.push(() => socketMode.close());
    const teamId = uniqueExternalId("T");
    fake.addWorkspace({
      teamId,
      teamName: "Laptop Org",
      botToken: "xoxb-laptop",
      botUserId: "U0BOTLAP",
      botId: "B0LAP",
    });
    fake.addSocketModeApp("xapp-1-laptop", socketMode.url);
    const server = await startServer(
      loadEnv({
        PORT: "0",
        HOST: "127.0.0.1",
        SLACK_APP_TOKEN: "xapp-1-laptop",
        SLACK_BOT_TOKEN: "xoxb-laptop",
        SLACK_API_URL: fake.apiUrl,
      }),
      silentLogger,
      { database, slackWebApiRetries: 0 },
    );
    cleanups.push(() => server.stop());
    await socketMode.connected();

    const ack = await socketMode.deliver("slash_commands", {
      token: "deprecated-verification-token",
      team_id: teamId,
      team_domain: "laptop",
      channel_id: "C0GENERAL",
      user_id: "U0DEV",
      user_name: "dev",
      command: "/contact",
      text: "add Sol Reyes sol@example.org",
      api_app_id: "A0TOUCHPT1",
      is_enterprise_install: "false",
      response_url: fake.responseUrl("socket"),
      trigger_id: "1.2.socket",
    });
    expect(ack).toMatchObject({ response_type: "ephemeral", text: "Added Sol Reyes" });
    expect((await fetch(`${server.http.url}/slack/events`, { method: "POST" })).status).toBe(404);
  });
});
