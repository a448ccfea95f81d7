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
    async pollState(id) {
      const [row] = await tx
        .select()
        .from(socialAccounts)
        .where(and(eq(socialAccounts.tenantId, tenantId), eq(socialAccounts.id, id)));
      if (!row) return undefined;
      return {
        account: toSocialAccount(row),
        credentials: box.open(row.credentials),
        intervalSeconds: row.pollIntervalSeconds,
        welcomeDue: row.welcomeDue,
        mentions: {
          sinceId: row.mentionsSinceId,
          nextToken: row.mentionsNextToken,
          pendingNewestId: row.mentionsPendingNewestId,
        },
        ownPosts: {
          sinceId: row.ownPostsSinceId,
          nextToken: row.ownPostsNextToken,
          pendingNewestId: row.ownPostsPendingNewestId,
        },
      };
    },
    async saveProgress(id, stream, progress) {
      const set =
        stream === "mentions"
          ? {
              mentionsSinceId: progress.sinceId,
              mentionsNextToken: progress.nextToken,
              mentionsPendingNewestId: progress.pendingNewestId,
            }
          : {
              ownPostsSinceId: progress.sinceId,
              ownPostsNextToken: progress.nextToken,
              ownPostsPendingNewestId: progress.pendingNewestId,
            };
      await tx
        .update(socialAccounts)
        .set({ ...set, updatedAt: sql`now()` })
        .where(and(eq(socialAccounts.tenantId, tenantId), eq(socialAccounts.id, id)));
    },
    async markWelcomeDue(id) {
      await tx
        .update(socialAccounts)
        .set({ welcomeDue: true })
        .where(and(eq(socialAccounts.tenantId, tenantId), eq(socialAccounts.id, id)));
    },
    async takeWelcomeDue(id) {
      const taken = await tx
        .update(socialAccounts)
        .set({ welcomeDue: false })
        .where(
          and(eq(socialAccounts.tenantId, tenantId), eq(socialAccounts.id, id), eq(socialAccounts.welcomeDue, true)),
        )
        .returning({ id: socialAccounts.id });
      return taken.length > 0;
    },
    async finishPoll(id, { nextPollAt, intervalSeconds }) {
      await tx
        .update(socialAccounts)
        .set({ nextPollAt, pollIntervalSeconds: intervalSeconds, leaseOwner: null, leaseExpiresAt: null })
        .where(and(eq(socialAccounts.tenantId, tenantId), eq(socialAccounts.id, id)));
    },
    async pause(id, reason) {
      const rows = await tx
        .update(socialAccounts)
        .set({ status: "paused", pausedReason: reason, updatedAt: sql`now()` })
        .where(
          and(eq(socialAccounts.tenantId, tenantId), eq(socialAccounts.id, id), eq(socialAccounts.status, "active")),
        )
        .returning({ id: socialAccounts.id });
      return rows.length > 0;
    },
    async pauseAll(reason) {
      const rows = await tx
        .update(socialAccounts)
        .set({ status: "paused", pausedReason: reason, updatedAt: sql`now()` })
        .where(and(eq(socialAccounts.tenantId, tenantId), eq(socialAccounts.status, "active")))
        .returning({ id: socialAccounts.id });
      return rows.length;
    },
    async resume(reason) {
      const rows = await tx
        .update(socialAccounts)
        .set({ status: "active", pausedReason: null, nextPollAt: sql`now()`, updatedAt: sql`now()` })
        .where(
          and(
            eq(socialAccounts.tenantId, tenantId),
            eq(socialAccounts.status, "paused"),
            eq(socialAccounts.pausedReason, reason),
          ),
        )
        .returning({ id: socialAccounts.id });
      return rows.length;
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
