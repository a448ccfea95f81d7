import type { Platform } from "../domain/tenant.js";
import type { Storage } from "../ports.js";

/**
 * The app was uninstalled or its tokens revoked: forget the credentials so no further work is done
 * for that workspace. Harmless when repeated or when the events arrive in either order. The
 * tenant's data stays until an admin asks to erase it.
 */
export async function uninstallApp(
  deps: { readonly storage: Storage },
  input: { readonly platform: Platform; readonly key: string },
): Promise<{ readonly removed: boolean }> {
  return { removed: await deps.storage.installations.remove(input.platform, input.key) };
}
