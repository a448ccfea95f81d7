import type { Member, Tenant, TenantPatch } from "../domain/tenant.js";
import { NotAdmin, ValidationError } from "../errors.js";
import type { Storage } from "../ports.js";
import { err, ok, type Result } from "../result.js";
import { validateTenantPatch } from "./update-tenant-settings.js";

export interface SettingsView {
  readonly tenant: Tenant;
  readonly admins: readonly Member[];
  /** Whether the person looking may change them. */
  readonly canEdit: boolean;
}

/** What the settings screen shows to one person. */
export async function viewSettings(
  deps: { readonly storage: Storage },
  input: { readonly tenantId: string; readonly actorId: string },
): Promise<SettingsView> {
  return deps.storage.withTenant(input.tenantId, async (repos) => {
    const [tenant, members] = await Promise.all([repos.tenant.get(), repos.members.list()]);
    const admins = members.filter((m) => m.role === "admin");
    return { tenant, admins, canEdit: admins.some((m) => m.platformUserId === input.actorId) };
  });
}

/**
 * An admin changes the organization's settings from chat: nudge channel, time, time zone, cadences,
 * and who else is admin. Everything is checked first and applied in one transaction; anyone who is
 * not an admin changes nothing.
 */
export async function changeSettings(
  deps: { readonly storage: Storage },
  input: {
    readonly tenantId: string;
    readonly actorId: string;
    readonly patch: TenantPatch;
    /** The complete list of admins after the change, when it changes. */
    readonly admins?: readonly string[];
  },
): Promise<Result<Tenant, NotAdmin | ValidationError>> {
  const patch = validateTenantPatch(input.patch);
  if (!patch.ok) return patch;
  const admins = input.admins === undefined ? undefined : new Set(input.admins);
  if (admins?.size === 0) return err(new ValidationError("admins", "Keep at least one admin."));

  return deps.storage.withTenant(input.tenantId, async (repos) => {
    const actor = await repos.members.get(input.actorId);
    if (actor?.role !== "admin") return err(new NotAdmin(input.actorId));
    const tenant = await repos.tenant.update(patch.value);
    if (admins) {
      for (const member of await repos.members.list()) {
        if (member.role === "admin" && !admins.has(member.platformUserId)) {
          await repos.members.upsert({ platformUserId: member.platformUserId, role: "member" });
        }
      }
      for (const userId of admins) await repos.members.upsert({ platformUserId: userId, role: "admin" });
    }
    return ok(tenant);
  });
}
