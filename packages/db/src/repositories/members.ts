import type { MemberRepository } from "@touchpoint/core";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Transaction } from "../client.js";
import { members } from "../schema.js";
import { toMember } from "./rows.js";
import { lockTenantRow } from "./tenant-lock.js";

export function memberRepository(tx: Transaction, tenantId: string): MemberRepository {
  return {
    async upsert({ platformUserId, role, displayName }) {
      const [row] = await tx
        .insert(members)
        .values({ tenantId, platformUserId, role: role ?? "member", displayName: displayName ?? null })
        .onConflictDoUpdate({
          target: [members.tenantId, members.platformUserId],
          set: {
            ...(role !== undefined && { role }),
            ...(displayName !== undefined && { displayName }),
            updatedAt: sql`now()`,
          },
        })
        .returning();
      if (!row) throw new Error("member upsert returned nothing");
      return toMember(row);
    },
    async get(platformUserId) {
      const [row] = await tx
        .select()
        .from(members)
        .where(and(eq(members.tenantId, tenantId), eq(members.platformUserId, platformUserId)));
      return row ? toMember(row) : undefined;
    },
    async list() {
      const rows = await tx
        .select()
        .from(members)
        .where(eq(members.tenantId, tenantId))
        .orderBy(asc(members.platformUserId));
      return rows.map(toMember);
    },
    lockRoles: () => lockTenantRow(tx, tenantId),
  };
}
