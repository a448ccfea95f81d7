import { buildDigest, inputForOwner, ownersIn } from "../domain/digest.js";
import { dueLocalDate, type NudgeKind, type NudgeTarget } from "../domain/nudge.js";
import { isChatUserId } from "../domain/tenant.js";
import { localClock } from "../domain/when.js";
import { ValidationError } from "../errors.js";
import type { Clock, Logger, Storage, TenantRepositories } from "../ports.js";
import { err, ok, type Result } from "../result.js";
import { readDigestInput } from "./compose-digest.js";

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
      const outcome = await storage.withTenant(tenantId, (r) => composeAndClaim(r, now, localDate));
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

/**
 * Composes a day's nudge and stores it with its delivery to the tenant's channel (none when there
 * is nothing to say and the tenant wants no post then): "taken" when the day already has one.
 */
async function composeAndClaim(
  r: TenantRepositories,
  now: Date,
  localDate: string,
  kind: NudgeKind = "daily",
): Promise<"taken" | "silent" | "queued"> {
  // Another replica got here first: skip composing what would not be kept.
  if (await r.nudges.has(localDate, kind)) return "taken";
  const read = await readDigestInput(r, now, localDate);
  if (!read.ok) throw read.error;
  const input = { ...read.value, kind };
  const { tenant } = input;
  const digest = buildDigest(input);
  // The first nudge is a welcome: it is posted even with nothing in it, to say so.
  const quiet = digest.empty && kind === "daily" && tenant.settings.whenNothingToSay === "skip";
  const targets: NudgeTarget[] = quiet || tenant.nudgeChannel === null ? [] : [{ target: tenant.nudgeChannel }];
  // Owners also get their own contacts by direct message, when the tenant wants that.
  if (tenant.settings.ownerDms) {
    for (const owner of ownersIn(input).filter((o) => isChatUserId(tenant.platform, o))) {
      const theirs = buildDigest(inputForOwner(input, owner));
      if (!theirs.empty) targets.push({ target: owner, message: theirs });
    }
  }
  if (!(await r.nudges.claim(digest, targets, now))) return "taken";
  return targets.length === 0 ? "silent" : "queued";
}

/**
 * Today's nudge for one tenant, now rather than at its time (`touchpoint digest` without
 * --dry-run): composed and queued like the scheduler's, and like it, once per day.
 */
export async function queueNudgeNow(
  deps: { readonly storage: Storage; readonly clock: Clock },
  tenantId: string,
): Promise<
  Result<
    { readonly localDate: string; readonly outcome: "taken" | "silent" | "queued"; readonly channel: string },
    ValidationError
  >
> {
  return deps.storage.withTenant(tenantId, async (r) => {
    const tenant = await r.tenant.get();
    if (tenant.nudgeChannel === null) {
      return err(new ValidationError("channel", `${tenant.name} has no nudge channel yet; set one first.`));
    }
    const now = deps.clock.now();
    const { date: localDate } = localClock(now, tenant.timeZone);
    const outcome = await composeAndClaim(r, now, localDate);
    return ok({ localDate, outcome, channel: tenant.nudgeChannel });
  });
}

/**
 * The first nudge, right after an admin first connects X (once its backfill is read) or first
 * imports contacts: "here is what you missed this week", now rather than the next morning. Once
 * per day at most, whichever comes first; the morning's nudge is not affected.
 */
export async function queueWelcomeNudge(
  deps: { readonly storage: Storage; readonly clock: Clock; readonly logger: Logger },
  tenantId: string,
): Promise<"taken" | "silent" | "queued"> {
  const outcome = await deps.storage.withTenant(tenantId, (r) => claimWelcomeNudge(r, deps.clock.now()));
  deps.logger.info({ tenantId, outcome }, "first nudge");
  return outcome;
}

/**
 * The first nudge composed and claimed inside the caller's transaction: in the one that stores
 * what earns it (a newly connected account's backfill), so a crash can't keep the one and lose the
 * other.
 */
export async function claimWelcomeNudge(r: TenantRepositories, now: Date): Promise<"taken" | "silent" | "queued"> {
  const tenant = await r.tenant.get();
  if (tenant.nudgeChannel === null) return "silent";
  return composeAndClaim(r, now, localClock(now, tenant.timeZone).date, "welcome");
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
