import type { NewInstallation, NewInstallScope } from "../domain/installation.js";
import { PAUSED_UNINSTALLED } from "../domain/social-account.js";
import { memberName, type Tenant } from "../domain/tenant.js";
import { stripUnstorable } from "../domain/text.js";
import type { ValidationError } from "../errors.js";
import type { Storage } from "../ports.js";
import { err, ok, type Result } from "../result.js";
import { createTenant } from "./create-tenant.js";

export interface AppInstalled {
  readonly tenant: Tenant;
  /** True when this install created the organization: the installer gets the "get started" message. */
  readonly firstInstall: boolean;
  /** Whether the installer was made an admin: only by the install that created the organization (or one that had none). */
  readonly installerIsNewAdmin: boolean;
  /**
   * False when the place was recorded but the organization stays uninstalled: it lived by its
   * teams and the last of them removed the app, so a member adding it to their own chat doesn't
   * bring it back (only a team install does).
   */
  readonly installed: boolean;
}

/**
 * Records an install (or reinstall) of the app, or its addition to one more place in the
 * organization (a Teams team, group chat or personal scope, given as `scope`).
 *
 * The install that creates the organization makes its installer the first admin. Every later one
 * leaves roles alone, whoever makes it: a member adding the app to their own chat, or re-running
 * Slack's install, is still a member (admins grant and revoke in the settings). The one exception
 * is an organization with no admin at all (created from the CLI, or by a single-workspace start-up
 * with no installer): its installer becomes the first, as nobody's say is taken away.
 *
 * The installation's secret becomes this install's, the newest: for Teams, the conversation
 * reference of the scope just added (removeInstallScope picks another when that scope goes).
 */
export async function installApp(
  deps: { readonly storage: Storage },
  input: {
    readonly installation: NewInstallation;
    readonly organizationName: string;
    readonly installer: { readonly platformUserId: string; readonly displayName?: string | null } | null;
    /** Where in the organization it was added (Teams); the installation's secret is its conversation reference. */
    readonly scope?: Pick<NewInstallScope, "conversationId" | "scope">;
    /** Where the nudge goes if the organization has no channel yet: the channel of a team it was added to. */
    readonly nudgeChannel?: string | null;
  },
): Promise<Result<AppInstalled, ValidationError>> {
  const { installation, scope } = input;
  const installer = input.installer && {
    platformUserId: input.installer.platformUserId,
    ...(input.installer.displayName !== undefined && { displayName: memberName(input.installer.displayName) }),
  };
  const nudgeChannel = input.nudgeChannel ?? null;
  let tenant = await deps.storage.tenants.findByExternalId(installation.platform, installation.key);
  let firstInstall = false;
  if (!tenant) {
    const created = await createTenant(deps, {
      platform: installation.platform,
      externalId: installation.key,
      enterpriseId: installation.enterpriseId,
      name: stripUnstorable(input.organizationName).trim() || installation.key,
      nudgeChannel,
      ...(installer && { admin: installer }),
    });
    if (created.ok) {
      tenant = created.value;
      firstInstall = true;
    } else if (created.error.kind === "tenant_exists") {
      // Two install events raced (Teams sends two for one add); the other one created it.
      tenant = await deps.storage.tenants.findByExternalId(installation.platform, installation.key);
    } else {
      return err(created.error);
    }
  }
  if (!tenant) throw new Error(`tenant for ${installation.platform} ${installation.key} vanished during install`);

  const tenantId = tenant.id;
  const wasInstalled =
    !firstInstall && (await deps.storage.installations.find(installation.platform, installation.key));
  const recorded = await deps.storage.withTenant(tenantId, async (repos) => {
    let installerIsNewAdmin = firstInstall && installer !== null;
    if (!firstInstall && installer) {
      await repos.members.lockRoles();
      const members = await repos.members.list();
      if (!members.some((m) => m.role === "admin")) {
        await repos.members.upsert({ ...installer, role: "admin" });
        installerIsNewAdmin = true;
      }
    }
    if (scope) {
      await repos.installScopes.add({
        ...scope,
        reference: installation.secret,
        installedBy: installer?.platformUserId ?? null,
      });
      if (!firstInstall && !wasInstalled && scope.scope !== "team") {
        const scopes = await repos.installScopes.list();
        const team = (s: (typeof scopes)[number]) => s.scope === "team";
        if (scopes.some(team) && !scopes.some((s) => team(s) && s.removedAt === null)) {
          return { tenant: await repos.tenant.get(), installerIsNewAdmin, installed: false };
        }
      }
    }
    let current = await repos.tenant.get();
    if (nudgeChannel !== null && current.nudgeChannel === null) {
      current = await repos.tenant.update({ nudgeChannel });
    }
    // A reinstall picks up what the uninstall stopped (accounts X refused stay paused).
    if (!firstInstall) await repos.socialAccounts.resume(PAUSED_UNINSTALLED);
    return { tenant: current, installerIsNewAdmin, installed: true };
  });
  if (recorded.installed) await deps.storage.installations.save({ ...installation, tenantId });
  return ok({ firstInstall, ...recorded });
}
