import type { Clock, Logger, Storage } from "@touchpoint/core";
import { createTeamsApp, type TeamsApp } from "@touchpoint/teams";
import type { Env } from "./env.js";

/** Teams, when the environment turns it on: with the Bot Framework credentials, or none (local use, tests). */
export function teamsFromEnv(
  env: Env,
  deps: { readonly storage: Storage; readonly clock: Clock; readonly logger: Logger },
): TeamsApp | undefined {
  if (env.TEAMS_APP_ID) {
    return createTeamsApp({
      credentials: {
        kind: "app",
        appId: env.TEAMS_APP_ID,
        appType: env.TEAMS_APP_TYPE ?? "MultiTenant",
        ...(env.TEAMS_APP_PASSWORD && { appPassword: env.TEAMS_APP_PASSWORD }),
        ...(env.TEAMS_APP_TENANT_ID && { appTenantId: env.TEAMS_APP_TENANT_ID }),
      },
      deps,
    });
  }
  // env.ts has refused this in production already.
  if (env.TEAMS_ALLOW_UNAUTHENTICATED) return createTeamsApp({ credentials: { kind: "unauthenticated" }, deps });
  return undefined;
}
