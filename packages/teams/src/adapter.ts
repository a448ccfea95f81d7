import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from "botbuilder";

/** The Bot Framework credentials (TEAMS_APP_* in CONTRACT.md), or none: local use and tests only. */
export type TeamsCredentials =
  | {
      readonly kind: "app";
      readonly appId: string;
      /** MultiTenant and SingleTenant apps have a client secret; a user-assigned managed identity has none. */
      readonly appPassword?: string;
      /** The app's home tenant: required for SingleTenant and UserAssignedMSI. */
      readonly appTenantId?: string;
      readonly appType: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
    }
  | { readonly kind: "unauthenticated" };

/**
 * The CloudAdapter with botbuilder's own authentication: incoming activities' JWTs are checked
 * against the app id, and replies carry a token for it. With no app id, botbuilder checks nothing
 * and sends no token (what the Bot Framework Emulator and the tests' fake connector expect); the
 * server refuses that in production.
 */
export function createAdapter(credentials: TeamsCredentials): CloudAdapter {
  const options =
    credentials.kind === "app"
      ? {
          MicrosoftAppId: credentials.appId,
          MicrosoftAppPassword: credentials.appPassword ?? "",
          MicrosoftAppType: credentials.appType,
          MicrosoftAppTenantId: credentials.appTenantId ?? "",
        }
      : { MicrosoftAppId: "", MicrosoftAppPassword: "", MicrosoftAppType: "MultiTenant", MicrosoftAppTenantId: "" };
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options));
}
