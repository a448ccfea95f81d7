import type { IncomingPost, MentionAuthor } from "@touchpoint/core";

/**
 * Reading X's v2 wire format into the core's posts. Bodies are read as `unknown` and checked field
 * by field: the library's types promise shapes that a real response (a deleted author, a field X
 * left out) does not always keep, and one bad tweet must not cost the rest of its page.
 */

export type Skipped = { readonly postId: string | null; readonly reason: string };

type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

/**
 * X's ids are decimal strings (snowflakes). Anything else is not an id this client can trust: the
 * core strips what the database can't hold, and a stripped id could name another post.
 */
function xId(value: unknown): string | null {
  return typeof value === "string" && /^\d{1,20}$/.test(value) ? value : null;
}

function count(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function date(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** An X user object (`includes.users[]`) as a mention's author, or null without id and username. */
export function toAuthor(user: unknown): MentionAuthor | null {
  if (!isRecord(user)) return null;
  const externalUserId = xId(user.id);
  const handle = text(user.username);
  if (externalUserId === null || handle === null) return null;
  const metrics = isRecord(user.public_metrics) ? user.public_metrics : {};
  const avatar = text(user.profile_image_url);
  return {
    externalUserId,
    handle,
    name: text(user.name),
    followers: count(metrics.followers_count),
    following: count(metrics.following_count),
    postCount: count(metrics.tweet_count),
    // X serves one stock picture to every account that never set one; bots rarely do.
    defaultAvatar: avatar === null ? null : avatar.includes("default_profile_images"),
    createdAt: date(user.created_at),
    verified: typeof user.verified === "boolean" ? user.verified : null,
  };
}

function referencedId(tweet: Json, type: "replied_to" | "quoted"): string | null {
  if (!Array.isArray(tweet.referenced_tweets)) return null;
  const reference = tweet.referenced_tweets.find((r: unknown) => isRecord(r) && r.type === type);
  return isRecord(reference) ? xId(reference.id) : null;
}

/** One tweet of `data[]`, or why it was skipped. */
export function toPost(
  tweet: unknown,
  authors: ReadonlyMap<string, MentionAuthor>,
): { readonly post: IncomingPost } | { readonly skipped: Skipped } {
  const postId = isRecord(tweet) ? xId(tweet.id) : null;
  const skip = (reason: string) => ({ skipped: { postId, reason } });
  if (!isRecord(tweet)) return skip("not a tweet object");
  if (postId === null) return skip(tweet.id === undefined ? "missing id" : "id is not an X id (digits)");
  if (typeof tweet.text !== "string") return skip("missing text");
  const postedAt = date(tweet.created_at);
  if (postedAt === null) return skip("missing or unreadable created_at");
  const authorId = xId(tweet.author_id);
  if (authorId === null) {
    return skip(tweet.author_id === undefined ? "missing author_id" : "author_id is not an X id (digits)");
  }
  const author = authors.get(authorId);
  // X leaves a deleted or suspended author out of includes.users while still serving the tweet.
  if (author === undefined) return skip(`author ${authorId} is not in includes.users`);
  return {
    post: {
      postId,
      author,
      text: tweet.text,
      url: `https://x.com/${author.handle}/status/${postId}`,
      postedAt,
      conversationId: xId(tweet.conversation_id),
      repliesToPostId: referencedId(tweet, "replied_to"),
      repliesToUserId: xId(tweet.in_reply_to_user_id),
      quotesPostId: referencedId(tweet, "quoted"),
    },
  };
}

/** The readable users of `includes.users`, by id. */
export function authorsFrom(includes: unknown): Map<string, MentionAuthor> {
  const authors = new Map<string, MentionAuthor>();
  const users = isRecord(includes) && Array.isArray(includes.users) ? includes.users : [];
  for (const user of users) {
    const author = toAuthor(user);
    if (author) authors.set(author.externalUserId, author);
  }
  return authors;
}

/** Every tweet of a timeline page mapped or skipped, in X's order (newest first). */
export function readTweets(data: readonly unknown[], includes: unknown): { posts: IncomingPost[]; skipped: Skipped[] } {
  const authors = authorsFrom(includes);
  const posts: IncomingPost[] = [];
  const skipped: Skipped[] = [];
  for (const tweet of data) {
    const result = toPost(tweet, authors);
    if ("post" in result) posts.push(result.post);
    else skipped.push(result.skipped);
  }
  return { posts, skipped };
}

/** The largest snowflake id among the tweets, for a page whose meta forgot `newest_id`. */
export function newestIdOf(data: readonly unknown[]): string | null {
  let newest: bigint | null = null;
  for (const tweet of data) {
    const id = isRecord(tweet) ? tweet.id : undefined;
    if (typeof id !== "string" || !/^\d+$/.test(id)) continue;
    const value = BigInt(id);
    if (newest === null || value > newest) newest = value;
  }
  return newest === null ? null : String(newest);
}
