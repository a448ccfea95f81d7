import type { Storage, TenantRepositories } from "./ports.js";

type TenantWork<T> = (repos: TenantRepositories) => Promise<T>;

interface Waiting {
  readonly work: TenantWork<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

/** Works in one shared transaction at most: past this, the rest wait for the next. */
const MAX_SHARED = 64;

/**
 * Group commit on top of `withTenant`. A work that arrives while another of its tenant's is
 * running waits, and every work that waited runs together in the next transaction: under load a
 * tenant's works cost one BEGIN, one COMMIT and a few pipelined round trips per batch instead of
 * per work. Alone, a work starts at once and waits for nothing.
 *
 * Each work is answered only after its transaction commits. If any work in a shared transaction
 * fails, nothing of it commits, and each runs again alone, so one work's failure stays its own.
 * A work given here must therefore be independent of the others and safe to run twice: all its
 * effects inside the transaction, and nothing it decides depending on what shares it.
 */
export function groupCommit(withTenant: Storage["withTenant"]): Storage["withTenantShared"] {
  /** A tenant has an entry while a transaction of its shared works runs: the works waiting for the next. */
  const waiting = new Map<string, Waiting[]>();

  async function drain(tenantId: string, queue: Waiting[]): Promise<void> {
    for (;;) {
      const batch = queue.splice(0, MAX_SHARED);
      if (batch.length === 0) {
        waiting.delete(tenantId);
        return;
      }
      await runTogether(tenantId, batch);
    }
  }

  async function runTogether(tenantId: string, batch: readonly Waiting[]): Promise<void> {
    const alone = (entry: Waiting) => withTenant(tenantId, entry.work).then(entry.resolve, entry.reject);
    if (batch.length === 1) return alone(batch[0] as Waiting);
    let results: unknown[];
    try {
      results = await withTenant(tenantId, async (repos) => {
        const settled = await Promise.allSettled(batch.map((entry) => entry.work(repos)));
        const values: unknown[] = [];
        for (const outcome of settled) {
          // Roll the whole transaction back; each work then runs alone below.
          if (outcome.status === "rejected") throw outcome.reason;
          values.push(outcome.value);
        }
        return values;
      });
    } catch {
      await Promise.all(batch.map(alone));
      return;
    }
    for (const [i, entry] of batch.entries()) entry.resolve(results[i]);
  }

  return <T>(tenantId: string, work: TenantWork<T>) =>
    new Promise<T>((resolve, reject) => {
      const entry: Waiting = { work, resolve: resolve as (value: unknown) => void, reject };
      const queue = waiting.get(tenantId);
      if (queue) {
        queue.push(entry);
        return;
      }
      const fresh = [entry];
      waiting.set(tenantId, fresh);
      void drain(tenantId, fresh);
    });
}
