import type { PollerDirectory, RateLimit } from "@touchpoint/core";
import { sql } from "drizzle-orm";
import { type Database, queryRows, type Transaction } from "../client.js";
import { asSystem } from "../scopes.js";
import { toDate } from "./rows.js";

/**
 * The poller's cross-tenant path, as touchpoint_system: it may read which accounts are due and
 * write their lease (column grants allow no more), and keep the shared request budgets.
 */
export function pollerDirectory(db: Database): PollerDirectory {
  return {
    claimDue: ({ owner, now, leaseSeconds, limit }) =>
      asSystem(db, async (tx) => {
        const at = now.toISOString();
        // SKIP LOCKED: replicas claiming at the same moment take different accounts, never one twice.
        const rows = await queryRows<{ tenant_id: string; id: string }>(
          tx,
          sql`
            update social_accounts s
            set lease_owner = ${owner}, lease_expires_at = ${at}::timestamptz + make_interval(secs => ${leaseSeconds})
            from (
              select tenant_id, id from social_accounts
              where status = 'active' and next_poll_at <= ${at}::timestamptz
                and (lease_expires_at is null or lease_expires_at <= ${at}::timestamptz)
              order by next_poll_at
              limit ${limit}
              for update skip locked
            ) due
            where s.tenant_id = due.tenant_id and s.id = due.id
            returning s.tenant_id, s.id`,
        );
        return rows.map((row) => ({ tenantId: row.tenant_id, accountId: row.id }));
      }),

    reserveRequest: ({ budgetKey, endpoint, now, share, observed }) =>
      asSystem(db, async (tx) => {
        const at = now.toISOString();
        // The observation (if any) and the reservation go out together; the reservation is one
        // statement that locks the budget row, so replicas sharing a credential cannot both take
        // its last request. It spends only when the budget is known, current and not used up.
        const [, [budget]] = await Promise.all([
          observed ? upsertBudget(tx, { budgetKey, endpoint, rateLimit: observed, blockedUntil: null }) : null,
          queryRows<{
            limit: number | null;
            remaining: number | null;
            reset_at: Date | string | null;
            blocked_until: Date | string | null;
            spent: boolean;
          }>(
            tx,
            sql`
              with budget as (
                select "limit", remaining, reset_at, blocked_until from request_budgets
                where budget_key = ${budgetKey} and endpoint = ${endpoint} for update
              ), spend as (
                update request_budgets r set remaining = r.remaining - 1, updated_at = now()
                from budget b
                where r.budget_key = ${budgetKey} and r.endpoint = ${endpoint}
                  and (b.blocked_until is null or b.blocked_until <= ${at}::timestamptz)
                  and b.reset_at > ${at}::timestamptz
                  -- What is spent stays under the share of the budget, counting this request.
                  and b."limit" - b.remaining + 1 < b."limit" * ${share}::float8
                returning 1
              )
              select "limit", remaining, reset_at, blocked_until, exists (select 1 from spend) as spent from budget`,
          ),
        ]);
        if (!budget || budget.spent) return { allowed: true };
        const blockedUntil = budget.blocked_until === null ? null : toDate(budget.blocked_until);
        if (blockedUntil && blockedUntil > now) return { allowed: false, until: blockedUntil };
        const resetAt = budget.reset_at === null ? null : toDate(budget.reset_at);
        // Nothing known to count against (no limit seen yet, or its window has passed): go ahead.
        if (!resetAt || resetAt <= now || budget.limit === null || budget.remaining === null) return { allowed: true };
        return { allowed: false, until: resetAt };
      }),

    recordBudget: (input) => asSystem(db, (tx) => upsertBudget(tx, input)),
  };
}

async function upsertBudget(
  tx: Transaction,
  input: {
    readonly budgetKey: string;
    readonly endpoint: string;
    readonly rateLimit: RateLimit | null;
    readonly blockedUntil: Date | null;
  },
): Promise<void> {
  const { budgetKey, endpoint, rateLimit, blockedUntil } = input;
  await tx.execute(sql`
    insert into request_budgets (budget_key, endpoint, "limit", remaining, reset_at, blocked_until)
    values (${budgetKey}, ${endpoint}, ${rateLimit?.limit ?? null}, ${rateLimit?.remaining ?? null},
            ${rateLimit ? rateLimit.resetAt.toISOString() : null}::timestamptz,
            ${blockedUntil ? blockedUntil.toISOString() : null}::timestamptz)
    on conflict (budget_key, endpoint) do update set
      "limit" = coalesce(excluded."limit", request_budgets."limit"),
      remaining = coalesce(excluded.remaining, request_budgets.remaining),
      reset_at = coalesce(excluded.reset_at, request_budgets.reset_at),
      blocked_until = coalesce(excluded.blocked_until, request_budgets.blocked_until),
      updated_at = now()`);
}
