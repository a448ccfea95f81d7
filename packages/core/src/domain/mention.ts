export const MENTION_KINDS = ["mention", "reply", "quote"] as const;
export type MentionKind = (typeof MENTION_KINDS)[number];

export const MENTION_STATUSES = ["needs_reply", "replied", "dismissed", "snoozed"] as const;
export type MentionStatus = (typeof MENTION_STATUSES)[number];

/** What the social inbox keeps of a post's author, for ranking reach and spotting bots. */
export interface MentionAuthor {
  readonly externalUserId: string;
  readonly handle: string;
  readonly name: string | null;
  readonly followers: number | null;
  readonly following: number | null;
  readonly postCount: number | null;
  readonly defaultAvatar: boolean | null;
  readonly createdAt: Date | null;
  readonly verified: boolean | null;
}

export interface Mention {
  readonly tenantId: string;
  readonly id: string;
  readonly platform: "x" | "bluesky" | "mastodon";
  /** Unique per tenant: the same post ingested twice is one mention. */
  readonly postId: string;
  readonly author: MentionAuthor;
  readonly contactId: string | null;
  readonly text: string;
  readonly url: string;
  readonly postedAt: Date;
  readonly kind: MentionKind;
  readonly conversationId: string | null;
  readonly status: MentionStatus;
  readonly snoozedUntil: Date | null;
  readonly assignee: string | null;
  readonly repliedAt: Date | null;
}

/** A mention as ingest stores it: what the post said, and who it is from if we know them. */
export type NewMention = Omit<Mention, "tenantId" | "id" | "status" | "snoozedUntil" | "assignee" | "repliedAt">;

/** Mentions as the tenant's inbox holds them: open ones wait for a reply. */
export const OPEN_MENTION_STATUSES: readonly MentionStatus[] = ["needs_reply", "snoozed"];

/** One of the organization's own posts, kept to know which mentions it answered and how much it broadcasts. */
export interface OwnPost {
  readonly platform: "x" | "bluesky" | "mastodon";
  readonly postId: string;
  readonly postedAt: Date;
  readonly conversationId: string | null;
  readonly repliesToPostId: string | null;
  readonly repliesToUserId: string | null;
}

/**
 * The signals of a likely bot, after the seed post on reading Twitter accounts: too few followers
 * for how many it follows, fewer than 20 posts, no profile photo, a brand-new account. Each names
 * itself, so the nudge can say why it skipped someone.
 */
export type BotSignal =
  | { readonly kind: "follow_ratio"; readonly followers: number; readonly following: number }
  | { readonly kind: "few_posts"; readonly posts: number }
  | { readonly kind: "default_avatar" }
  | { readonly kind: "new_account"; readonly days: number };

/** Two signals make a likely bot: any one alone is common among real people. */
const LIKELY_BOT_SIGNALS = 2;
const FEW_POSTS = 20;
const NEW_ACCOUNT_DAYS = 30;
/** Following at least this many, and ten times more accounts than follow back. */
const MASS_FOLLOWING = 500;

export function botSignals(author: MentionAuthor, now: Date): BotSignal[] {
  const signals: BotSignal[] = [];
  const { followers, following, postCount, defaultAvatar, createdAt } = author;
  if (followers !== null && following !== null && following >= MASS_FOLLOWING && following >= followers * 10) {
    signals.push({ kind: "follow_ratio", followers, following });
  }
  if (postCount !== null && postCount < FEW_POSTS) signals.push({ kind: "few_posts", posts: postCount });
  if (defaultAvatar === true) signals.push({ kind: "default_avatar" });
  if (createdAt !== null) {
    const days = Math.floor((now.getTime() - createdAt.getTime()) / 86_400_000);
    if (days < NEW_ACCOUNT_DAYS) signals.push({ kind: "new_account", days: Math.max(days, 0) });
  }
  return signals;
}

export function isLikelyBot(signals: readonly BotSignal[]): boolean {
  return signals.length >= LIKELY_BOT_SIGNALS;
}

/** "3 followers, follows 4,800, 7 posts, default avatar": the signals as the nudge says them. */
export function describeBotSignals(signals: readonly BotSignal[]): string {
  const count = (n: number) => n.toLocaleString("en-US");
  const say = (signal: BotSignal): string => {
    switch (signal.kind) {
      case "follow_ratio":
        return `${count(signal.followers)} followers, follows ${count(signal.following)}`;
      case "few_posts":
        return `${count(signal.posts)} ${signal.posts === 1 ? "post" : "posts"}`;
      case "default_avatar":
        return "default avatar";
      case "new_account":
        return `account ${signal.days} ${signal.days === 1 ? "day" : "days"} old`;
    }
  };
  return signals.map(say).join(", ");
}
