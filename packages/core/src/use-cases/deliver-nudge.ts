import { type DeliveryFailure, describeFailure, describeLookupFailure, mayHavePosted } from "../domain/nudge.js";
import type { Clock, Logger, NudgeNotifier, Storage } from "../ports.js";

export interface DeliverySettings {
  /** Failed attempts (429s aside) before a delivery is given up, dead but visible. */
  readonly maxAttempts: number;
  /** The wait after the first failed attempt; it doubles with each one after. */
  readonly retrySeconds: number;
  /** The longest wait between attempts. */
  readonly maxRetrySeconds: number;
}

/** 5 s, 10 s, 20 s … 15 min: twelve attempts span about an hour of a platform's trouble. */
export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = { maxAttempts: 12, retrySeconds: 5, maxRetrySeconds: 900 };

export type DeliveryOutcome =
  | { readonly kind: "sent"; readonly ref: string; readonly alreadyPosted: boolean }
  | { readonly kind: "retry"; readonly at: Date; readonly failure: DeliveryFailure }
  | { readonly kind: "dead"; readonly failure: DeliveryFailure }
  /** It may have been posted, and there is no way to look: not attempted again, never twice. */
  | { readonly kind: "unknown"; readonly detail: string }
  /** Not pending any more (sent or given up by another attempt), or gone. */
  | { readonly kind: "gone" };

/**
 * One attempt at one delivery (leased by the caller, its attempt already counted). An attempt after
 * the first looks for the message by what it carries, since the one before may have posted it (a
 * crash or a lost lease between the post and its bookkeeping, a timeout, a 5xx): found, it is
 * marked sent and not posted twice. Where there is no way to look (a Teams personal chat, consent
 * not granted), one that may have posted is marked `unknown` and not posted again; one after a
 * 412 or 429, which posted nothing, is posted. A 429 waits the time the platform asked, and does
 * not count against the message; other failures back off, doubling, until the delivery is given up.
 * After a post whose outcome is unknown, the next attempt waits at least as long as the notifier's
 * look-up needs to see what was posted (`lookupSettleSeconds`): looking sooner could miss it. After
 * an attempt that never finished (its post's time unknown), a look that finds nothing is made once
 * more after that long before anything is posted.
 */
export async function deliverNudge(
  deps: {
    readonly storage: Storage;
    readonly notifier: NudgeNotifier;
    readonly clock: Clock;
    readonly logger: Logger;
    readonly settings: DeliverySettings;
  },
  target: {
    readonly tenantId: string;
    readonly id: string;
    /** The attempt before this one never recorded how it went (ClaimedDelivery). */
    readonly interrupted?: boolean;
  },
  options: {
    /** Waits until a post to this tenant's target keeps the platform's pace (Slack: about one a second per channel). */
    readonly pace?: (delivery: { readonly tenantId: string; readonly target: string }) => Promise<void>;
  } = {},
): Promise<DeliveryOutcome> {
  const { storage, notifier, clock, logger, settings } = deps;
  const inTenant = <T>(work: Parameters<typeof storage.withTenant<T>>[1]) => storage.withTenant(target.tenantId, work);
  const delivery = await inTenant((r) => r.nudges.delivery(target.id));
  if (delivery?.status !== "pending") return { kind: "gone" };
  const log = { tenantId: delivery.tenantId, deliveryId: delivery.id, localDate: delivery.localDate };

  const settleSeconds = async () => (await notifier.lookupSettleSeconds?.(delivery)) ?? 0;

  const sent = async (ref: string, alreadyPosted: boolean): Promise<DeliveryOutcome> => {
    const marked = await inTenant((r) => r.nudges.markSent(delivery.id, { ref, at: clock.now() }));
    return marked ? { kind: "sent", ref, alreadyPosted } : { kind: "gone" };
  };

  const failed = async (
    failure: DeliveryFailure,
    options: {
      readonly error?: string;
      /** The next attempt waits at least this long (a post whose outcome is unknown, for the look to see it). */
      readonly atLeastSeconds?: number;
    } = {},
  ): Promise<DeliveryOutcome> => {
    const error = options.error ?? describeFailure(failure);
    const detail = failure.kind === "rate_limited" ? `rate limited for ${failure.retryAfterSeconds} s` : failure.detail;
    if (failure.kind === "rejected" || (failure.kind !== "rate_limited" && delivery.attempts >= settings.maxAttempts)) {
      await inTenant((r) => r.nudges.markDead(delivery.id, error));
      logger.error({ ...log, attempts: delivery.attempts, failure: failure.kind, detail }, "nudge delivery given up");
      return { kind: "dead", failure };
    }
    const waitSeconds =
      failure.kind === "rate_limited"
        ? failure.retryAfterSeconds
        : Math.max(
            options.atLeastSeconds ?? 0,
            Math.min(settings.maxRetrySeconds, settings.retrySeconds * 2 ** (delivery.attempts - 1)),
          );
    const at = new Date(clock.now().getTime() + waitSeconds * 1000);
    await inTenant((r) =>
      r.nudges.retryLater(delivery.id, { at, error, countsAsAttempt: failure.kind !== "rate_limited" }),
    );
    logger.warn(
      { ...log, attempts: delivery.attempts, failure: failure.kind, detail, retryAt: at },
      "nudge delivery will be retried",
    );
    return { kind: "retry", at, failure };
  };

  // Attempts that never finished (a crash, a bug that throws) count too: past the last, give up.
  if (delivery.attempts > settings.maxAttempts) {
    return failed({ kind: "unavailable", detail: `${delivery.attempts - 1} attempts did not finish` });
  }
  // Every attempt after the first looks (a 412 before it says nothing was posted then, but the look
  // is cheap, and it is what Slack's sender has always done); what may have posted decides only
  // what an impossible look means.
  if (delivery.attempts > 1) {
    const found = await notifier.findPosted(delivery);
    if (found.ok && found.value) {
      logger.info({ ...log, ref: found.value.ref }, "nudge was already posted; marked sent");
      return sent(found.value.ref, true);
    }
    // An attempt that never finished may have posted a moment ago (a replica restarted at once),
    // sooner than the look can see: look once more when it can, giving this attempt back.
    const settle = found.ok && target.interrupted ? await settleSeconds() : 0;
    if (settle > 0) {
      const at = new Date(clock.now().getTime() + settle * 1000);
      const failure: DeliveryFailure = {
        kind: "unavailable",
        detail: "an attempt did not finish; looking again once its post would show",
      };
      await inTenant((r) =>
        r.nudges.retryLater(delivery.id, { at, error: describeFailure(failure), countsAsAttempt: false }),
      );
      logger.info({ ...log, retryAt: at }, "nudge not found after an unfinished attempt; looking again later");
      return { kind: "retry", at, failure };
    }
    if (!found.ok) {
      const failure = found.error;
      if (failure.kind === "unverifiable" && !mayHavePosted(delivery, target.interrupted ?? false)) {
        logger.info({ ...log, detail: failure.detail }, "nothing was posted before; posting without a look");
      } else if (failure.kind === "unverifiable") {
        // Posting again could post it twice; not posting could lose it. Twice is the worse.
        const why = target.interrupted ? "an attempt did not finish" : (delivery.lastError ?? "an earlier attempt");
        const detail = `${why}; ${failure.detail}`;
        await inTenant((r) => r.nudges.markUnknown(delivery.id, `unknown: ${detail}`));
        logger.warn(
          { ...log, attempts: delivery.attempts, detail },
          "nudge delivery outcome unknown; not posted again",
        );
        return { kind: "unknown", detail };
      } else if (failure.kind !== "rejected") {
        return failed(failure, { error: describeLookupFailure(failure) });
      } else {
        // The look-up itself refused (a Slack scope not granted yet): post rather than lose the nudge.
        logger.warn({ ...log, detail: failure.detail }, "could not look for an earlier post; posting");
      }
    }
  }
  await options.pace?.(delivery);
  const posted = await notifier.post(delivery);
  if (posted.ok) return sent(posted.value.ref, false);
  // It may have been posted (a 5xx, a timeout): the next attempt looks for it, once the look can see it.
  return failed(posted.error, { atLeastSeconds: posted.error.kind === "unavailable" ? await settleSeconds() : 0 });
}
