import type { Installation, InstallationDirectory } from "@touchpoint/core";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../client.js";
import type { SecretBox } from "../crypto.js";
import { installations } from "../schema.js";
import { asSystem } from "../scopes.js";

/** On the system path: a request's team id is all there is until its installation names the tenant. */
export function installationDirectory(db: Database, box: SecretBox): InstallationDirectory {
  const byKey = (platform: Installation["platform"], key: string) =>
    and(eq(installations.platform, platform), eq(installations.key, key));
  return {
    save: (installation) =>
      asSystem(db, async (tx) => {
        const values = { ...installation, secret: box.seal(installation.secret) };
        await tx
          .insert(installations)
          .values(values)
          .onConflictDoUpdate({
            target: [installations.platform, installations.key],
            set: { ...values, updatedAt: sql`now()` },
          });
      }),
    update: (installation) =>
      asSystem(db, async (tx) => {
        const { platform, key, ...rest } = installation;
        const updated = await tx
          .update(installations)
          .set({ ...rest, secret: box.seal(installation.secret), updatedAt: sql`now()` })
          .where(byKey(platform, key))
          .returning({ id: installations.id });
        return updated.length > 0;
      }),
    find: (platform, key) =>
      asSystem(db, async (tx) => {
        const [row] = await tx.select().from(installations).where(byKey(platform, key));
        if (!row) return undefined;
        return {
          tenantId: row.tenantId,
          platform: row.platform,
          key: row.key,
          enterpriseId: row.enterpriseId,
          teamId: row.teamId,
          isEnterpriseInstall: row.isEnterpriseInstall,
          botUserId: row.botUserId,
          installedBy: row.installedBy,
          secret: box.open(row.secret),
        };
      }),
    remove: (platform, key) =>
      asSystem(db, async (tx) => {
        const removed = await tx.delete(installations).where(byKey(platform, key)).returning({ id: installations.id });
        return removed.length > 0;
      }),
  };
}
