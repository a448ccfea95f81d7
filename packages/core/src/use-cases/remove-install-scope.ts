import type { Installation, InstallScope, NewInstallScope } from "../domain/installation.js";
import type { Platform } from "../domain/tenant.js";
import type { Clock, Storage } from "../ports.js";
import { uninstallApp } from "./uninstall-app.js";

export type ScopeRemoval =
  /** The organization had no installation (never installed, or uninstalled already). */
  | { readonly outcome: "not_installed" }
  /** That place is gone; the organization stays installed through the others. */
  | { readonly outcome: "scope_removed"; readonly referenceMoved: boolean }
  /** That was the install the organization lived by: it is uninstalled (see uninstallApp). */
  | { readonly outcome: "uninstalled" };

/**
 * Whether removing `conversationId` ends the organization's installation, given every scope
 * recorded once it is marked removed. An organization with a team install lives by its teams: it
 * ends with the last of them, whatever personal or group chats still have the app (people remove
 * personal apps all the time; an admin removing the app from the team means it). One that never
 * had a team install lives until its last install of any kind. A removal of a place never recorded
 * (an install older than scopes) ends the organization only when nothing recorded is left, as a
 * removal anywhere did before.
 */
export function removalUninstalls(scopes: readonly InstallScope[], conversationId: string): boolean {
  const live = scopes.filter((s) => s.removedAt === null);
  const removed = scopes.find((s) => s.conversationId === conversationId);
  if (removed?.scope === "team") return !live.some((s) => s.scope === "team");
  return live.length === 0;
}

/**
 * The scope whose reference the installation should carry now that `removed` is gone: the newest
 * team install left (a team's reference reaches the channels the nudge goes to), else the newest
 * install of any kind.
 */
export function successorScope(scopes: readonly InstallScope[]): InstallScope | undefined {
  const live = scopes.filter((s) => s.removedAt === null);
  const newest = (candidates: readonly InstallScope[]) =>
    candidates.reduce<InstallScope | undefined>(
      (best, s) => (best === undefined || s.createdAt.getTime() >= best.createdAt.getTime() ? s : best),
      undefined,
    );
  return newest(live.filter((s) => s.scope === "team")) ?? newest(live);
}

/**
 * The app was removed from one place in the organization (Teams: a team, a group chat, someone's
 * personal scope). That place is forgotten; the organization is uninstalled only when it was the
 * install it lived by (removalUninstalls). While it stays installed, its installation's reference
 * (what proactive messages start from) stays usable: if it was the removed scope's, it becomes a
 * surviving scope's. Harmless when repeated.
 */
export async function removeInstallScope(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: {
    readonly platform: Platform;
    readonly key: string;
    readonly conversationId: string;
    /**
     * Where an installation made before scopes were kept was added, read from its reference (the
     * platform adapter knows its shape): recorded first, so its removal is told from another's.
     */
    readonly legacyScope?: (installation: Installation) => NewInstallScope | undefined;
  },
): Promise<ScopeRemoval> {
  const tenant = await deps.storage.tenants.findByExternalId(input.platform, input.key);
  if (!tenant) return { outcome: "not_installed" };
  const installed = await deps.storage.installations.find(input.platform, input.key);
  // Removals and adds of one tenant's scopes hold the tenant, so `scopes` is all there is.
  const scopes = await deps.storage.withTenant(tenant.id, async (repos) => {
    const legacy = installed && input.legacyScope?.(installed);
    if (legacy && (await repos.installScopes.list()).length === 0) await repos.installScopes.add(legacy);
    await repos.installScopes.remove(input.conversationId, deps.clock.now());
    return repos.installScopes.list();
  });
  const installation = await deps.storage.installations.find(input.platform, input.key);
  if (!installation) return { outcome: "not_installed" };
  if (removalUninstalls(scopes, input.conversationId)) {
    await uninstallApp(deps, { platform: input.platform, key: input.key });
    return { outcome: "uninstalled" };
  }
  const removed = scopes.find((s) => s.conversationId === input.conversationId);
  if (removed?.removedAt === null || removed?.reference !== installation.secret) {
    return { outcome: "scope_removed", referenceMoved: false };
  }
  const successor = successorScope(scopes);
  if (!successor) return { outcome: "scope_removed", referenceMoved: false };
  // An update, not an upsert: an uninstall another replica made meanwhile stays made.
  const moved = await deps.storage.installations.update({
    ...installation,
    secret: successor.reference,
    teamId: successor.scope === "team" ? successor.conversationId : null,
    installedBy: successor.installedBy,
  });
  return moved ? { outcome: "scope_removed", referenceMoved: true } : { outcome: "not_installed" };
}
