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
