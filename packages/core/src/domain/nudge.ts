import type { Digest } from "./digest.js";
import { localClock } from "./when.js";

/** A tenant the scheduler may nudge: where it is, when it wants the nudge, and its last one. */
export interface NudgeCandidate {
  readonly tenantId: string;
  readonly timeZone: string;
  /** "HH:MM" in the tenant's time zone. */
  readonly nudgeTime: string;
  /** The local date of its latest nudge (YYYY-MM-DD), or null before the first. */
  readonly lastLocalDate: string | null;
}

/**
 * The local date whose nudge is due at `now`, or null: due once the tenant's wall clock has reached
 * its nudge time that day and that day has no nudge yet. Only today counts: a day that passed
 * while every replica was down is not made up the next morning. On a spring-forward day a time
 * that never happens (02:30 in New York) comes due at the first minute after it; on a fall-back
 * day a time that happens twice is due at the first, and the day's claim stops the second.
 */
export function dueLocalDate(candidate: NudgeCandidate, now: Date): string | null {
  const { date, time } = localClock(now, candidate.timeZone);
  if (time < candidate.nudgeTime) return null;
  if (candidate.lastLocalDate !== null && candidate.lastLocalDate >= date) return null;
  return date;
}

/** The morning's nudge, or the first one after an admin connects X or imports contacts. */
export const NUDGE_KINDS = ["daily", "welcome"] as const;
export type NudgeKind = (typeof NUDGE_KINDS)[number];

/** A day's nudge as someone saw it: the team's, or one owner's own view in their direct message. */
export interface NudgeRef {
  readonly localDate: string;
  readonly kind: NudgeKind;
  readonly owner: string | null;
}

/** A day's nudge as composed, and what people have done with its buttons since: what is shown. */
export interface NudgeView {
  readonly message: Digest;
  readonly actions: Readonly<Record<string, NudgeAction>>;
}

/** Where a nudge goes: the channel (the day's message), or an owner (their own view of it). */
export interface NudgeTarget {
  readonly target: string;
  readonly message?: Digest;
}

/** A queued delivery of a nudge, with the message it carries. */
export interface NudgeDelivery {
  readonly tenantId: string;
  readonly id: string;
  readonly localDate: string;
  readonly kind: NudgeKind;
  /** A channel id, or a person's id for a direct message. */
  readonly target: string;
  readonly status: DeliveryStatus;
  /** Attempts started so far, this one included. */
  readonly attempts: number;
  /** Why the last attempt failed, if it did. */
  readonly lastError: string | null;
  /** The platform's reference to the posted message, once sent. */
  readonly ref: string | null;
  readonly createdAt: Date;
  readonly message: Digest;
}

/**
 * `unknown`: an attempt whose outcome nobody can tell (a timeout, a 5xx after the platform may have
 * taken it) where the platform gives no way to look for the message: not posted again, so never
 * twice, but kept visible (and counted) rather than called sent.
 */
export const DELIVERY_STATUSES = ["pending", "sent", "dead", "unknown"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Why a platform did not take a message. */
export type DeliveryFailure =
  /** Asked to wait (HTTP 429): nothing was posted, and it is not counted against the message. */
  | { readonly kind: "rate_limited"; readonly retryAfterSeconds: number }
  /**
   * Not taken, and said so (Teams' 412; a connection refused before the request went out): nothing
   * was posted, so the next attempt posts without having to look for an earlier one.
   */
  | { readonly kind: "not_taken"; readonly detail: string }
  /** A 5xx, a timeout, a dropped connection: the message may or may not have been posted. */
  | { readonly kind: "unavailable"; readonly detail: string }
  /** Refused for good (no such channel, not a member, uninstalled): retrying will not help. */
  | { readonly kind: "rejected"; readonly detail: string };

/**
 * Why a look for an earlier attempt's message found nothing to go by: a failure like a post's, or
 * `unverifiable`: there is no way to look there at all (a Teams personal chat, a conversation whose
 * consent was not granted, no Microsoft Graph configured), so an unknown outcome stays unknown.
 */
export type LookupFailure = DeliveryFailure | { readonly kind: "unverifiable"; readonly detail: string };

/** How a failure is kept in a delivery's `lastError`: its kind first, so the next attempt can read it back. */
export function describeFailure(failure: DeliveryFailure): string {
  const detail = failure.kind === "rate_limited" ? `rate limited for ${failure.retryAfterSeconds} s` : failure.detail;
  return `${failure.kind}: ${detail}`;
}

/**
 * Whether an earlier attempt of this delivery may have posted its message: every attempt after the
 * first unless the one before it finished saying nothing was posted (a 429 or a `not_taken`, as
 * `describeFailure` kept it). One that never finished (`interrupted`: a crash, a lost lease) may
 * have posted; so may one that timed out or got a 5xx.
 */
export function mayHavePosted(delivery: Pick<NudgeDelivery, "attempts" | "lastError">, interrupted: boolean): boolean {
  if (delivery.attempts <= 1) return false;
  if (interrupted) return true;
  const kind = delivery.lastError?.slice(0, delivery.lastError.indexOf(":"));
  return kind !== "rate_limited" && kind !== "not_taken";
}

/**
 * A failed look for an earlier post, as kept in `lastError`: marked as the look-up's, so it never
 * reads back as "nothing was posted" (the post before it may still have been).
 */
export function describeLookupFailure(failure: DeliveryFailure): string {
  return `look-up ${describeFailure(failure)}`;
}

/** Dates in a stored message come back as strings; these are the fields that hold them. */
const DATE_FIELDS = new Set(["asOf", "postedAt", "occurredAt"]);

/** A message model read back from JSON, its dates Dates again. */
export function reviveDigest(json: unknown): Digest {
  return JSON.parse(typeof json === "string" ? json : JSON.stringify(json), (key, value) =>
    DATE_FIELDS.has(key) && typeof value === "string" ? new Date(value) : value,
  ) as Digest;
}

/** What someone did with a nudge's button, shown on the message in place of the buttons. */
export interface NudgeAction {
  readonly kind: "replied" | "snoozed" | "assigned" | "touched" | "added";
  /** The platform user id of who did it. */
  readonly by: string;
  /** When, as an ISO timestamp (it is kept as JSON with the message). */
  readonly at: string;
  /** "for a week", "call" …: said after the action. */
  readonly detail?: string;
}

/** A nudge's item, as its actions are keyed. */
export const nudgeItemKey = (item: { readonly mentionId: string } | { readonly contactId: string }) =>
  "mentionId" in item ? `mention:${item.mentionId}` : `contact:${item.contactId}`;

/** The nudge's buttons, by the ids every platform gives them (Slack's action_id, a Teams card's `action`). */
export const NUDGE_REPLIED = "nudge_replied";
export const NUDGE_SNOOZE_DAY = "nudge_snooze_day";
export const NUDGE_SNOOZE_WEEK = "nudge_snooze_week";
export const NUDGE_ASSIGN = "nudge_assign";
/** Log touch on a going-cold contact, Add as contact on a new voice: each asks for more first. */
export const NUDGE_LOG_TOUCH = "nudge_log_touch";
export const NUDGE_ADD_CONTACT = "nudge_add_contact";
export const NUDGE_BUTTONS = [
  NUDGE_REPLIED,
  NUDGE_SNOOZE_DAY,
  NUDGE_SNOOZE_WEEK,
  NUDGE_ASSIGN,
  NUDGE_LOG_TOUCH,
  NUDGE_ADD_CONTACT,
] as const;
export type NudgeButton = (typeof NUDGE_BUTTONS)[number];
