import { dueLocalDate } from "../domain/nudge.js";
import type { Clock, Logger, Storage } from "../ports.js";
import { composeDigestIn } from "./compose-digest.js";

export interface ScheduleReport {
  /** Tenants whose nudge time has come today and have no nudge yet, as this replica saw them. */
  readonly due: number;
  /** Nudges this replica claimed, composed and queued (another replica may have taken the rest). */
  readonly claimed: number;
  /** Of those, with nothing to say and a tenant that wants no post then: stored, nothing queued. */
  readonly silent: number;
  readonly failed: number;
}

/**
 * One scheduler tick: every tenant whose nudge time has come today and has no nudge yet gets one.
 * For each, in one tenant transaction, the nudge is composed and stored with its deliveries (the
 * outbox); storing it is the claim, so across replicas and restarts each tenant gets exactly one
 * per local day. Replicas take the due tenants in their own random order, so at once they mostly
 * work on different tenants rather than racing for the same ones.
 */
export async function scheduleNudges(deps: {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
}): Promise<ScheduleReport> {
  const { storage, clock, logger } = deps;
  const now = clock.now();
  const due = (await storage.nudges.candidates()).flatMap((candidate) => {
    const localDate = dueLocalDate(candidate, now);
    return localDate === null ? [] : [{ tenantId: candidate.tenantId, localDate }];
  });
  shuffle(due);

  let claimed = 0;
  let silent = 0;
  let failed = 0;
  for (const { tenantId, localDate } of due) {
    try {
      const outcome = await storage.withTenant(tenantId, async (r) => {
        // Another replica got here first: skip composing what would not be kept.
        if (await r.nudges.has(localDate)) return "taken" as const;
        const tenant = await r.tenant.get();
        const composed = await composeDigestIn(r, now, localDate);
        if (!composed.ok) throw composed.error;
        const digest = composed.value;
        const quiet = digest.empty && tenant.settings.whenNothingToSay === "skip";
        const targets = quiet || tenant.nudgeChannel === null ? [] : [tenant.nudgeChannel];
        if (!(await r.nudges.claim(digest, targets, now))) return "taken" as const;
        return quiet ? ("silent" as const) : ("queued" as const);
      });
      if (outcome === "taken") continue;
      claimed++;
      if (outcome === "silent") silent++;
      logger.info({ tenantId, localDate, outcome }, "nudge composed");
    } catch (error) {
      // Nothing was stored: the next tick tries again, the same day.
      failed++;
      logger.error({ tenantId, localDate, err: error }, "nudge could not be composed");
    }
  }
  return { due: due.length, claimed, silent, failed };
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
