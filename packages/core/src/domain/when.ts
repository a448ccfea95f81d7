import { DateTime } from "luxon";
import { err, ok, type Result } from "../result.js";

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A date word from chat, resolved later against the tenant's clock and time zone. */
export type WhenSpec =
  | { readonly kind: "today" }
  | { readonly kind: "yesterday" }
  | { readonly kind: "weekday"; readonly weekday: Weekday }
  | { readonly kind: "date"; readonly isoDate: string };

/** Earliest date we accept: older touches belong in an import, not a chat command. */
const OLDEST_YEARS = 10;

/**
 * Turns a date word into the moment the touch happened: now for today, otherwise noon local
 * time on that day (the hour is unknown, noon keeps the calendar day stable across zones).
 * A weekday means the most recent such day, today included.
 */
export function resolveWhen(spec: WhenSpec | null, now: Date, timeZone: string): Result<Date, string> {
  if (spec === null || spec.kind === "today") return ok(now);
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf("day");
  let day: DateTime;
  switch (spec.kind) {
    case "yesterday":
      day = today.minus({ days: 1 });
      break;
    case "weekday": {
      const target = WEEKDAYS.indexOf(spec.weekday) + 1;
      day = today.minus({ days: (today.weekday - target + 7) % 7 });
      break;
    }
    case "date": {
      day = DateTime.fromISO(spec.isoDate, { zone: timeZone });
      if (!day.isValid) return err(`${spec.isoDate} is not a real date`);
      if (day > today) return err(`${spec.isoDate} is in the future; log touches that happened`);
      if (day < today.minus({ years: OLDEST_YEARS })) {
        return err(`${spec.isoDate} is more than ${OLDEST_YEARS} years ago; import older history from a CSV`);
      }
      break;
    }
  }
  if (day.hasSame(today, "day")) return ok(now);
  return ok(day.set({ hour: 12 }).toJSDate());
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY_MS = 86_400_000;

/** One formatter per time zone: making one costs far more than using it. */
const calendars = new Map<string, Intl.DateTimeFormat>();

interface CalendarDay {
  readonly date: Date;
  readonly weekday: string;
  /** The wall clock, "HH:MM". */
  readonly time: string;
}

/** The last minute asked about per zone: "now" is asked about on every confirmation. */
const lastMinute = new Map<string, { readonly minute: number; readonly day: CalendarDay }>();

/** The calendar day `at` falls on in `timeZone`, as midnight UTC of that date, with its weekday. */
function calendarDay(at: Date, timeZone: string): CalendarDay {
  // Zones change offset on whole minutes, so a minute lies within one local day.
  const minute = Math.floor(at.getTime() / 60_000);
  const known = lastMinute.get(timeZone);
  if (known?.minute === minute) return known.day;
  const day = readCalendar(at, timeZone);
  lastMinute.set(timeZone, { minute, day });
  return day;
}

function readCalendar(at: Date, timeZone: string): CalendarDay {
  let calendar = calendars.get(timeZone);
  if (!calendar) {
    calendar = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      weekday: "long",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    calendars.set(timeZone, calendar);
  }
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of calendar.formatToParts(at)) part[type] = value;
  return {
    date: new Date(Date.UTC(Number(part.year), Number(part.month) - 1, Number(part.day))),
    weekday: part.weekday ?? "",
    time: `${part.hour}:${part.minute}`,
  };
}

/** The wall clock in a time zone: the date ("YYYY-MM-DD") and the time ("HH:MM"). */
export function localClock(at: Date, timeZone: string): { readonly date: string; readonly time: string } {
  const day = calendarDay(at, timeZone);
  return { date: day.date.toISOString().slice(0, 10), time: day.time };
}

/** Whole days between two moments' dates on the wall calendar of a time zone. */
export function calendarDaysBetween(earlier: Date, later: Date, timeZone: string): number {
  return Math.round(
    (calendarDay(later, timeZone).date.getTime() - calendarDay(earlier, timeZone).date.getTime()) / DAY_MS,
  );
}

/**
 * "today", "yesterday", "Tuesday", "17 Nov", "3 Sep 2024": how a date reads back in chat. Every
 * confirmation and card says this, so it is Intl with a cached formatter rather than luxon.
 */
export function describeDay(at: Date, now: Date, timeZone: string): string {
  const day = calendarDay(at, timeZone);
  const today = calendarDay(now, timeZone);
  const days = Math.round((today.date.getTime() - day.date.getTime()) / DAY_MS);
  if (days === 0) return "today";
  if (days === 1) return "yesterday";
  if (days > 1 && days < 7) return day.weekday;
  const date = `${day.date.getUTCDate()} ${MONTHS[day.date.getUTCMonth()]}`;
  return day.date.getUTCFullYear() === today.date.getUTCFullYear() ? date : `${date} ${day.date.getUTCFullYear()}`;
}
