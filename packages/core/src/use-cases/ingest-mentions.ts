import type { Mention, MentionKind, NewMention, OwnPost } from "../domain/mention.js";
import { type IncomingPost, storablePost } from "../domain/post.js";
import type { SocialAccount } from "../domain/social-account.js";
import { truncateText } from "../domain/text.js";
import { MAX_NOTE_LENGTH, type NewTouchpoint, type TouchChannel } from "../domain/touchpoint.js";
import type { TenantRepositories } from "../ports.js";

export interface IngestCounts {
  /** Posts stored for the first time (a re-delivered post counts once, the first time). */
  readonly stored: number;
  /** Touchpoints logged: inbound for a known contact's mention, outbound for a reply to one. */
  readonly touchpoints: number;
  /** Mentions that an own reply marked answered. */
  readonly answered: number;
}

const CHANNEL_OF: Record<MentionKind, TouchChannel> = { mention: "x_mention", reply: "x_reply", quote: "x_quote" };

/** A post's one touchpoint, whichever way it is ingested: the same post never logs twice. */
export const postSourceRef = (platform: string, postId: string) => `${platform}:post:${postId}`;

/** A reply to the organization's post, a quote, or a plain mention. */
export function mentionKind(post: IncomingPost, account: SocialAccount): MentionKind {
  if (post.repliesToPostId !== null && post.repliesToUserId === account.externalUserId) return "reply";
  if (post.quotesPostId !== null) return "quote";
  return "mention";
}

/** Whether an own post answers a mention: it replies to it, or later in its thread to its author. */
export function answers(own: OwnPost, mention: Mention): boolean {
  if (own.repliesToPostId === mention.postId) return true;
  return (
    own.conversationId !== null &&
    own.conversationId === mention.conversationId &&
    own.repliesToUserId === mention.author.externalUserId &&
    own.postedAt.getTime() >= mention.postedAt.getTime()
  );
}

const note = (text: string) => truncateText(text, MAX_NOTE_LENGTH);

/**
 * Stores a page of mentions of the organization's account (each post once), resolves their
 * authors to contacts (the platform's user id first: handles change), logs an inbound touchpoint
 * for each known contact, and marks answered any whose reply was already seen. Unknown authors stay
 * as mentions without a contact: the nudge's "new voices".
 */
export async function ingestMentions(
  repos: TenantRepositories,
  input: { readonly account: SocialAccount; readonly posts: readonly IncomingPost[] },
): Promise<IngestCounts> {
  const { account } = input;
  // The account's own posts in its mentions (a thread it continued) are not mentions of it.
  const posts = dedupe(
    input.posts.map(storablePost).filter((post) => post.author.externalUserId !== account.externalUserId),
  );
  if (posts.length === 0) return { stored: 0, touchpoints: 0, answered: 0 };

  const { contactOf, learning } = await resolveAuthors(repos, account, posts);
  const mentions: NewMention[] = posts.map((post) => ({
    platform: account.platform,
    postId: post.postId,
    author: post.author,
    contactId: contactOf(post),
    text: post.text,
    url: post.url,
    postedAt: post.postedAt,
    kind: mentionKind(post, account),
    conversationId: post.conversationId,
  }));
  // Each known contact's post logs an inbound touch, written with the mention only if it is new.
  const touches = new Map<string, NewTouchpoint>();
  for (const mention of mentions) {
    if (mention.contactId === null) continue;
    touches.set(mention.postId, {
      contactId: mention.contactId,
      occurredAt: mention.postedAt,
      channel: CHANNEL_OF[mention.kind],
      direction: "inbound",
      note: note(mention.text),
      loggedBy: `${account.platform}:${mention.author.handle}`,
      source: "x",
      sourceRef: postSourceRef(account.platform, mention.postId),
    });
  }
  // A reply can be read before the mention it answers (the two come from different endpoints).
  // The look-up for stored replies needs nothing from the insert, so all three go out at once: on
  // Postgres, one round trip in the page's transaction.
  const [inserted, replies] = await Promise.all([
    repos.mentions.insertMany(mentions, touches),
    repos.ownPosts.findReplies(account.platform, {
      postIds: mentions.map((mention) => mention.postId),
      conversationIds: unique(mentions.map((mention) => mention.conversationId)),
    }),
    learning,
  ]);
  const stored = mentions.filter((mention) => inserted.stored.has(mention.postId));
  const answered = await answerFromStoredReplies(repos, account, stored, replies);
  return { stored: stored.length, touchpoints: inserted.touchpoints, answered };
}

/**
 * Stores a page of the organization's own posts, and for each new reply marks the open mentions
 * it answers replied, logging an outbound touchpoint when the mention's author is a contact.
 */
export async function ingestOwnPosts(
  repos: TenantRepositories,
  input: { readonly account: SocialAccount; readonly posts: readonly IncomingPost[] },
): Promise<IngestCounts> {
  const { account } = input;
  const own: OwnPost[] = dedupe(input.posts.map(storablePost)).map((post) => ({
    platform: account.platform,
    postId: post.postId,
    postedAt: post.postedAt,
    conversationId: post.conversationId,
    repliesToPostId: post.repliesToPostId,
    repliesToUserId: post.repliesToUserId,
  }));
  if (own.length === 0) return { stored: 0, touchpoints: 0, answered: 0 };
  const fresh = await repos.ownPosts.insertMany(own);
  const replies = own.filter((post) => fresh.has(post.postId) && post.repliesToPostId !== null);
  if (replies.length === 0) return { stored: fresh.size, touchpoints: 0, answered: 0 };

  const open = await repos.mentions.findOpen(account.platform, keysOf(replies));
  const { answered, touchpoints } = await markAnswered(repos, account, open, replies);
  return { stored: fresh.size, touchpoints, answered };
}

/** Marks the newly stored mentions that replies already seen answer. */
async function answerFromStoredReplies(
  repos: TenantRepositories,
  account: SocialAccount,
  stored: readonly NewMention[],
  replies: readonly OwnPost[],
): Promise<number> {
  if (stored.length === 0 || replies.length === 0) return 0;
  const open = await repos.mentions.findOpen(account.platform, {
    postIds: stored.map((mention) => mention.postId),
    conversationIds: [],
  });
  return (await markAnswered(repos, account, open, replies)).answered;
}

/** Each open mention answered by the earliest reply that answers it; one outbound touch per reply and contact. */
async function markAnswered(
  repos: TenantRepositories,
  account: SocialAccount,
  open: readonly Mention[],
  replies: readonly OwnPost[],
): Promise<{ answered: number; touchpoints: number }> {
  const byTime = [...replies].sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime());
  const marked: { mention: Mention; reply: OwnPost }[] = [];
  for (const mention of open) {
    const reply = byTime.find((candidate) => answers(candidate, mention));
    if (reply) marked.push({ mention, reply });
  }
  if (marked.length === 0) return { answered: 0, touchpoints: 0 };
  await repos.mentions.markReplied(marked.map(({ mention, reply }) => ({ id: mention.id, repliedAt: reply.postedAt })));

  const touches = new Map<string, NewTouchpoint>();
  for (const { mention, reply } of marked) {
    if (mention.contactId === null) continue;
    const sourceRef = `${postSourceRef(account.platform, reply.postId)}:${mention.contactId}`;
    touches.set(sourceRef, {
      contactId: mention.contactId,
      occurredAt: reply.postedAt,
      channel: "x_reply",
      direction: "outbound",
      note: truncateText(`Replied to @${mention.author.handle}: ${mention.text}`, MAX_NOTE_LENGTH),
      loggedBy: `${account.platform}:${account.handle}`,
      source: "x",
      sourceRef,
    });
  }
  const touchpoints = touches.size > 0 ? await repos.touchpoints.recordMany([...touches.values()]) : 0;
  return { answered: marked.length, touchpoints };
}

/** The contact behind each post's author: by the platform's user id first, then by handle. */
async function resolveAuthors(
  repos: TenantRepositories,
  account: SocialAccount,
  posts: readonly IncomingPost[],
): Promise<{ contactOf: (post: IncomingPost) => string | null; learning: Promise<void> }> {
  const holders = await repos.contacts.identityHolders(account.platform, {
    externalUserIds: unique(posts.map((post) => post.author.externalUserId)),
    handles: unique(posts.map((post) => post.author.handle.toLowerCase())),
  });
  const byUserId = new Map<string, string>();
  const byHandle = new Map<string, { readonly contactId: string; readonly knowsUserId: boolean }>();
  for (const holder of holders) {
    if (holder.externalUserId !== null) byUserId.set(holder.externalUserId, holder.contactId);
    if (holder.handle !== null && !byHandle.has(holder.handle)) {
      byHandle.set(holder.handle, { contactId: holder.contactId, knowsUserId: holder.externalUserId !== null });
    }
  }
  // A contact found by handle alone learns the author's user id, so a later handle change still finds them.
  const learned = new Map<string, string>();
  for (const { author } of posts) {
    const handle = author.handle.toLowerCase();
    const holder = byHandle.get(handle);
    // An id two handles claim in one page (a rename mid-page) is learned once, for the first.
    const claimed = [...learned.values()].includes(author.externalUserId);
    if (!byUserId.has(author.externalUserId) && holder && !holder.knowsUserId && !claimed) {
      learned.set(handle, author.externalUserId);
    }
  }
  // Sent alongside the page's insert: nothing in the page depends on it.
  const learning =
    learned.size > 0
      ? repos.contacts.learnExternalUserIds(
          account.platform,
          [...learned].map(([handle, externalUserId]) => ({ handle, externalUserId })),
        )
      : Promise.resolve();
  const contactOf = (post: IncomingPost) =>
    byUserId.get(post.author.externalUserId) ?? byHandle.get(post.author.handle.toLowerCase())?.contactId ?? null;
  return { contactOf, learning };
}

function keysOf(replies: readonly OwnPost[]) {
  return {
    postIds: unique(replies.map((reply) => reply.repliesToPostId)),
    conversationIds: unique(replies.map((reply) => reply.conversationId)),
  };
}

function unique(values: readonly (string | null)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== null))];
}

/** A page may repeat a post (an API retry, a boundary between pages): the first copy counts. */
function dedupe(posts: readonly IncomingPost[]): IncomingPost[] {
  const seen = new Set<string>();
  return posts.filter((post) => !seen.has(post.postId) && Boolean(seen.add(post.postId)));
}
