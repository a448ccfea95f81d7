import type { Clock, Logger, NudgeNotifier, OpenMentionSource, Storage } from "@touchpoint/core";
import {
  createGraphClient,
  createTeamsApp,
  createTeamsNotifier,
  DEFAULT_GRAPH_URL,
  type GraphClient,
  graphToken,
  type TeamsApp,
  type TeamsCredentials,
} from "@touchpoint/teams";
import type { Env } from "./env.js";

/** The Bot Framework credentials, or none (local use, tests); undefined when Teams is off. */
function teamsCredentials(env: Env): TeamsCredentials | undefined {
  if (env.TEAMS_APP_ID) {
    return {
      kind: "app",
      appId: env.TEAMS_APP_ID,
      appType: env.TEAMS_APP_TYPE ?? "MultiTenant",
      ...(env.TEAMS_APP_PASSWORD && { appPassword: env.TEAMS_APP_PASSWORD }),
      ...(env.TEAMS_APP_TENANT_ID && { appTenantId: env.TEAMS_APP_TENANT_ID }),
    };
  }
  // env.ts has refused this in production already.
  return env.TEAMS_ALLOW_UNAUTHENTICATED ? { kind: "unauthenticated" } : undefined;
}

/**
 * Microsoft Graph, where the nudge's sender looks for a card it may already have posted: the real
 * one (or TEAMS_GRAPH_URL) with the bot's credentials; unauthenticated, only a TEAMS_GRAPH_URL given
 * (a fake or a proxy), asked without a token. None: an unknown outcome stays unknown.
 */
function graphFromEnv(env: Env, credentials: TeamsCredentials): GraphClient | undefined {
  const baseUrl = env.TEAMS_GRAPH_URL ?? (credentials.kind === "app" ? DEFAULT_GRAPH_URL : undefined);
  return baseUrl ? createGraphClient({ baseUrl, token: graphToken(credentials) }) : undefined;
}

/** Teams, when the environment turns it on: the bot's routes and the nudge's notifier. */
export function teamsFromEnv(
  env: Env,
  deps: {
    readonly storage: Storage;
    readonly clock: Clock;
    readonly logger: Logger;
    /** X, for connect-x to check a handle and token while the person waits. */
    readonly openXSource: OpenMentionSource;
  },
): { readonly app: TeamsApp; readonly notifier: NudgeNotifier } | undefined {
  const credentials = teamsCredentials(env);
  if (!credentials) return undefined;
  return {
    app: createTeamsApp({ credentials, deps }),
    notifier: createTeamsNotifier({
      storage: deps.storage,
      logger: deps.logger,
      credentials,
      graph: graphFromEnv(env, credentials),
      lookupSettleSeconds: env.TEAMS_GRAPH_SETTLE_SECONDS,
    }),
  };
}
