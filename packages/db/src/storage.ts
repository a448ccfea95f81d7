import {
  err,
  groupCommit,
  isUuid,
  ok,
  type Storage,
  type TenantDirectory,
  TenantExists,
  type TenantRepositories,
} from "@touchpoint/core";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "./client.js";
import type { SecretBox } from "./crypto.js";
import { contactRepository } from "./repositories/contacts.js";
import { installScopeRepository } from "./repositories/install-scopes.js";
import { installationDirectory } from "./repositories/installations.js";
import { memberRepository } from "./repositories/members.js";
import { mentionRepository, ownPostRepository } from "./repositories/mentions.js";
import { nudgeDirectory, nudgeRepository } from "./repositories/nudges.js";
import { pendingActionRepository } from "./repositories/pending-actions.js";
import { pollerDirectory } from "./repositories/poller.js";
import { toTenant } from "./repositories/rows.js";
import { socialAccountRepository } from "./repositories/social-accounts.js";
import { tenantRepository } from "./repositories/tenant.js";
import { touchpointRepository } from "./repositories/touchpoints.js";
import { createTurn } from "./repositories/turn.js";
import { members, tenants } from "./schema.js";
import { asSystem, inTenant } from "./scopes.js";

export function createStorage(db: Database, options: { readonly secrets: SecretBox }): Storage {
  const directory: TenantDirectory = {
    create: (input, options) =>
      asSystem(db, async (tx) => {
        const [row] = await tx
          .insert(tenants)
          .values({
            platform: input.platform,
            externalId: input.externalId,
            enterpriseId: input.enterpriseId ?? null,
            name: input.name,
            ...(input.timeZone !== undefined && { timeZone: input.timeZone }),
            ...(input.nudgeTime !== undefined && { nudgeTime: input.nudgeTime }),
            nudgeChannel: input.nudgeChannel ?? null,
          })
          .onConflictDoNothing({ target: [tenants.platform, tenants.externalId] })
          .returning();
        if (!row) return err(new TenantExists(input.platform, input.externalId));
        const admin = options?.admin;
        if (admin) {
          // Same transaction, now as the new tenant: a tenant never exists without its first admin.
          await tx.execute(
            sql`select set_config('role', 'touchpoint_app', true), set_config('app.tenant_id', ${row.id}, true)`,
          );
          await tx.insert(members).values({
            tenantId: row.id,
            platformUserId: admin.platformUserId,
            role: "admin",
            displayName: admin.displayName ?? null,
          });
        }
        return ok(toTenant(row));
      }),
    get: (id) =>
      isUuid(id)
        ? asSystem(db, async (tx) => {
            const [row] = await tx.select().from(tenants).where(eq(tenants.id, id));
            return row ? toTenant(row) : undefined;
          })
        : Promise.resolve(undefined),
    findByExternalId: (platform, externalId) =>
      asSystem(db, async (tx) => {
        const [row] = await tx
          .select()
          .from(tenants)
          .where(and(eq(tenants.platform, platform), eq(tenants.externalId, externalId)));
        return row ? toTenant(row) : undefined;
      }),
    list: () =>
      asSystem(db, async (tx) => {
        const rows = await tx.select().from(tenants).orderBy(asc(tenants.name), asc(tenants.id));
        return rows.map(toTenant);
      }),
  };

  const withTenant: Storage["withTenant"] = (tenantId, work) =>
    inTenant(db, tenantId, (tx) => {
      const turn = createTurn();
      const repos: TenantRepositories = {
        tenantId,
        tenant: tenantRepository(tx, tenantId),
        members: memberRepository(tx, tenantId),
        contacts: contactRepository(tx, tenantId, turn),
        touchpoints: touchpointRepository(tx, tenantId, turn),
        socialAccounts: socialAccountRepository(tx, tenantId, options.secrets),
        mentions: mentionRepository(tx, tenantId),
        ownPosts: ownPostRepository(tx, tenantId),
        pendingActions: pendingActionRepository(tx, tenantId),
        nudges: nudgeRepository(tx, tenantId),
        installScopes: installScopeRepository(tx, tenantId, options.secrets),
      };
      return work(repos);
    });

  return {
    tenants: directory,
    installations: installationDirectory(db, options.secrets),
    poller: pollerDirectory(db),
    nudges: nudgeDirectory(db),
    withTenant,
    withTenantShared: groupCommit(withTenant),
  };
}
