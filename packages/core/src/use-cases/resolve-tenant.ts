import { isUuid, PLATFORMS, type Tenant } from "../domain/tenant.js";
import { UnknownTenant } from "../errors.js";
import type { Storage } from "../ports.js";
import { err, ok, type Result } from "../result.js";

/** `--tenant T` takes the tenant's id or its platform's external id (Slack team id, Teams tenant id). */
export async function resolveTenant(
  deps: { readonly storage: Storage },
  ref: string,
): Promise<Result<Tenant, UnknownTenant>> {
  const trimmed = ref.trim();
  if (isUuid(trimmed)) {
    const byId = await deps.storage.tenants.get(trimmed.toLowerCase());
    if (byId) return ok(byId);
  }
  for (const platform of PLATFORMS) {
    const byExternal = await deps.storage.tenants.findByExternalId(platform, trimmed);
    if (byExternal) return ok(byExternal);
  }
  return err(new UnknownTenant(trimmed));
}
