import type { MentionAuthor } from "./mention.js";
import { stripUnstorable } from "./text.js";

/**
 * A post as a mention source reads it, whatever the platform: someone's post that names the
 * organization, or one of the organization's own posts (which may answer a mention).
 */
export interface IncomingPost {
  readonly postId: string;
  readonly author: MentionAuthor;
  readonly text: string;
  /** Where a person opens it, e.g. https://x.com/janedoe/status/1. */
  readonly url: string;
  readonly postedAt: Date;
  readonly conversationId: string | null;
  /** The post this one replies to, when it is a reply. */
  readonly repliesToPostId: string | null;
  /** The user this one replies to, when it is a reply. */
  readonly repliesToUserId: string | null;
  /** The post this one quotes, when it quotes one. */
  readonly quotesPostId: string | null;
}

/**
 * The post with every character Touchpoint does not store stripped (see text.ts): nobody here can
 * correct a post or its author's profile, and one such character would fail the whole page it
 * came in, whose cursor would then never move past it.
 */
export function storablePost(post: IncomingPost): IncomingPost {
  const optional = (value: string | null) => (value === null ? null : stripUnstorable(value));
  const { author } = post;
  return {
    ...post,
    postId: stripUnstorable(post.postId),
    author: {
      ...author,
      externalUserId: stripUnstorable(author.externalUserId),
      handle: stripUnstorable(author.handle),
      name: optional(author.name),
    },
    text: stripUnstorable(post.text),
    url: stripUnstorable(post.url),
    conversationId: optional(post.conversationId),
    repliesToPostId: optional(post.repliesToPostId),
    repliesToUserId: optional(post.repliesToUserId),
    quotesPostId: optional(post.quotesPostId),
  };
}

/** A user as the platform describes them (what connecting an account checks). */
export interface PlatformUser {
  readonly externalUserId: string;
  readonly handle: string;
  readonly name: string | null;
}

/** The platform's budget for one endpoint and credential, as its response headers state it. */
export interface RateLimit {
  readonly limit: number;
  readonly remaining: number;
  readonly resetAt: Date;
}

/** Which page to read: the newest posts after `sinceId`, or (first connect) those since `startTime`. */
export interface PageRequest {
  readonly sinceId: string | null;
  readonly startTime: Date | null;
  readonly paginationToken: string | null;
}

/** One page of posts, newest first, as the platform's pagination hands them out. */
export interface PostPage {
  readonly posts: readonly IncomingPost[];
  /** Items that could not be read (a missing field, an author the response left out): logged, skipped. */
  readonly skipped: readonly { readonly postId: string | null; readonly reason: string }[];
  /** The next (older) page, or null on the last. */
  readonly nextToken: string | null;
  /** The newest post id of the whole result set (the same on every page), or null when empty. */
  readonly newestId: string | null;
  readonly rateLimit: RateLimit | null;
}

/** Why a request to the platform did not give a page. */
export type SourceFailure =
  /** The credentials were refused (revoked, wrong): stop using them until an admin reconnects. */
  | { readonly kind: "unauthorized"; readonly detail: string }
  /** Over the budget: nothing more before `resetAt`. */
  | { readonly kind: "rate_limited"; readonly resetAt: Date; readonly rateLimit: RateLimit | null }
  /** No such user (connecting a handle that does not exist). */
  | { readonly kind: "not_found"; readonly detail: string }
  /** A 5xx, a malformed body, a network error: try again at the next poll. */
  | { readonly kind: "unavailable"; readonly detail: string; readonly rateLimit: RateLimit | null };
