import {
  loadEnv,
  type OpenDatabase,
  type RunningServer,
  sharedDatabase,
  silentLogger,
  startServer,
} from "@touchpoint/server/testing";
import { afterAll, beforeAll } from "vitest";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-web-api.js";
import { slackClient } from "./slack-workspace.js";

export const SLACK_SIGNING_SECRET = "signing-secret-for-tests";
const CLIENT_ID = "1111.2222";
const CLIENT_SECRET = "client-secret-for-tests";

/**
 * A Touchpoint server with Slack on in the multi-workspace (OAuth) mode and a fake Slack Web API,
 * started before the file's tests and stopped after, on the worker's shared database. `env` adds
 * to or overrides the server's settings; `logger` replaces the silent one (to read what it logged).
 */
export function useSlackServer(
  options: { readonly env?: Record<string, string>; readonly logger?: Parameters<typeof startServer>[1] } = {},
) {
  let fake: FakeSlack;
  let server: RunningServer;
  let database: OpenDatabase;

  beforeAll(async () => {
    fake = await startFakeSlack({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    database = await sharedDatabase();
    const env = loadEnv({
      PORT: "0",
      HOST: "127.0.0.1",
      SLACK_SIGNING_SECRET,
      SLACK_CLIENT_ID: CLIENT_ID,
      SLACK_CLIENT_SECRET: CLIENT_SECRET,
      SLACK_STATE_SECRET: "state-secret-for-tests",
      SLACK_API_URL: fake.apiUrl,
      ...options.env,
    });
    server = await startServer(env, options.logger ?? silentLogger, { database, slackWebApiRetries: 0 });
  });
  afterAll(async () => {
    await server?.stop();
    await fake?.close();
  });

  const handles = {
    fake: () => fake,
    server: () => server,
    database: () => database,
  };
  return {
    ...handles,
    ...slackClient({
      fake: handles.fake,
      serverUrl: () => server.http.url,
      database: handles.database,
      secret: SLACK_SIGNING_SECRET,
    }),
  };
}
