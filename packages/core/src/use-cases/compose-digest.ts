import { DateTime } from "luxon";
import {
  DEFAULT_CADENCE_BY_SEGMENT,
  FALLBACK_CADENCE_DAYS,
  FALLBACK_SEGMENT_WEIGHT,
  SEGMENT_WEIGHT,
} from "../domain/cadence.js";
import { buildDigest, type Digest, type DigestInput } from "../domain/digest.js";
import { ValidationError } from "../errors.js";
import type { Clock, Storage, TenantRepositories } from "../ports.js";
import { err, ok, type Result } from "../result.js";

/** How many of each list the store hands the composer: enough to rank, whatever the history. */
const CANDIDATES = 50;
/** New voices are people who spoke up this week. */
const NEW_VOICE_DAYS = 7;

/**
 * The tenant's daily nudge for a local date (default: today in its time zone), composed from one
 * consistent read. Today's reads as of now; another day's as of that day's nudge time.
 */
export function composeDigest(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: { readonly tenantId: string; readonly localDate?: string },
): Promise<Result<Digest, ValidationError>> {
  return deps.storage.withTenant(input.tenantId, (repos) => composeDigestIn(repos, deps.clock.now(), input.localDate));
}

/** composeDigest inside a tenant transaction the caller holds (the scheduler stores what it composes in it). */
export async function composeDigestIn(
  repos: TenantRepositories,
  now: Date,
  localDate?: string,
): Promise<Result<Digest, ValidationError>> {
  const input = await readDigestInput(repos, now, localDate);
  return input.ok ? ok(buildDigest(input.value)) : input;
}

/** What the nudge for a day is composed from, read in one go (owners' views are cut from it). */
export async function readDigestInput(
  repos: TenantRepositories,
  now: Date,
  localDate?: string,
): Promise<Result<DigestInput, ValidationError>> {
  const tenant = await repos.tenant.get();
  const today = DateTime.fromJSDate(now, { zone: tenant.timeZone }).startOf("day");
  const day = localDate === undefined ? today : DateTime.fromISO(localDate, { zone: tenant.timeZone });
  if (localDate !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(localDate) || !day.isValid)) {
    return err(new ValidationError("date", `"${localDate}" is not a date; write it as YYYY-MM-DD.`));
  }
  const [hour, minute] = tenant.nudgeTime.split(":").map(Number);
  const at = day.hasSame(today, "day") ? now : day.set({ hour, minute }).toJSDate();

  const [cold, fromContacts, fromStrangers, activity] = await Promise.all([
    repos.contacts.goingCold({
      now: at,
      timeZone: tenant.timeZone,
      cadenceBySegment: { ...DEFAULT_CADENCE_BY_SEGMENT, ...tenant.settings.cadenceBySegment },
      fallbackCadence: FALLBACK_CADENCE_DAYS,
      weights: SEGMENT_WEIGHT,
      fallbackWeight: FALLBACK_SEGMENT_WEIGHT,
      limit: CANDIDATES,
    }),
    repos.mentions.waitingFromContacts({
      now: at,
      weights: SEGMENT_WEIGHT,
      fallbackWeight: FALLBACK_SEGMENT_WEIGHT,
      limit: CANDIDATES,
    }),
    repos.mentions.waitingFromStrangers({
      now: at,
      since: DateTime.fromJSDate(at).minus({ days: NEW_VOICE_DAYS }).toJSDate(),
      limit: CANDIDATES,
    }),
    repos.mentions.activity({
      yesterday: { from: day.minus({ days: 1 }).toJSDate(), to: day.toJSDate() },
      weekFrom: DateTime.fromJSDate(at).minus({ days: 7 }).toJSDate(),
    }),
  ]);
  return ok({
    tenant,
    localDate: day.toISODate() ?? "",
    dayLabel: day.setLocale("en-GB").toFormat("cccc d LLL"),
    now: at,
    cold,
    fromContacts,
    fromStrangers,
    activity,
  });
}
