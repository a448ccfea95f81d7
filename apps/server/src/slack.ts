import type { Clock, Logger, OpenMentionSource, Storage } from "@touchpoint/core";
import { createSlackApp, LogLevel, REDIRECT_PATH, type SlackApp } from "@touchpoint/slack";
import type { Env } from "./env.js";

/** Slack, when the environment turns it on: OAuth for many workspaces, or one bot token; Socket Mode in development. */
export function slackFromEnv(
  env: Env,
  deps: {
    readonly storage: Storage;
    readonly clock: Clock;
    readonly logger: Logger;
    readonly openXSource: OpenMentionSource;
  },
  options: { readonly webApiRetries?: number } = {},
): SlackApp | undefined {
  if (!env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) return undefined;
  const credentials =
    env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET
      ? {
          kind: "oauth" as const,
          clientId: env.SLACK_CLIENT_ID,
          clientSecret: env.SLACK_CLIENT_SECRET,
          stateSecret: env.SLACK_STATE_SECRET,
          redirectUri: new URL(REDIRECT_PATH, env.PUBLIC_URL).toString(),
        }
      : { kind: "token" as const, botToken: env.SLACK_BOT_TOKEN ?? "" };
  return createSlackApp({
    signingSecret: env.SLACK_SIGNING_SECRET ?? "",
    apiUrl: env.SLACK_API_URL,
    credentials,
    ...(env.SLACK_APP_TOKEN && { appToken: env.SLACK_APP_TOKEN }),
    deps,
    logLevel: env.LOG_LEVEL === "debug" || env.LOG_LEVEL === "trace" ? LogLevel.DEBUG : LogLevel.INFO,
    ...(options.webApiRetries !== undefined && { webApiRetries: options.webApiRetries }),
  });
}
