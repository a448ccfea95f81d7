import type { SocialAccountRepository } from "@touchpoint/core";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Transaction } from "../client.js";
import type { SecretBox } from "../crypto.js";
import { socialAccounts } from "../schema.js";
import { toSocialAccount } from "./rows.js";

export function socialAccountRepository(tx: Transaction, tenantId: string, box: SecretBox): SocialAccountRepository {
  return {
    async connect(input) {
      const credentials = box.seal(input.credentials);
      const [row] = await tx
        .insert(socialAccounts)
        .values({
          tenantId,
          platform: input.platform,
          handle: input.handle,
          externalUserId: input.externalUserId,
          credentials,
        })
        .onConflictDoUpdate({
          target: [socialAccounts.tenantId, socialAccounts.platform, socialAccounts.externalUserId],
          set: {
            handle: input.handle,
            credentials,
            status: "active",
            pausedReason: null,
            nextPollAt: sql`now()`,
            updatedAt: sql`now()`,
          },
        })
        .returning();
      if (!row) throw new Error("social account upsert returned nothing");
      return toSocialAccount(row);
    },
    async list() {
      const rows = await tx
        .select()
        .from(socialAccounts)
        .where(eq(socialAccounts.tenantId, tenantId))
        .orderBy(asc(socialAccounts.createdAt));
      return rows.map(toSocialAccount);
    },
    async credentials(id) {
      const [row] = await tx
        .select({ credentials: socialAccounts.credentials })
        .from(socialAccounts)
        .where(and(eq(socialAccounts.tenantId, tenantId), eq(socialAccounts.id, id)));
      return row ? box.open(row.credentials) : undefined;
    },
  };
}
