import { randomUUID } from "node:crypto";
import {
  type ClaimedDelivery,
  type Clock,
  type DeliveryOutcome,
  type DeliverySettings,
  deliverNudge,
  type Logger,
  type NudgeNotifier,
  type ScheduleReport,
  type Storage,
  scheduleNudges,
} from "@touchpoint/core";
import { schedule as cronSchedule, type ScheduledTask } from "node-cron";

export interface NudgeJobs {
  /** One scheduler tick: compose and queue the nudges due now. */
  schedule(): Promise<ScheduleReport>;
  /**
   * Attempts every delivery due now (several at once) and waits for them: for tests and one-off
   * use; a started sender does this by itself.
   */
  send(): Promise<DeliveryOutcome[]>;
  /** Ticks the scheduler every minute (and once now), and looks for due deliveries every `sendEveryMs`. */
  start(sendEveryMs: number): void;
  /** Stops both and waits for a running tick and every attempt in flight to end. */
  stop(): Promise<void>;
}

/**
 * A delivery is leased for longer than its attempt can take, so no other replica takes it over
 * while a post may still be in flight, and a dead replica's delivery comes back within a minute.
 * An attempt is at most a look-up (the Teams notifier gives up on one after 15 s), the channel's
 * pace (a second or two when several wait for one channel) and a post (each connector call given
 * up after 10 s; a Teams direct message is two: create the chat, send).
 */
const LEASE_SECONDS = 60;
/**
 * Attempts in flight at once per replica: one post that hangs costs its own delivery the 10 s its
 * notifier waits, while the others go on. Each is a connection to a platform, so there are few.
 */
const SENDER_CONCURRENCY = 8;
/** Slack's pace for posting to one channel: about one message a second. */
const CHANNEL_GAP_MS = 1000;

/**
 * The daily nudge's jobs in one replica. A node-cron tick each minute composes and queues the
 * nudges that are due (the claim keeps it to one per tenant and day across replicas); the sender
 * keeps up to SENDER_CONCURRENCY due deliveries in flight, each leased, keeping to the platform's
 * pace per channel, and leases the next as soon as one ends.
 */
export function createNudgeJobs(deps: {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly notifier: NudgeNotifier;
  readonly settings: DeliverySettings;
  /** Counts each attempt's outcome (for /metrics). */
  readonly onOutcome?: (outcome: DeliveryOutcome) => void;
  /** Attempts in flight at once (tests). */
  readonly concurrency?: number;
}): NudgeJobs {
  const owner = `sender-${randomUUID()}`;
  const concurrency = deps.concurrency ?? SENDER_CONCURRENCY;
  const nextSlot = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let running = false;
  let task: ScheduledTask | undefined;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<unknown> = Promise.resolve();
  let filling: Promise<number> | undefined;

  const schedule = async () => {
    const report = await scheduleNudges(deps);
    if (report.due > 0) deps.logger.info({ ...report }, "nudge scheduler tick");
    return report;
  };

  /** Starts one attempt; when it ends, its slot is filled again (once started). */
  function launch(target: ClaimedDelivery, outcomes?: DeliveryOutcome[]): void {
    const attempt = (async () => {
      try {
        const outcome = await deliverNudge(deps, target, { pace });
        outcomes?.push(outcome);
        deps.onOutcome?.(outcome);
      } catch (error) {
        // The lease runs out and a later attempt tries again, looking for the message first.
        deps.logger.error({ tenantId: target.tenantId, id: target.id, err: error }, "nudge delivery failed");
      }
    })();
    inFlight.add(attempt);
    void attempt.finally(() => {
      inFlight.delete(attempt);
      if (running) void fill();
    });
  }

  /** Leases due deliveries for the free slots and starts them; how many it started. One at a time. */
  function fill(outcomes?: DeliveryOutcome[]): Promise<number> {
    filling ??= (async () => {
      let started = 0;
      while (!stopped && inFlight.size < concurrency) {
        const targets = await deps.storage.nudges.claimDeliveries({
          owner,
          now: deps.clock.now(),
          leaseSeconds: LEASE_SECONDS,
          limit: concurrency - inFlight.size,
        });
        for (const target of targets) launch(target, outcomes);
        started += targets.length;
        if (targets.length === 0) break;
      }
      return started;
    })()
      .catch((error) => {
        deps.logger.error({ err: error }, "nudge sender could not lease deliveries");
        return 0;
      })
      .finally(() => {
        filling = undefined;
      });
    return filling;
  }

  const send = async (): Promise<DeliveryOutcome[]> => {
    const outcomes: DeliveryOutcome[] = [];
    for (;;) {
      const started = await fill(outcomes);
      if (started === 0 && inFlight.size === 0) return outcomes;
      if (inFlight.size > 0) await Promise.race(inFlight);
    }
  };

  /**
   * Waits until a post to this channel (channel ids are per workspace) keeps Slack's pace. The slot
   * is booked before waiting, so attempts in flight together for one channel take turns.
   */
  async function pace({ tenantId, target }: { readonly tenantId: string; readonly target: string }): Promise<void> {
    const channel = `${tenantId}:${target}`;
    const now = Date.now();
    const slot = Math.max(now, nextSlot.get(channel) ?? 0);
    nextSlot.set(channel, slot + CHANNEL_GAP_MS);
    // Forget what no longer holds anything back, so the map does not grow with the fleet.
    if (nextSlot.size > 10_000) {
      for (const [key, free] of nextSlot) if (free < now) nextSlot.delete(key);
    }
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }

  const tick = () => {
    ticking = schedule().catch((error) => deps.logger.error({ err: error }, "nudge scheduler tick failed"));
    return ticking;
  };

  return {
    schedule,
    send,
    start(sendEveryMs) {
      running = true;
      // A replica coming back after everyone was down catches up on today at once.
      void tick();
      task = cronSchedule("* * * * *", tick, { name: "nudge-scheduler", noOverlap: true });
      void fill();
      timer = setInterval(() => void fill(), sendEveryMs);
    },
    async stop() {
      stopped = true;
      running = false;
      await task?.stop();
      clearInterval(timer);
      await Promise.all([ticking, filling]);
      // Attempts the last lease started, too: each was leased, and says how it went before exit.
      await Promise.all(inFlight);
    },
  };
}
