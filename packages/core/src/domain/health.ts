import type { Contact } from "./contact.js";
import type { Direction, TouchChannel } from "./touchpoint.js";
import { calendarDaysBetween } from "./when.js";

export type RelationshipStatus = "never" | "healthy" | "due" | "overdue";

export interface LastTouch {
  readonly occurredAt: Date;
  readonly channel: TouchChannel;
  readonly direction: Direction;
  readonly note: string | null;
}

export interface TouchCounts {
  readonly total: number;
  readonly inbound: number;
  readonly outbound: number;
}

export interface RelationshipSummary {
  readonly contact: Contact;
  readonly lastTouch: LastTouch | null;
  /** Calendar days in the tenant's time zone since the last touch; null when never touched. */
  readonly daysSince: number | null;
  readonly cadenceDays: number;
  /** daysSince / cadenceDays: above 1 is overdue. Null when never touched. */
  readonly overdueRatio: number | null;
  readonly status: RelationshipStatus;
  /** Touches in the last 90 days, when counted. */
  readonly recent: TouchCounts | null;
}

export const RECENT_WINDOW_DAYS = 90;
/** A relationship is "due" from 80% of its cadence, so the nudge comes before it goes cold. */
const DUE_AT = 0.8;

export function assessRelationship(input: {
  contact: Contact;
  lastTouch: LastTouch | null;
  cadenceDays: number;
  recent: TouchCounts | null;
  now: Date;
  timeZone: string;
}): RelationshipSummary {
  const { contact, lastTouch, cadenceDays, recent, now, timeZone } = input;
  if (lastTouch === null) {
    return { contact, lastTouch, daysSince: null, cadenceDays, overdueRatio: null, status: "never", recent };
  }
  const daysSince = Math.max(0, calendarDaysBetween(lastTouch.occurredAt, now, timeZone));
  const overdueRatio = daysSince / cadenceDays;
  const status: RelationshipStatus = overdueRatio > 1 ? "overdue" : overdueRatio >= DUE_AT ? "due" : "healthy";
  return { contact, lastTouch, daysSince, cadenceDays, overdueRatio, status, recent };
}
