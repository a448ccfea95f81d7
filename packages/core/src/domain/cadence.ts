import type { Contact } from "./contact.js";
import type { TenantSettings } from "./tenant.js";

/**
 * How often a relationship wants a touch, by segment, until an admin says otherwise.
 * Chosen from common donor-stewardship practice: major donors and the board monthly,
 * everyone else less often.
 */
export const DEFAULT_CADENCE_BY_SEGMENT: Readonly<Record<string, number>> = {
  "major donor": 30,
  board: 30,
  influencer: 30,
  partner: 45,
  press: 60,
  donor: 60,
  volunteer: 60,
  supporter: 90,
};
export const FALLBACK_CADENCE_DAYS = 90;
export const MAX_CADENCE_DAYS = 3650;

/** How much a segment matters when ranking who to nudge about first. */
export const SEGMENT_WEIGHT: Readonly<Record<string, number>> = {
  "major donor": 5,
  board: 4,
  influencer: 3,
  partner: 3,
  donor: 3,
  press: 3,
  volunteer: 2,
  supporter: 2,
};
export const FALLBACK_SEGMENT_WEIGHT = 1;

export function cadenceFor(
  contact: Pick<Contact, "cadenceDays" | "segment">,
  settings: Pick<TenantSettings, "cadenceBySegment">,
): number {
  if (contact.cadenceDays !== null) return contact.cadenceDays;
  const segment = contact.segment ?? "";
  return settings.cadenceBySegment[segment] ?? DEFAULT_CADENCE_BY_SEGMENT[segment] ?? FALLBACK_CADENCE_DAYS;
}

export function segmentWeight(segment: string | null): number {
  return SEGMENT_WEIGHT[segment ?? ""] ?? FALLBACK_SEGMENT_WEIGHT;
}

export function isValidCadence(days: number): boolean {
  return Number.isInteger(days) && days >= 1 && days <= MAX_CADENCE_DAYS;
}
