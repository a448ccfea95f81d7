import { randomUUID } from "node:crypto";
import { type PollDeps, type PollOutcome, pollAccount } from "@touchpoint/core";

export interface MentionPoller {
  /** One round: claim the accounts due, poll them one by one. Resolves with what each poll did. */
  tick(): Promise<PollOutcome[]>;
  /** Ticks every `everyMs` until stopped; stop() waits for a running round to end. */
  start(everyMs: number): void;
  stop(): Promise<void>;
}

/** How long a claimed account stays ours: longer than a poll takes, short enough that a crash costs little. */
const LEASE_SECONDS = 300;
/** Accounts claimed per round per replica: the rest are left to other replicas or the next round. */
const CLAIM_LIMIT = 20;

/**
 * The X poller of one replica. Each round claims due accounts with a lease (so replicas never poll
 * one account at once, and a dead replica's accounts come back when its leases run out) and polls
 * them through core's pollAccount.
 */
export function createMentionPoller(deps: PollDeps): MentionPoller {
  const owner = `poller-${randomUUID()}`;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const tick = async (): Promise<PollOutcome[]> => {
    const claimed = await deps.storage.poller.claimDue({
      owner,
      now: deps.clock.now(),
      leaseSeconds: LEASE_SECONDS,
      limit: CLAIM_LIMIT,
    });
    const outcomes: PollOutcome[] = [];
    for (const target of claimed) {
      if (stopped) break;
      try {
        const outcome = await pollAccount(deps, target);
        outcomes.push(outcome);
        deps.logger.info({ ...target, outcome: outcome.kind }, "X account polled");
      } catch (error) {
        // The lease runs out and another round retries; the cursor never moved past what was stored.
        deps.logger.error({ ...target, err: error }, "X poll failed");
      }
    }
    return outcomes;
  };

  return {
    tick,
    start(everyMs) {
      const round = () => {
        running = tick()
          .catch((error) => deps.logger.error({ err: error }, "X poll round failed"))
          .finally(() => {
            if (!stopped) timer = setTimeout(round, everyMs);
          });
      };
      timer = setTimeout(round, 0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
