import {
  type Contact,
  channelLabel,
  type Digest,
  type DigestPost,
  describeAge,
  describeDay,
  describeReach,
  describeSkippedBots,
  describeStats,
  formatIdentity,
  type RelationshipDetail,
  type RelationshipOverview,
  type RelationshipStatus,
  type RelationshipSummary,
} from "@touchpoint/core";
import { DateTime } from "luxon";

/** Plain-text views for the terminal: the demo and the CLI. Chat platforms get their own renderers. */

const SECTIONS: readonly { status: RelationshipStatus; title: string; limit: number }[] = [
  { status: "overdue", title: "GOING COLD — most overdue × most important first", limit: 10 },
  { status: "due", title: "DUE SOON", limit: 10 },
  { status: "never", title: "NEVER TOUCHED — most important first", limit: 6 },
  { status: "healthy", title: "IN TOUCH", limit: 6 },
];

const NOTE_WIDTH = 48;

function quote(note: string | null): string {
  if (!note) return "";
  const flat = note.replace(/\s+/g, " ");
  // Curly quotes, so a note with "quotes" of its own still reads.
  return ` “${flat.length > NOTE_WIDTH ? `${flat.slice(0, NOTE_WIDTH - 1)}…` : flat}”`;
}

function who(contact: Pick<Contact, "name" | "segment" | "owner">): string {
  return [contact.name, contact.segment, contact.owner && `owner ${contact.owner}`].filter(Boolean).join(" · ");
}

function daysText(days: number): string {
  return days === 1 ? "1 day" : `${days} days`;
}

function line(summary: RelationshipSummary, now: Date, timeZone: string): string[] {
  const { contact, lastTouch, daysSince, cadenceDays } = summary;
  if (lastTouch === null || daysSince === null) return [`• ${who(contact)} (cadence ${cadenceDays})`];
  const since =
    summary.status === "overdue"
      ? `${daysText(daysSince)} since the last touch (cadence ${cadenceDays})`
      : `last touch ${describeDay(lastTouch.occurredAt, now, timeZone)} (cadence ${cadenceDays})`;
  const detail = `    last: ${channelLabel(lastTouch.channel)} ${describeDay(lastTouch.occurredAt, now, timeZone).replace(/^(\d)/, "on $1")}${quote(lastTouch.note)}`;
  return summary.status === "healthy" ? [`• ${who(contact)} · ${since}`] : [`• ${who(contact)} · ${since}`, detail];
}

export function renderOverview(overview: RelationshipOverview, now: Date): string {
  const { tenant, relationships, counts } = overview;
  const today = DateTime.fromJSDate(now, { zone: tenant.timeZone }).toFormat("cccc d LLLL yyyy");
  const out = [
    `${tenant.name} · relationships on ${today} (${tenant.timeZone})`,
    `${relationships.length} contacts: ${counts.overdue} going cold · ${counts.due} due soon · ${counts.never} never touched · ${counts.healthy} in touch`,
  ];
  for (const section of SECTIONS) {
    const members = relationships.filter((r) => r.status === section.status);
    if (members.length === 0) continue;
    out.push("", `${section.title} (${members.length})`);
    for (const summary of members.slice(0, section.limit)) out.push(...line(summary, now, tenant.timeZone));
    if (members.length > section.limit) out.push(`  and ${members.length - section.limit} more`);
  }
  return out.join("\n");
}

export function renderRelationship(detail: RelationshipDetail, now: Date): string {
  const { summary, recentTouches, timeZone } = detail;
  const { contact } = summary;
  const identities = contact.identities.map(formatIdentity);
  const header = [contact.name, contact.segment, ...identities, contact.owner && `owner ${contact.owner}`]
    .filter(Boolean)
    .join(" · ");
  const out = [header];
  if (contact.tags.length > 0) out.push(`tags: ${contact.tags.join(", ")}`);
  if (contact.notes) out.push(`notes: ${contact.notes}`);
  const status = {
    never: "never touched",
    healthy: "in touch",
    due: "due soon",
    overdue: "going cold",
  }[summary.status];
  out.push(
    summary.daysSince === null
      ? `${status} · cadence ${summary.cadenceDays} days`
      : `${status} · ${daysText(summary.daysSince)} since the last touch · cadence ${summary.cadenceDays} days`,
  );
  if (summary.recent) {
    const r = summary.recent;
    out.push(
      `last 90 days: ${r.total} touch${r.total === 1 ? "" : "es"} · ${r.inbound} inbound · ${r.outbound} outbound`,
    );
  }
  for (const touch of recentTouches) {
    out.push(
      `  ${describeDay(touch.occurredAt, now, timeZone).padEnd(11)} ${channelLabel(touch.channel).padEnd(9)} ${touch.direction.padEnd(8)}${quote(touch.note)}`,
    );
  }
  return out.join("\n");
}

function postLines(post: DigestPost): string[] {
  return [`    ${quote(post.text).trim()}`, `    ${post.url}`];
}

/** The daily nudge as the terminal shows it (`touchpoint digest`, the demo): the same message Slack and Teams get. */
export function renderDigest(digest: Digest): string {
  const out = [`Good morning, ${digest.organization} — ${digest.dayLabel}`];
  if (digest.empty) {
    out.push("", "All caught up: nobody is waiting for a reply and no relationship is going cold.");
  }
  const more = (shown: number, total: number, what = "") =>
    total > shown ? [`  and ${total - shown} more${what}`] : [];
  const { waiting, goingCold, newVoices, skippedBots, stats } = digest;
  if (waiting.total > 0) {
    out.push("", `WAITING FOR A REPLY (${waiting.total})`);
    for (const item of waiting.items) {
      const assigned = item.assignee ? ` · assigned to ${item.assignee}` : "";
      out.push(
        `• ${who(item.contact)} · @${item.post.authorHandle} · ${describeAge(item.post.ageHours)} ago${assigned}`,
        ...postLines(item.post),
      );
    }
    out.push(...more(waiting.items.length, waiting.total));
  }
  if (goingCold.total > 0) {
    out.push("", `GOING COLD (${goingCold.total})`);
    for (const item of goingCold.items) {
      out.push(`• ${who(item.contact)} · ${item.reason}`);
      if (item.lastTouch) {
        const when = describeDay(item.lastTouch.occurredAt, digest.asOf, digest.timeZone).replace(/^(\d)/, "on $1");
        out.push(`    last: ${channelLabel(item.lastTouch.channel)} ${when}${quote(item.lastTouch.note)}`);
      }
    }
    out.push(...more(goingCold.items.length, goingCold.total));
  }
  if (newVoices.total > 0) {
    out.push("", `NEW VOICES (${newVoices.total})`);
    for (const item of newVoices.items) {
      const name = item.post.authorName
        ? `${item.post.authorName} (@${item.post.authorHandle})`
        : `@${item.post.authorHandle}`;
      out.push(
        `• ${name} · ${describeReach(item.followers)} · ${describeAge(item.post.ageHours)} ago`,
        ...postLines(item.post),
      );
    }
    out.push(...more(newVoices.items.length, newVoices.total));
  }
  const bots = describeSkippedBots(skippedBots);
  if (bots) out.push(`Skipped: ${bots}`);
  out.push("", `YESTERDAY  ${describeStats(stats)}`);
  return out.join("\n");
}
