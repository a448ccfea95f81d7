import { PAUSED_UNINSTALLED } from "../domain/social-account.js";
import type { Platform } from "../domain/tenant.js";
import type { Storage } from "../ports.js";

/**
 * The organization uninstalled the app (Slack: app_uninstalled or tokens_revoked; Teams: the
 * install it lived by removed, see removeInstallScope): forget the credentials and pause the
 * tenant's social accounts, so no further work is done for it. Harmless when repeated or when the
 * events arrive in either order. The tenant's data stays until an admin asks to erase it, and a
 * reinstall resumes the accounts.
 */
export async function uninstallApp(
  deps: { readonly storage: Storage },
  input: { readonly platform: Platform; readonly key: string },
): Promise<{ readonly removed: boolean }> {
  const installation = await deps.storage.installations.find(input.platform, input.key);
  const removed = await deps.storage.installations.remove(input.platform, input.key);
  if (installation) {
    await deps.storage.withTenant(installation.tenantId, (r) => r.socialAccounts.pauseAll(PAUSED_UNINSTALLED));
  }
  return { removed };
}
