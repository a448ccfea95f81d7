import { IANAZone } from "luxon";
import { err, ok, type Result } from "../result.js";

export const PLATFORMS = ["slack", "teams"] as const;
export type Platform = (typeof PLATFORMS)[number];

export const MEMBER_ROLES = ["admin", "member"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export interface TenantSettings {
  /** Days between touches per segment; contacts may override. */
  readonly cadenceBySegment: Readonly<Record<string, number>>;
  /** With nothing to say: post nothing, or one line "all caught up". */
  readonly whenNothingToSay: "skip" | "all_caught_up";
  /** Also nudge relationship owners by DM about their own contacts. */
  readonly ownerDms: boolean;
}

export interface Tenant {
  readonly id: string;
  readonly platform: Platform;
  /** Slack team id (or Enterprise Grid org id for org-wide installs), Teams tenant id. */
  readonly externalId: string;
  readonly enterpriseId: string | null;
  readonly name: string;
  readonly timeZone: string;
  /** "HH:MM" in the tenant's time zone. */
  readonly nudgeTime: string;
  readonly nudgeChannel: string | null;
  readonly settings: TenantSettings;
  readonly createdAt: Date;
}

export interface NewTenant {
  readonly platform: Platform;
  readonly externalId: string;
  readonly enterpriseId?: string | null;
  readonly name: string;
  readonly timeZone?: string;
  readonly nudgeTime?: string;
  readonly nudgeChannel?: string | null;
}

export interface TenantPatch {
  readonly name?: string;
  readonly timeZone?: string;
  readonly nudgeTime?: string;
  readonly nudgeChannel?: string | null;
  readonly settings?: Partial<TenantSettings>;
}

export interface Member {
  readonly tenantId: string;
  readonly platformUserId: string;
  readonly role: MemberRole;
  readonly displayName: string | null;
}

export const DEFAULT_TIME_ZONE = "UTC";
export const DEFAULT_NUDGE_TIME = "09:00";

export const DEFAULT_SETTINGS: TenantSettings = {
  cadenceBySegment: {},
  whenNothingToSay: "skip",
  ownerDms: false,
};

export function validateTimeZone(input: string): Result<string, string> {
  const zone = input.trim();
  return IANAZone.isValidZone(zone)
    ? ok(zone)
    : err(`"${input}" is not a time zone; use an IANA name like America/New_York or Europe/London`);
}

const NUDGE_TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

export function validateNudgeTime(input: string): Result<string, string> {
  const match = NUDGE_TIME.exec(input.trim());
  if (!match) return err(`"${input}" is not a time of day; use 24-hour HH:MM like 09:00 or 16:30`);
  return ok(`${match[1]?.padStart(2, "0")}:${match[2]}`);
}

export function validatePlatform(input: string): Result<Platform, string> {
  return (PLATFORMS as readonly string[]).includes(input)
    ? ok(input as Platform)
    : err(`"${input}" is not a platform; use slack or teams`);
}
