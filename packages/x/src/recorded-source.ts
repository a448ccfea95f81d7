import type { IncomingHttpHeaders } from "node:http";
import {
  err,
  type MentionSource,
  type OpenMentionSource,
  type PageRequest,
  type PlatformUser,
  type PostPage,
  type Result,
  type SourceFailure,
} from "@touchpoint/core";
import { decodePageToken } from "./page-token.js";
import { nextTokenOf, readTimelineResponse, readUserResponse } from "./responses.js";
import { isRecord } from "./tweets.js";

/**
 * X API v2 responses recorded once and replayed as a MentionSource: the demo reads them through
 * the same poll and ingest as a live account, with no network and no credentials. Each response is
 * X's raw body, read by the same functions as a live one (responses.ts).
 */
export interface XRecording {
  /** When the responses were recorded: the replay moves every date forward by the time since. */
  readonly recordedAt: Date;
  /** The body of `GET /2/users/by/username/:username` for the account the timelines belong to. */
  readonly user: Readonly<Record<string, unknown>>;
  /** The bodies of `GET /2/users/:id/mentions`, newest page first, each `meta.next_token` naming the next. */
  readonly mentions: readonly Readonly<Record<string, unknown>>[];
  /** The bodies of `GET /2/users/:id/tweets` (the account's own posts), likewise. */
  readonly tweets: readonly Readonly<Record<string, unknown>>[];
}

export interface RecordedXSourceOptions {
  /** The replay's clock: dates move by (now − recordedAt). Default: the system clock. */
  readonly now?: () => Date;
}

type Json = Record<string, unknown>;

/** A replayed response has no rate-limit headers: it spends no budget of X's. */
const NO_HEADERS: IncomingHttpHeaders = {};

/** A recording as its JSON file holds it (`recorded_at`, `user`, `mentions`, `tweets`); a broken one throws. */
export function readXRecording(json: unknown): XRecording {
  const fail = (what: string): never => {
    throw new Error(`Not an X recording: ${what}`);
  };
  if (!isRecord(json)) return fail("not a JSON object");
  const recordedAt = typeof json.recorded_at === "string" ? new Date(json.recorded_at) : null;
  if (recordedAt === null || Number.isNaN(recordedAt.getTime())) return fail("recorded_at is not a timestamp");
  const { user } = json;
  if (!isRecord(user) || !isRecord(user.data) || typeof user.data.id !== "string") {
    return fail("user is not a GET /2/users/by/username body with data.id");
  }
  const pages = (name: "mentions" | "tweets"): Json[] => {
    const list = json[name] ?? [];
    if (!Array.isArray(list) || !list.every(isRecord)) return fail(`${name} is not a list of response bodies`);
    return list;
  };
  return { recordedAt, user, mentions: pages("mentions"), tweets: pages("tweets") };
}

/**
 * Opens the replay of one recording for any credentials. Dates move at each opening (a poll opens
 * its source once), so a recording made last year reads as if its newest post were as old now as
 * it was when recorded. Users' `created_at` moves too: an account that was 3 days old when it
 * mentioned the organization stays 3 days old, and the new-account bot signal stays true.
 */
export function createRecordedXSource(recording: XRecording, options: RecordedXSourceOptions = {}): OpenMentionSource {
  const now = options.now ?? (() => new Date());
  return () => {
    // X's times are whole seconds; a whole-second shift keeps them so.
    const shiftMs = Math.floor((now().getTime() - recording.recordedAt.getTime()) / 1000) * 1000;
    return new RecordedXSource(recording, shiftMs);
  };
}

class RecordedXSource implements MentionSource {
  readonly budgetKey: string;
  private readonly userId: string;

  constructor(
    private readonly recording: XRecording,
    private readonly shiftMs: number,
  ) {
    this.userId = String((recording.user.data as Json).id);
    this.budgetKey = `x:recording:${this.userId}`;
  }

  async findUser(handle: string): Promise<Result<PlatformUser, SourceFailure>> {
    const username = handle.trim().replace(/^@/, "");
    const data = this.recording.user.data as Json;
    if (typeof data.username !== "string" || data.username.toLowerCase() !== username.toLowerCase()) {
      // X's own words for an unknown handle; the recording knows one account only.
      return err({ kind: "not_found", detail: `Could not find user with username: [${username}].` });
    }
    return readUserResponse({ ...this.recording.user, data: this.shiftCreatedAt(data) }, NO_HEADERS);
  }

  async mentions(accountUserId: string, page: PageRequest): Promise<Result<PostPage, SourceFailure>> {
    return this.timeline(this.recording.mentions, accountUserId, page);
  }

  async ownPosts(accountUserId: string, page: PageRequest): Promise<Result<PostPage, SourceFailure>> {
    return this.timeline(this.recording.tweets, accountUserId, page);
  }

  /**
   * The recorded page the request asks for (the first, or the one after the page whose
   * `next_token` it carries), cut to what X would serve for its `since_id` and `start_time`.
   */
  private timeline(
    pages: readonly Json[],
    accountUserId: string,
    request: PageRequest,
  ): Result<PostPage, SourceFailure> {
    if (accountUserId !== this.userId) {
      return err({ kind: "not_found", detail: `Could not find user with id: [${accountUserId}].` });
    }
    const token = request.paginationToken === null ? null : decodePageToken(request.paginationToken);
    const index = token === null ? 0 : pages.findIndex((_, i) => i > 0 && nextTokenOf(pages[i - 1]) === token.xToken);
    if (index < 0) {
      return err({
        kind: "unavailable",
        detail: `The \`pagination_token\` query parameter value [${token?.xToken}] is not valid`,
        rateLimit: null,
      });
    }
    const recorded = pages[index] ?? { meta: { result_count: 0 } };
    const served = this.cut(recorded, pages.slice(index + 1), request);
    return readTimelineResponse(this.shiftPage(served), NO_HEADERS, token);
  }

  /** The page as recorded when the request takes all of it, else with data, includes and meta cut as X cuts them. */
  private cut(page: Json, later: readonly Json[], request: PageRequest): Json {
    const wanted = (tweet: unknown) => this.wanted(tweet, request);
    const data = Array.isArray(page.data) ? page.data : [];
    const kept = data.filter(wanted);
    const recordedNext = nextTokenOf(page);
    // Newer than since_id or older than start_time ends the result set wherever it falls.
    const more = recordedNext !== null && later.some((next) => Array.isArray(next.data) && next.data.some(wanted));
    if (kept.length === data.length && more === (recordedNext !== null)) return page;
    if (kept.length === 0) return { meta: { result_count: 0, ...(more ? { next_token: recordedNext } : {}) } };

    const ids = kept.flatMap((tweet) => (isRecord(tweet) && typeof tweet.id === "string" ? [tweet.id] : []));
    const authors = new Set(kept.map((tweet) => (isRecord(tweet) ? tweet.author_id : undefined)));
    const includes = isRecord(page.includes) ? page.includes : undefined;
    const users = Array.isArray(includes?.users) ? includes.users.filter((u) => isRecord(u) && authors.has(u.id)) : [];
    const { next_token: _cut, ...meta } = isRecord(page.meta) ? page.meta : {};
    return {
      ...page,
      data: kept,
      ...(includes ? { includes: { ...includes, users } } : {}),
      meta: {
        ...meta,
        result_count: kept.length,
        newest_id: ids[0],
        oldest_id: ids.at(-1),
        ...(more ? { next_token: recordedNext } : {}),
      },
    };
  }

  private wanted(tweet: unknown, request: PageRequest): boolean {
    if (!isRecord(tweet)) return true; // served as recorded; reading it reports it skipped
    if (request.sinceId !== null && typeof tweet.id === "string" && !newerThan(tweet.id, request.sinceId)) return false;
    if (request.startTime !== null && typeof tweet.created_at === "string") {
      // X compares times to the second, inclusive.
      const second = Math.floor((Date.parse(tweet.created_at) + this.shiftMs) / 1000);
      if (second < Math.floor(request.startTime.getTime() / 1000)) return false;
    }
    return true;
  }

  private shiftPage(page: Json): Json {
    const shifted: Json = { ...page };
    if (Array.isArray(page.data)) shifted.data = page.data.map((tweet) => this.shiftCreatedAt(tweet));
    if (isRecord(page.includes)) {
      const includes: Json = { ...page.includes };
      if (Array.isArray(includes.users)) includes.users = includes.users.map((user) => this.shiftCreatedAt(user));
      if (Array.isArray(includes.tweets)) includes.tweets = includes.tweets.map((tweet) => this.shiftCreatedAt(tweet));
      shifted.includes = includes;
    }
    return shifted;
  }

  private shiftCreatedAt(item: unknown): unknown {
    if (!isRecord(item) || typeof item.created_at !== "string") return item;
    const at = Date.parse(item.created_at);
    if (Number.isNaN(at)) return item;
    return { ...item, created_at: new Date(at + this.shiftMs).toISOString() };
  }
}

/** Snowflake ids compared as numbers; an id that is not one is kept. */
function newerThan(id: string, sinceId: string): boolean {
  if (!/^\d+$/.test(id) || !/^\d+$/.test(sinceId)) return true;
  return BigInt(id) > BigInt(sinceId);
}
