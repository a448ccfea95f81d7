import type { Clock, Logger, NudgeNotifier, OpenMentionSource, Storage } from "@touchpoint/core";
import { createTeamsApp, createTeamsNotifier, type TeamsApp, type TeamsCredentials } from "@touchpoint/teams";
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
    notifier: createTeamsNotifier({ storage: deps.storage, logger: deps.logger, credentials }),
  };
}
