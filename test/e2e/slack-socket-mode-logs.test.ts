import { loadEnv, openDatabase } from "@touchpoint/server/testing";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeSocketMode } from "../fakes/slack-socket-mode.js";
import { startFakeSlack } from "../fakes/slack-web-api.js";
import { startFakeX } from "../fakes/x-api.js";
import { startTouchpoint } from "../support/processes.js";
import { tempDir } from "../support/temp.js";

// Shaped like an X app bearer token, and unlike anything else in a payload.
const BEARER = "AAAAAAAAAAAAAAAAAAAAAPq7fake%2Bsocket%2Bmode%3DTokenThatMustNeverBeLogged0123456789";
const TEAM = "T0SOCKLOG";
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("Socket Mode at LOG_LEVEL=debug", () => {
  it("logs the payloads of a connect-x submission without its bearer token", async () => {
    const slack = await startFakeSlack({ clientId: "1.2", clientSecret: "s" });
    cleanups.push(() => slack.close());
    const socketMode = await startFakeSocketMode();
    cleanups.push(() => socketMode.close());
    const x = await startFakeX({ tokens: [BEARER] });
    cleanups.push(() => x.close());
    x.addUser({ id: "7700998877", username: "SocketOrg", name: "Socket Org" });
    slack.addWorkspace({
      teamId: TEAM,
      teamName: "Socket Org",
      botToken: "xoxb-socket-log",
      botUserId: "U0BOTSOCK",
      botId: "B0SOCK",
      users: [{ id: "U0BOSS", name: "boss", realName: "Bo Owner", isAdmin: true }],
    });
    slack.addSocketModeApp("xapp-1-socket-log", socketMode.url);
    const dataDir = await tempDir("socket-logs");
    const server = await startTouchpoint({
      TOUCHPOINT_DATA_DIR: dataDir,
      LOG_LEVEL: "debug",
      SLACK_APP_TOKEN: "xapp-1-socket-log",
      SLACK_BOT_TOKEN: "xoxb-socket-log",
      SLACK_API_URL: slack.apiUrl,
      X_API_URL: x.url,
      TOUCHPOINT_SCHEDULER: "off",
    });
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await server.stop();
    });
    await socketMode.connected();

    // The workspace admin opens settings first, and so becomes its first Touchpoint admin.
    await socketMode.deliver("slash_commands", {
      token: "deprecated-verification-token",
      team_id: TEAM,
      team_domain: "socketorg",
      channel_id: "C0GENERAL",
      user_id: "U0BOSS",
      user_name: "boss",
      command: "/touchpoint",
      text: "settings",
      api_app_id: "A0TOUCHPT1",
      is_enterprise_install: "false",
      response_url: slack.responseUrl("settings"),
      trigger_id: "1.2.settings",
    });
    await slack.waitFor("views.open", (c) => c.args.trigger_id === "1.2.settings");

    const ack = await socketMode.deliver("interactive", {
      type: "view_submission",
      team: { id: TEAM, domain: "socketorg" },
      user: { id: "U0BOSS", username: "boss", team_id: TEAM },
      api_app_id: "A0TOUCHPT1",
      token: "deprecated-verification-token",
      trigger_id: "1.2.connect",
      view: {
        id: "V0CONNECT",
        team_id: TEAM,
        type: "modal",
        callback_id: "connect_x_view",
        private_metadata: "",
        state: {
          values: {
            handle: { value: { type: "plain_text_input", value: "@SocketOrg" } },
            token: { value: { type: "plain_text_input", value: BEARER } },
          },
        },
        hash: "1700000000.abc",
      },
    });
    expect(ack).toMatchObject({ response_action: "update" });
    expect(await server.stop()).toBe(0);
    stopped = true;

    const logs = server.logs();
    // Debug logging was on, payloads and all: the submission itself was logged, the token blanked.
    expect(logs).toContain("Received a message on the WebSocket");
    expect(logs).toContain("connect_x_view");
    expect(logs).toContain("@SocketOrg");
    for (const piece of [BEARER, BEARER.slice(20, 60), encodeURIComponent(BEARER), decodeURIComponent(BEARER)]) {
      expect(logs).not.toContain(piece);
    }

    // And the token did reach the handler: it is stored (sealed) for the account.
    const database = await openDatabase(loadEnv({ TOUCHPOINT_DATA_DIR: dataDir }), () => {});
    try {
      const tenant = await database.storage.tenants.findByExternalId("slack", TEAM);
      const stored = await database.storage.withTenant(tenant?.id ?? "", async (r) => {
        const [account] = await r.socialAccounts.list();
        return r.socialAccounts.credentials(account?.id ?? "");
      });
      expect(stored).toBe(BEARER);
    } finally {
      await database.close();
    }
  });
});
