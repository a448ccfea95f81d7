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
