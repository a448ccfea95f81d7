import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import { installApp, type Storage, uninstallApp } from "@touchpoint/core";

/** Installation key → tenant id. Keys never move between tenants, so entries never go stale. */
export type TenantCache = Map<string, string>;

function keyOf(query: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }): string {
  const key = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
  if (!key) throw new Error("a Slack installation needs a team id, or an enterprise id for org-wide installs");
  return key;
}

/**
 * Bolt's InstallationStore over the core: storing an install records it through `installApp`
 * (creating the tenant on the first one), with the whole installation (tokens included) encrypted
 * at rest by the storage adapter.
 */
export function slackInstallationStore(deps: {
  readonly storage: Storage;
  readonly tenants: TenantCache;
  readonly onFirstInstall: (installation: Installation, organization: string) => Promise<void>;
}): InstallationStore {
  return {
    async storeInstallation(installation) {
      const key = keyOf({
        isEnterpriseInstall: installation.isEnterpriseInstall ?? false,
        enterpriseId: installation.enterprise?.id,
        teamId: installation.team?.id,
      });
      const organization =
        (installation.isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name) ?? key;
      const installed = await installApp(
        { storage: deps.storage },
        {
          installation: {
            platform: "slack",
            key,
            enterpriseId: installation.enterprise?.id ?? null,
            teamId: installation.team?.id ?? null,
            isEnterpriseInstall: installation.isEnterpriseInstall ?? false,
            botUserId: installation.bot?.userId ?? null,
            installedBy: installation.user.id,
            secret: JSON.stringify(installation),
          },
          organizationName: organization,
          installer: { platformUserId: installation.user.id },
        },
      );
      if (!installed.ok) throw new Error(installed.error.message);
      deps.tenants.set(key, installed.value.tenant.id);
      // Not awaited: the install page shouldn't wait on (or fail with) the welcome message.
      if (installed.value.firstInstall) void deps.onFirstInstall(installation as Installation, organization);
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      const key = keyOf(query);
      const found = await deps.storage.installations.find("slack", key);
      if (!found) throw new Error(`no Slack installation for ${key}`);
      deps.tenants.set(key, found.tenantId);
      return JSON.parse(found.secret) as Installation;
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      await uninstallApp({ storage: deps.storage }, { platform: "slack", key: keyOf(query) });
    },
  };
}
