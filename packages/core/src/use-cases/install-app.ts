import type { NewInstallation } from "../domain/installation.js";
import { PAUSED_UNINSTALLED } from "../domain/social-account.js";
import type { Tenant } from "../domain/tenant.js";
import { stripUnstorable } from "../domain/text.js";
import type { ValidationError } from "../errors.js";
import type { Storage } from "../ports.js";
import { err, ok, type Result } from "../result.js";
import { createTenant } from "./create-tenant.js";

export interface AppInstalled {
  readonly tenant: Tenant;
  /** True when this install created the organization: the installer gets the "get started" DM. */
  readonly firstInstall: boolean;
}

/**
 * Records an install (or reinstall) of the app. The first install creates the tenant with the
 * installer as its admin; a reinstall keeps everything and makes the installer an admin too.
 */
export async function installApp(
  deps: { readonly storage: Storage },
  input: {
    readonly installation: NewInstallation;
    readonly organizationName: string;
    readonly installer: { readonly platformUserId: string; readonly displayName?: string | null } | null;
  },
): Promise<Result<AppInstalled, ValidationError>> {
  const { installation, installer } = input;
  let tenant = await deps.storage.tenants.findByExternalId(installation.platform, installation.key);
  let firstInstall = false;
  if (!tenant) {
    const created = await createTenant(deps, {
      platform: installation.platform,
      externalId: installation.key,
      enterpriseId: installation.enterpriseId,
      name: stripUnstorable(input.organizationName).trim() || installation.key,
      ...(installer && { admin: installer }),
    });
    if (created.ok) {
      tenant = created.value;
      firstInstall = true;
    } else if (created.error.kind === "tenant_exists") {
      // Two install callbacks raced; the other one created it.
      tenant = await deps.storage.tenants.findByExternalId(installation.platform, installation.key);
    } else {
      return err(created.error);
    }
  } else if (installer) {
    const tenantId = tenant.id;
    await deps.storage.withTenant(tenantId, (repos) => repos.members.upsert({ ...installer, role: "admin" }));
  }
  if (!tenant) throw new Error(`tenant for ${installation.platform} ${installation.key} vanished during install`);
  await deps.storage.installations.save({ ...installation, tenantId: tenant.id });
  if (!firstInstall) {
    // A reinstall picks up what the uninstall stopped (accounts X refused stay paused).
    await deps.storage.withTenant(tenant.id, (r) => r.socialAccounts.resume(PAUSED_UNINSTALLED));
  }
  return ok({ tenant, firstInstall });
}
