import type { Platform } from "./tenant.js";

/**
 * The app installed in one Slack workspace (or Enterprise Grid org) or Teams tenant: the
 * credentials that let us act there. Removing it stops all work for that tenant; the tenant's data
 * stays until an admin asks to erase it.
 */
export interface Installation {
  readonly tenantId: string;
  readonly platform: Platform;
  /** What platform requests are keyed by: the Slack team id, or the org id for an org-wide install. */
  readonly key: string;
  readonly enterpriseId: string | null;
  readonly teamId: string | null;
  readonly isEnterpriseInstall: boolean;
  readonly botUserId: string | null;
  readonly installedBy: string | null;
  /** The platform SDK's installation record as JSON; holds tokens, so it is encrypted at rest. */
  readonly secret: string;
}

export type NewInstallation = Omit<Installation, "tenantId">;

/** Where in an organization the app can be added (Teams' names): a team, a group chat, one person's chat. */
export const INSTALL_SCOPE_KINDS = ["team", "groupChat", "personal"] as const;
export type InstallScopeKind = (typeof INSTALL_SCOPE_KINDS)[number];

/**
 * One place in an organization the app was added (Teams: each team, group chat and personal scope),
 * with the conversation reference proactive messages start from. The organization's installation
 * lives as long as its scopes do (see uninstallApp); a removed scope is kept, marked, so whether the
 * organization ever had a team install stays known.
 */
export interface InstallScope {
  /** The conversation it was added in: the team's id, or the group or personal chat's. */
  readonly conversationId: string;
  readonly scope: InstallScopeKind;
  /** The platform's conversation reference as JSON; it names the service URL, so it is sealed at rest. */
  readonly reference: string;
  readonly installedBy: string | null;
  readonly removedAt: Date | null;
  readonly createdAt: Date;
}

export type NewInstallScope = Pick<InstallScope, "conversationId" | "scope" | "reference" | "installedBy">;
