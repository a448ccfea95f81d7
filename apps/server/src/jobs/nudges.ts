import { randomUUID } from "node:crypto";
import {
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
  /** One sender round: attempt every delivery due now. */
  send(): Promise<DeliveryOutcome[]>;
  /** Ticks the scheduler every minute (and once now), and the sender every `sendEveryMs`. */
  start(sendEveryMs: number): void;
  /** Stops both and waits for a running tick or round to end. */
  stop(): Promise<void>;
}

/**
 * A delivery is leased one at a time, for longer than its attempt can take (a look-up, a post, each
 * given up after the notifier's 10 s, and the channel's pace): so no other replica takes it over
 * while a post may still be in flight; and a dead replica's delivery comes back within a minute.
 */
const LEASE_SECONDS = 60;
/** Deliveries per round per replica, before the round yields to the next. */
const ROUND_LIMIT = 100;
/** Slack's pace for posting to one channel: about one message a second. */
const CHANNEL_GAP_MS = 1000;

/**
 * The daily nudge's jobs in one replica. A node-cron tick each minute composes and queues the
 * nudges that are due (the claim keeps it to one per tenant and day across replicas); the sender
 * works through due deliveries, each leased, keeping to the platform's pace per channel.
 */
export function createNudgeJobs(deps: {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly notifier: NudgeNotifier;
  readonly settings: DeliverySettings;
  /** Counts each attempt's outcome (for /metrics). */
  readonly onOutcome?: (outcome: DeliveryOutcome) => void;
}): NudgeJobs {
  const owner = `sender-${randomUUID()}`;
  const lastPost = new Map<string, number>();
  let stopped = false;
  let task: ScheduledTask | undefined;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<unknown> = Promise.resolve();
  let sending: Promise<unknown> = Promise.resolve();

  const schedule = async () => {
    const report = await scheduleNudges(deps);
    if (report.due > 0) deps.logger.info({ ...report }, "nudge scheduler tick");
    return report;
  };

  const send = async (): Promise<DeliveryOutcome[]> => {
    const outcomes: DeliveryOutcome[] = [];
    for (let n = 0; n < ROUND_LIMIT && !stopped; n++) {
      const [target] = await deps.storage.nudges.claimDeliveries({
        owner,
        now: deps.clock.now(),
        leaseSeconds: LEASE_SECONDS,
        limit: 1,
      });
      if (!target) break;
      try {
        const outcome = await deliverNudge(deps, target, { pace });
        outcomes.push(outcome);
        deps.onOutcome?.(outcome);
      } catch (error) {
        // The lease runs out and a later round tries again, looking for the message first.
        deps.logger.error({ ...target, err: error }, "nudge delivery failed");
      }
    }
    return outcomes;
  };

  /** Waits until a post to this channel (channel ids are per workspace) keeps Slack's pace, and books the slot. */
  async function pace({ tenantId, target }: { readonly tenantId: string; readonly target: string }): Promise<void> {
    const channel = `${tenantId}:${target}`;
    const wait = (lastPost.get(channel) ?? 0) + CHANNEL_GAP_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lastPost.set(channel, Date.now());
    // Forget what no longer holds anything back, so the map does not grow with the fleet.
    if (lastPost.size > 10_000) {
      for (const [key, at] of lastPost) if (at + CHANNEL_GAP_MS < Date.now()) lastPost.delete(key);
    }
  }

  const round = (everyMs: number) => {
    sending = send()
      .catch((error) => deps.logger.error({ err: error }, "nudge sender round failed"))
      .finally(() => {
        if (!stopped) timer = setTimeout(() => round(everyMs), everyMs);
      });
  };

  const tick = () => {
    ticking = schedule().catch((error) => deps.logger.error({ err: error }, "nudge scheduler tick failed"));
    return ticking;
  };

  return {
    schedule,
    send,
    start(sendEveryMs) {
      // A replica coming back after everyone was down catches up on today at once.
      void tick();
      task = cronSchedule("* * * * *", tick, { name: "nudge-scheduler", noOverlap: true });
      timer = setTimeout(() => round(sendEveryMs), 0);
    },
    async stop() {
      stopped = true;
      await task?.stop();
      clearTimeout(timer);
      await Promise.all([ticking, sending]);
    },
  };
}
