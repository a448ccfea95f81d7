import { segmentWeight } from "./cadence.js";
import type { RelationshipSummary } from "./health.js";
import { botSignals, describeBotSignals, isLikelyBot, type Mention } from "./mention.js";
import type { NudgeKind } from "./nudge.js";
import type { Tenant } from "./tenant.js";
import type { TouchChannel } from "./touchpoint.js";

/**
 * The daily nudge as one platform-neutral message: what is waiting for a reply, which
 * relationships are going cold, who is new, and how the team is doing. Slack and Teams render it;
 * the CLI prints it. Every list is capped, with how many more there are.
 */
export interface Digest {
  readonly tenantId: string;
  readonly organization: string;
  /** The organization's time zone, which every date in it is said in. */
  readonly timeZone: string;
  /** When it was composed as of: now for today's, the nudge time for another day's. */
  readonly asOf: Date;
  /** The tenant's local date the nudge is for (YYYY-MM-DD). */
  readonly localDate: string;
  /** Whose contacts only, for a relationship owner's direct message; null for the team's channel. */
  readonly owner: string | null;
  /** The morning's nudge, or the first one ("what you missed this week"). */
  readonly kind: NudgeKind;
  /** "Tuesday 24 Nov" */
  readonly dayLabel: string;
  readonly waiting: DigestSection<WaitingItem>;
  readonly goingCold: DigestSection<ColdItem>;
  readonly newVoices: DigestSection<NewVoiceItem>;
  /** Likely bots among the new voices, left out of the list, with the signals that flagged them. */
  readonly skippedBots: DigestSection<SkippedBot>;
  readonly stats: DigestStats;
  /** Nothing waiting, cold or new: the tenant chooses between no post and "all caught up". */
  readonly empty: boolean;
}

export interface DigestSection<T> {
  readonly items: readonly T[];
  /** How many there are in all; `total - items.length` are "and N more". */
  readonly total: number;
}

export interface DigestContact {
  readonly id: string;
  readonly name: string;
  readonly segment: string | null;
  readonly owner: string | null;
}

export interface DigestPost {
  readonly mentionId: string;
  readonly postId: string;
  readonly url: string;
  readonly text: string;
  readonly postedAt: Date;
  /** Whole hours since it was posted, at composing time. */
  readonly ageHours: number;
  readonly authorHandle: string;
  readonly authorName: string | null;
}

export interface WaitingItem {
  readonly post: DigestPost;
  readonly contact: DigestContact;
  readonly assignee: string | null;
}

export interface ColdItem {
  readonly contact: DigestContact;
  readonly daysSince: number;
  readonly cadenceDays: number;
  /** "62 days since the last touch (cadence 30)" */
  readonly reason: string;
  readonly lastTouch: {
    readonly channel: TouchChannel;
    readonly occurredAt: Date;
    readonly note: string | null;
  } | null;
}

export interface NewVoiceItem {
  readonly post: DigestPost;
  readonly followers: number | null;
}

export interface SkippedBot {
  readonly post: DigestPost;
  /** "3 followers, follows 4,800, 7 posts, default avatar" */
  readonly why: string;
}

export interface DigestStats {
  /** Mentions received on the local day before, and how many of those are answered by now. */
  readonly yesterday: { readonly mentions: number; readonly replied: number };
  /** Median time from mention to reply, over the last 7 days' mentions that are answered; null with none. */
  readonly medianReplyMinutes: number | null;
  /** The share of the organization's own posts in the last 7 days that were replies, not broadcasts. */
  readonly conversationRatio: number | null;
}

/** What the store says about mentions and posts, for the composer. */
export interface MentionActivity {
  readonly yesterdayMentions: number;
  readonly yesterdayReplied: number;
  readonly medianReplySeconds: number | null;
  readonly weekOwnPosts: number;
  readonly weekOwnReplies: number;
}

export const DIGEST_LIMITS = { waiting: 5, goingCold: 5, newVoices: 3, skippedBots: 3 } as const;

export interface DigestInput {
  readonly tenant: Tenant;
  /** Composing one owner's view (see inputForOwner); absent for the team's. */
  readonly owner?: string;
  /** Absent: the morning's. */
  readonly kind?: NudgeKind;
  readonly localDate: string;
  readonly dayLabel: string;
  readonly now: Date;
  /** Contacts past their cadence, the most urgent first (of them, the store's first few), and how many. */
  readonly cold: { readonly relationships: readonly RelationshipSummary[]; readonly total: number };
  /** Open mentions from contacts, the most urgent first, with their contact, and how many there are. */
  readonly fromContacts: {
    readonly mentions: readonly { readonly mention: Mention; readonly contact: DigestContact }[];
    readonly total: number;
  };
  /** Recent open mentions from people who are not contacts, by reach, and how many there are. */
  readonly fromStrangers: { readonly mentions: readonly Mention[]; readonly total: number };
  readonly activity: MentionActivity;
}

/**
 * One relationship owner's share of the day: their contacts' relationships and waiting mentions
 * (of those the store handed the composer), and no new voices: those are the team's.
 */
export function inputForOwner(input: DigestInput, owner: string): DigestInput {
  const relationships = input.cold.relationships.filter((r) => r.contact.owner === owner);
  const mentions = input.fromContacts.mentions.filter((m) => m.contact.owner === owner);
  return {
    ...input,
    owner,
    cold: { relationships, total: relationships.length },
    fromContacts: { mentions, total: mentions.length },
    fromStrangers: { mentions: [], total: 0 },
  };
}

/** The owners with something in the day's input: a contact of theirs waiting or going cold. */
export function ownersIn(input: DigestInput): string[] {
  const owners = new Set<string>();
  for (const r of input.cold.relationships) if (r.contact.owner) owners.add(r.contact.owner);
  for (const { contact } of input.fromContacts.mentions) if (contact.owner) owners.add(contact.owner);
  return [...owners].sort();
}

const HOUR_MS = 3_600_000;

function postOf(mention: Mention, now: Date): DigestPost {
  return {
    mentionId: mention.id,
    postId: mention.postId,
    url: mention.url,
    text: mention.text,
    postedAt: mention.postedAt,
    ageHours: Math.max(0, Math.floor((now.getTime() - mention.postedAt.getTime()) / HOUR_MS)),
    authorHandle: mention.author.handle,
    authorName: mention.author.name,
  };
}

const contactOf = (c: RelationshipSummary["contact"]): DigestContact => ({
  id: c.id,
  name: c.name,
  segment: c.segment,
  owner: c.owner,
});

/** How urgent a mention from a contact is: the segment's weight times how long it has waited. */
export function waitingScore(mention: Pick<Mention, "postedAt">, segment: string | null, now: Date): number {
  return segmentWeight(segment) * Math.max(1, now.getTime() - mention.postedAt.getTime());
}

/** How urgent a cold relationship is: how far past its cadence, times the segment's weight. */
export function coldScore(r: RelationshipSummary): number {
  return (r.overdueRatio ?? 0) * segmentWeight(r.contact.segment);
}

/** Composes the nudge from what the store said; pure, so the same input always reads the same. */
export function buildDigest(input: DigestInput): Digest {
  const { tenant, now } = input;

  const waitingAll = input.fromContacts.mentions
    .map(({ mention, contact }) => ({ mention, contact, score: waitingScore(mention, contact.segment, now) }))
    .sort((a, b) => b.score - a.score || a.mention.postId.localeCompare(b.mention.postId));
  const waiting = waitingAll.slice(0, DIGEST_LIMITS.waiting).map(({ mention, contact }) => ({
    post: postOf(mention, now),
    contact,
    assignee: mention.assignee,
  }));

  const cold = input.cold.relationships
    .filter((r) => r.status === "overdue" && r.daysSince !== null)
    .sort((a, b) => coldScore(b) - coldScore(a) || a.contact.name.localeCompare(b.contact.name));
  const goingCold = cold.slice(0, DIGEST_LIMITS.goingCold).map((r) => ({
    contact: contactOf(r.contact),
    daysSince: r.daysSince ?? 0,
    cadenceDays: r.cadenceDays,
    reason: `${r.daysSince} days since the last touch (cadence ${r.cadenceDays})`,
    lastTouch: r.lastTouch && {
      channel: r.lastTouch.channel,
      occurredAt: r.lastTouch.occurredAt,
      note: r.lastTouch.note,
    },
  }));

  const voices: NewVoiceItem[] = [];
  const bots: SkippedBot[] = [];
  for (const mention of input.fromStrangers.mentions) {
    const signals = botSignals(mention.author, now);
    if (isLikelyBot(signals)) bots.push({ post: postOf(mention, now), why: describeBotSignals(signals) });
    else voices.push({ post: postOf(mention, now), followers: mention.author.followers });
  }
  // Those the store did not send (past its limit) are counted as voices: only a read author is judged.
  const unread = Math.max(0, input.fromStrangers.total - input.fromStrangers.mentions.length);

  const { activity } = input;
  const stats: DigestStats = {
    yesterday: { mentions: activity.yesterdayMentions, replied: activity.yesterdayReplied },
    medianReplyMinutes: activity.medianReplySeconds === null ? null : Math.round(activity.medianReplySeconds / 60),
    conversationRatio: activity.weekOwnPosts === 0 ? null : activity.weekOwnReplies / activity.weekOwnPosts,
  };

  const waitingTotal = input.fromContacts.total;
  const coldTotal = Math.max(input.cold.total, cold.length);
  const voicesTotal = voices.length + unread;
  return {
    tenantId: tenant.id,
    organization: tenant.name,
    timeZone: tenant.timeZone,
    asOf: now,
    localDate: input.localDate,
    owner: input.owner ?? null,
    kind: input.kind ?? "daily",
    dayLabel: input.dayLabel,
    waiting: { items: waiting, total: waitingTotal },
    goingCold: { items: goingCold, total: coldTotal },
    newVoices: { items: voices.slice(0, DIGEST_LIMITS.newVoices), total: voicesTotal },
    skippedBots: { items: bots.slice(0, DIGEST_LIMITS.skippedBots), total: bots.length },
    stats,
    empty: waitingTotal === 0 && coldTotal === 0 && voicesTotal === 0,
  };
}

/** "9 mentions · 6 replied · median reply 2 h 10 m · 7-day conversation ratio 64%" */
export function describeStats(stats: DigestStats): string {
  const { mentions, replied } = stats.yesterday;
  return [
    `${mentions} mention${mentions === 1 ? "" : "s"}`,
    `${replied} replied`,
    stats.medianReplyMinutes === null ? null : `median reply ${describeMinutes(stats.medianReplyMinutes)}`,
    stats.conversationRatio === null ? null : `7-day conversation ratio ${Math.round(stats.conversationRatio * 100)}%`,
  ]
    .filter(Boolean)
    .join(" · ");
}

/** "6 likely bots (@xx_promo: 3 followers, follows 4,800; and 5 more)", or null with none. */
export function describeSkippedBots(bots: DigestSection<SkippedBot>): string | null {
  const [first] = bots.items;
  if (!first) return null;
  const rest = bots.total > 1 ? `; and ${bots.total - 1} more` : "";
  return `${bots.total} likely bot${bots.total === 1 ? "" : "s"} (@${first.post.authorHandle}: ${first.why}${rest})`;
}

/** "5 h", "2 days": a post's age as the nudge says it. */
export function describeAge(ageHours: number): string {
  if (ageHours < 1) return "under an hour";
  if (ageHours < 24) return `${ageHours} h`;
  const days = Math.floor(ageHours / 24);
  return days === 1 ? "1 day" : `${days} days`;
}

/** "2 h 10 m", "45 m", "3 days": a median reply time. */
export function describeMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} m`;
  if (minutes < 48 * 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest === 0 ? `${hours} h` : `${hours} h ${rest} m`;
  }
  return `${Math.round(minutes / (24 * 60))} days`;
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** "240k followers", "1.2m followers", "980 followers": a follower count, short. */
export function describeReach(followers: number | null): string {
  if (followers === null) return "followers unknown";
  return `${compact.format(followers).toLowerCase()} followers`;
}
