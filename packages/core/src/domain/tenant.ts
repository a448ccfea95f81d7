import { IANAZone } from "luxon";
import { err, ok, type Result } from "../result.js";
import { stripUnstorable } from "./text.js";

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

/**
 * A person's name as a chat platform gives it (nobody here can correct it): what the database can't
 * hold dropped, blank as none.
 */
export function memberName(name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  return stripUnstorable(name).trim() || null;
}

export const DEFAULT_TIME_ZONE = "UTC";
export const DEFAULT_NUDGE_TIME = "09:00";

export const DEFAULT_SETTINGS: TenantSettings = {
  cadenceBySegment: {},
  whenNothingToSay: "skip",
  ownerDms: false,
};

/**
 * A place's time zone, stored by its canonical IANA name ("america/new_york" → "America/New_York").
 * Abbreviations like EST are refused: they are fixed offsets (EST never observes daylight saving),
 * so a New York nudge set with one would come an hour late all summer.
 */
export function validateTimeZone(input: string): Result<string, string> {
  const zone = input.trim();
  if (!IANAZone.isValidZone(zone)) {
    return err(`"${input}" is not a time zone; use an IANA name like America/New_York or Europe/London`);
  }
  if (!zone.includes("/") && !/^(utc|gmt)$/i.test(zone)) {
    return err(
      `"${input}" is an abbreviation, not a place, and doesn't follow daylight saving; use a place like America/New_York or Europe/London`,
    );
  }
  return ok(new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone);
}

const NUDGE_TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

export function validateNudgeTime(input: string): Result<string, string> {
  const match = NUDGE_TIME.exec(input.trim());
  if (!match) return err(`"${input}" is not a time of day; use 24-hour HH:MM like 09:00 or 16:30`);
  return ok(`${match[1]?.padStart(2, "0")}:${match[2]}`);
}

const CHANNEL_ID = /^[A-Za-z0-9:@._-]{1,200}$/;

/** A Slack channel id (C0123ABCD) or a Teams conversation id; empty clears it. */
export function validateChannelId(input: string | null): Result<string | null, string> {
  const channel = input?.trim() ?? "";
  if (channel === "") return ok(null);
  return CHANNEL_ID.test(channel) ? ok(channel) : err(`"${channel}" is not a channel id (like C0123ABCD)`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function validatePlatform(input: string): Result<Platform, string> {
  return (PLATFORMS as readonly string[]).includes(input)
    ? ok(input as Platform)
    : err(`"${input}" is not a platform; use slack or teams`);
}

/**
 * Whether an owner names someone the platform can message (a Slack user id, a Teams user id),
 * rather than text an import brought in ("Maria", "development"), which no DM can reach.
 */
export function isChatUserId(platform: Platform, id: string): boolean {
  if (platform === "slack") return /^[UW][A-Z0-9]{2,}$/.test(id);
  // Teams: the bot's id for a user (29:…), or the Microsoft Entra object id Touchpoint keeps people by.
  return /^29:\S+$/.test(id) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
