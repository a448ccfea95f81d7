import { isChatUserId, type Member, memberName, type Tenant, type TenantPatch } from "../domain/tenant.js";
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

/** Someone made an admin, with the name the platform knows them by (kept for the settings screen). */
export interface NewAdmin {
  readonly platformUserId: string;
  readonly displayName?: string | null;
}

/**
 * Who becomes admin and who stops being one, applied to the admins as they are when the change is
 * made (not as they were when the form was drawn): an admin someone else granted meanwhile stays.
 */
export interface AdminChanges {
  readonly grant: readonly NewAdmin[];
  readonly revoke: readonly string[];
}

const KEEP_AN_ADMIN = "Keep at least one admin.";

/** The admins after the change, or what is wrong with it. */
function adminsAfter(
  platform: Tenant["platform"],
  current: readonly Member[],
  change: readonly string[] | AdminChanges,
): Result<
  { readonly admins: ReadonlySet<string>; readonly names: ReadonlyMap<string, string | null> },
  ValidationError
> {
  const names = new Map<string, string | null>();
  let admins: Set<string>;
  if (Array.isArray(change)) {
    admins = new Set(change as readonly string[]);
  } else {
    const { grant, revoke } = change as AdminChanges;
    const revoked = new Set(revoke);
    admins = new Set(current.map((m) => m.platformUserId).filter((id) => !revoked.has(id)));
    for (const person of grant) {
      admins.add(person.platformUserId);
      if (person.displayName !== undefined) names.set(person.platformUserId, memberName(person.displayName));
    }
  }
  const alreadyAdmin = new Set(current.map((m) => m.platformUserId));
  for (const id of admins) {
    if (!alreadyAdmin.has(id) && !isChatUserId(platform, id)) {
      const where = platform === "slack" ? "a Slack" : "a Microsoft Teams";
      return err(new ValidationError("admins", `${JSON.stringify(id.slice(0, 60))} is not ${where} user id.`));
    }
  }
  if (admins.size === 0) return err(new ValidationError("admins", KEEP_AN_ADMIN));
  return ok({ admins, names });
}

/**
 * An admin changes the organization's settings from chat: nudge channel, time, time zone, cadences,
 * and who else is admin. Everything is checked first and applied in one transaction; anyone who is
 * not an admin changes nothing. The tenant's roles are held from the start, and the actor is
 * checked after that, so of two admins revoking each other at the same moment the second finds
 * they are no longer an admin: there is always one left.
 */
export async function changeSettings(
  deps: { readonly storage: Storage },
  input: {
    readonly tenantId: string;
    readonly actorId: string;
    readonly patch: TenantPatch;
    /**
     * Who is admin after the change, when it changes: the complete list (Slack's people picker), or
     * the people granted and revoked (Teams' card).
     */
    readonly admins?: readonly string[] | AdminChanges;
  },
): Promise<Result<Tenant, NotAdmin | ValidationError>> {
  const patch = validateTenantPatch(input.patch);
  if (!patch.ok) return patch;
  if (Array.isArray(input.admins) && input.admins.length === 0)
    return err(new ValidationError("admins", KEEP_AN_ADMIN));

  return deps.storage.withTenant(input.tenantId, async (repos) => {
    await repos.members.lockRoles();
    const [actor, members, current] = await Promise.all([
      repos.members.get(input.actorId),
      repos.members.list(),
      repos.tenant.get(),
    ]);
    if (actor?.role !== "admin") return err(new NotAdmin(input.actorId));
    const admins = members.filter((m) => m.role === "admin");
    // Every check before the first write: a Result returned here commits what was written.
    const after = input.admins === undefined ? undefined : adminsAfter(current.platform, admins, input.admins);
    if (after && !after.ok) return after;

    const tenant = await repos.tenant.update(patch.value);
    if (after) {
      for (const member of admins) {
        if (!after.value.admins.has(member.platformUserId)) {
          await repos.members.upsert({ platformUserId: member.platformUserId, role: "member" });
        }
      }
      const wereAdmins = new Set(admins.map((m) => m.platformUserId));
      for (const userId of after.value.admins) {
        const name = after.value.names.get(userId);
        if (wereAdmins.has(userId) && name === undefined) continue;
        await repos.members.upsert({
          platformUserId: userId,
          role: "admin",
          ...(name !== undefined && { displayName: name }),
        });
      }
    }
    return ok(tenant);
  });
}
