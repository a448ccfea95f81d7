import { describe, expect, it } from "vitest";
import { EnvError, loadEnv } from "./env.js";

const KEY = Buffer.alloc(32, 9).toString("base64");

function problems(source: Record<string, string>): readonly string[] {
  try {
    loadEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.lines;
    throw error;
  }
  return [];
}

describe("environment", () => {
  it("defaults to the embedded database on port 3000 with the scheduler on", () => {
    const env = loadEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env).toMatchObject({
      TOUCHPOINT_DATA_DIR: "./.touchpoint",
      PORT: 3000,
      HOST: "0.0.0.0",
      PUBLIC_URL: "http://localhost:3000",
      SLACK_API_URL: "https://slack.com/api/",
      X_API_URL: "https://api.x.com",
      X_POLL_INTERVAL: 120,
      TOUCHPOINT_SCHEDULER: "on",
      TEAMS_ALLOW_UNAUTHENTICATED: false,
      LOG_LEVEL: "info",
    });
  });

  it("derives PUBLIC_URL from PORT and treats empty values as unset", () => {
    const env = loadEnv({ PORT: "8080", DATABASE_URL: "", LOG_LEVEL: "" });
    expect(env).toMatchObject({ PUBLIC_URL: "http://localhost:8080", LOG_LEVEL: "info" });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("names each bad variable once, with what it needs", () => {
    const lines = problems({
      PORT: "eighty",
      LOG_LEVEL: "loud",
      X_API_URL: "not a url",
      TOUCHPOINT_SCHEDULER: "maybe",
    });
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith("PORT:"))).toMatch(/port number/);
    expect(lines).toContain('LOG_LEVEL: needs one of fatal, error, warn, info, debug, trace, silent (got "loud")');
    expect(lines.find((l) => l.startsWith("X_API_URL:"))).toMatch(/http/);
    expect(lines.find((l) => l.startsWith("TOUCHPOINT_SCHEDULER:"))).toBeDefined();
  });

  it("requires an encryption key with DATABASE_URL, and checks its size", () => {
    expect(problems({ DATABASE_URL: "postgres://u:p@localhost/db" })).toEqual([
      expect.stringMatching(/^TOUCHPOINT_ENCRYPTION_KEY: required with DATABASE_URL/),
    ]);
    expect(problems({ DATABASE_URL: "postgres://u:p@localhost/db", TOUCHPOINT_ENCRYPTION_KEY: "c2hvcnQ=" })).toEqual([
      expect.stringMatching(/^TOUCHPOINT_ENCRYPTION_KEY: needs 32 random bytes in base64/),
    ]);
    expect(loadEnv({ DATABASE_URL: "postgres://u:p@localhost/db", TOUCHPOINT_ENCRYPTION_KEY: KEY }).DATABASE_URL).toBe(
      "postgres://u:p@localhost/db",
    );
    expect(problems({ DATABASE_URL: "mysql://localhost/db", TOUCHPOINT_ENCRYPTION_KEY: KEY })).toEqual([
      expect.stringMatching(/^DATABASE_URL: needs a postgres:\/\//),
    ]);
  });

  it("takes a previous key only beside the new one, and not the same key twice, never echoing either", () => {
    const old = Buffer.alloc(32, 8).toString("base64");
    const env = loadEnv({ TOUCHPOINT_ENCRYPTION_KEY: KEY, TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS: old });
    expect(env.TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS).toBe(old);
    expect(problems({ TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS: old })).toEqual([
      expect.stringMatching(/^TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS: set TOUCHPOINT_ENCRYPTION_KEY too/),
    ]);
    expect(problems({ TOUCHPOINT_ENCRYPTION_KEY: KEY, TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS: KEY })).toEqual([
      "TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS: is the same key as TOUCHPOINT_ENCRYPTION_KEY; set it to the old key",
    ]);
    const malformed = problems({
      TOUCHPOINT_ENCRYPTION_KEY: KEY,
      TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS: "hunter2-old-key",
    });
    expect(malformed).toEqual([expect.stringMatching(/^TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS: needs 32 random bytes/)]);
    expect(malformed.join("\n")).not.toContain("hunter2");
  });

  it("runs unauthenticated Teams only in development or tests said explicitly, on a loopback HOST", () => {
    const local = { TEAMS_ALLOW_UNAUTHENTICATED: "true", HOST: "127.0.0.1" };
    for (const mode of ["development", "test"]) {
      for (const host of ["127.0.0.1", "::1", "localhost"]) {
        expect(loadEnv({ ...local, NODE_ENV: mode, HOST: host }).TEAMS_ALLOW_UNAUTHENTICATED).toBe(true);
      }
    }
    expect(problems({ ...local, NODE_ENV: "production" })).toEqual([
      'TEAMS_ALLOW_UNAUTHENTICATED: only for local use and tests: set NODE_ENV=development or NODE_ENV=test explicitly (got NODE_ENV="production"), or set TEAMS_APP_ID and TEAMS_APP_PASSWORD instead',
    ]);
    // Unset, NODE_ENV means development; a deploy that forgot it must not get an open bot.
    expect(problems(local)).toEqual([expect.stringContaining("(NODE_ENV is unset)")]);
    expect(problems({ TEAMS_ALLOW_UNAUTHENTICATED: "true", NODE_ENV: "test" })).toEqual([
      "TEAMS_ALLOW_UNAUTHENTICATED: only on a loopback HOST (127.0.0.1, ::1 or localhost), so nothing off this machine reaches a bot that checks no tokens (HOST is unset, so 0.0.0.0)",
    ]);
    for (const host of ["0.0.0.0", "::", "192.168.1.20", "touchpoint.example.org"]) {
      expect(problems({ ...local, NODE_ENV: "development", HOST: host })).toEqual([
        expect.stringContaining(`(got HOST=${JSON.stringify(host)})`),
      ]);
    }
    // Both wrong: still one line.
    expect(problems({ TEAMS_ALLOW_UNAUTHENTICATED: "yes", NODE_ENV: "production", HOST: "0.0.0.0" })).toHaveLength(1);
    // Off, neither matters.
    expect(problems({ NODE_ENV: "production", HOST: "0.0.0.0" })).toEqual([]);
  });

  it("turns Teams on with complete Bot Framework credentials for each app type", () => {
    expect(problems({ TEAMS_APP_ID: "app-id", TEAMS_APP_PASSWORD: "secret" })).toEqual([]);
    expect(problems({ TEAMS_APP_ID: "app-id" })).toEqual([
      expect.stringMatching(/^TEAMS_APP_PASSWORD: needed with TEAMS_APP_ID for a MultiTenant app/),
    ]);
    expect(problems({ TEAMS_APP_ID: "app-id", TEAMS_APP_PASSWORD: "secret", TEAMS_APP_TYPE: "SingleTenant" })).toEqual([
      expect.stringMatching(/^TEAMS_APP_TENANT_ID: needed for a SingleTenant app/),
    ]);
    const single = { TEAMS_APP_ID: "app-id", TEAMS_APP_PASSWORD: "secret", TEAMS_APP_TYPE: "SingleTenant" };
    expect(loadEnv({ ...single, TEAMS_APP_TENANT_ID: "tenant" })).toMatchObject({
      TEAMS_APP_TYPE: "SingleTenant",
      TEAMS_APP_TENANT_ID: "tenant",
    });
    expect(problems({ TEAMS_APP_ID: "app-id", TEAMS_APP_TYPE: "UserAssignedMSI", TEAMS_APP_TENANT_ID: "t" })).toEqual(
      [],
    );
    expect(
      problems({
        TEAMS_APP_ID: "a",
        TEAMS_APP_TYPE: "UserAssignedMSI",
        TEAMS_APP_TENANT_ID: "t",
        TEAMS_APP_PASSWORD: "p",
      }),
    ).toEqual([expect.stringMatching(/^TEAMS_APP_PASSWORD: a UserAssignedMSI app has no password/)]);
    expect(problems({ TEAMS_APP_PASSWORD: "secret" })).toEqual([
      expect.stringMatching(/^TEAMS_APP_PASSWORD: set TEAMS_APP_ID too/),
    ]);
    expect(problems({ TEAMS_APP_ID: "a", TEAMS_APP_PASSWORD: "p", TEAMS_APP_TYPE: "Personal" })).toEqual([
      'TEAMS_APP_TYPE: needs one of MultiTenant, SingleTenant, UserAssignedMSI (got "Personal")',
    ]);
  });

  it("never switches a configured Teams app's checks off with TEAMS_ALLOW_UNAUTHENTICATED", () => {
    expect(problems({ TEAMS_APP_ID: "a", TEAMS_APP_PASSWORD: "p", TEAMS_ALLOW_UNAUTHENTICATED: "true" })).toEqual([
      expect.stringMatching(/^TEAMS_ALLOW_UNAUTHENTICATED: set it or TEAMS_APP_ID, not both/),
    ]);
    expect(problems({ TEAMS_APP_ID: "a", TEAMS_APP_PASSWORD: "hunter2-teams", NODE_ENV: "production" })).toEqual([]);
    expect(problems({ TEAMS_APP_ID: "a", TEAMS_ALLOW_UNAUTHENTICATED: "yes" }).join("\n")).not.toContain("hunter2");
  });

  it("wants all three Slack OAuth variables or none", () => {
    expect(problems({ SLACK_SIGNING_SECRET: "s", SLACK_CLIENT_ID: "123.456" })).toEqual([
      expect.stringMatching(/SLACK_CLIENT_SECRET, SLACK_STATE_SECRET/),
    ]);
  });

  it("turns Slack on only with a way to verify requests and credentials to answer them", () => {
    expect(problems({ SLACK_SIGNING_SECRET: "s" })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: Slack needs credentials/),
    ]);
    expect(problems({ SLACK_BOT_TOKEN: "xoxb-1" })).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET: needed/)]);
    expect(
      problems({
        SLACK_SIGNING_SECRET: "s",
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_CLIENT_ID: "1",
        SLACK_CLIENT_SECRET: "2",
        SLACK_STATE_SECRET: "3",
      }),
    ).toEqual([expect.stringMatching(/^SLACK_BOT_TOKEN: set it or the OAuth variables/)]);
    expect(problems({ SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "xoxb-1" })).toEqual([]);
    expect(problems({ SLACK_APP_TOKEN: "xapp-1", SLACK_BOT_TOKEN: "xoxb-1" })).toEqual([]);
    expect(
      problems({ SLACK_APP_TOKEN: "xapp-1", SLACK_CLIENT_ID: "1", SLACK_CLIENT_SECRET: "2", SLACK_STATE_SECRET: "3" }),
    ).toEqual([expect.stringMatching(/^SLACK_APP_TOKEN: Socket Mode is for trying Touchpoint in one workspace/)]);
  });

  it("never puts a secret's value in its error, but shows harmless ones", () => {
    const lines = problems({
      // A password with an unencoded "/" and "#": not a URL the driver could read.
      DATABASE_URL: "postgres://touchpoint:hunter2/se#cret@localhost/db",
      TOUCHPOINT_ENCRYPTION_KEY: "not-base64-hunter2-secret!",
      SLACK_SIGNING_SECRET: "hunter2-signing-secret",
      SLACK_CLIENT_ID: "123.456",
      SLACK_CLIENT_SECRET: "hunter2-client-secret",
      PORT: "eighty",
    });
    expect(lines.find((l) => l.startsWith("DATABASE_URL:"))).toMatch(/percent-encode/);
    expect(lines.find((l) => l.startsWith("TOUCHPOINT_ENCRYPTION_KEY:"))).toBeDefined();
    expect(lines.find((l) => l.startsWith("SLACK_STATE_SECRET:"))).toBeDefined();
    expect(lines.join("\n")).not.toContain("hunter2");
    expect(lines).toContain('PORT: needs a port number (got "eighty")');
  });

  it("takes TEAMS_GRAPH_URL, where the Teams sender reads Microsoft Graph, as an http(s) URL or none", () => {
    expect(loadEnv({}).TEAMS_GRAPH_URL).toBeUndefined();
    expect(loadEnv({ TEAMS_GRAPH_URL: "http://127.0.0.1:4000/v1.0" }).TEAMS_GRAPH_URL).toBe(
      "http://127.0.0.1:4000/v1.0",
    );
    expect(problems({ TEAMS_GRAPH_URL: "graph.microsoft.com" })).toEqual([
      'TEAMS_GRAPH_URL: needs an http:// or https:// URL (got "graph.microsoft.com")',
    ]);
  });

  it("waits 30 s for Graph to list a Teams post unless TEAMS_GRAPH_SETTLE_SECONDS says otherwise", () => {
    expect(loadEnv({}).TEAMS_GRAPH_SETTLE_SECONDS).toBe(30);
    expect(loadEnv({ TEAMS_GRAPH_SETTLE_SECONDS: "0.5" }).TEAMS_GRAPH_SETTLE_SECONDS).toBe(0.5);
    expect(problems({ TEAMS_GRAPH_SETTLE_SECONDS: "-1" })).toEqual([
      'TEAMS_GRAPH_SETTLE_SECONDS: needs 0 seconds or more (got "-1")',
    ]);
  });
});
