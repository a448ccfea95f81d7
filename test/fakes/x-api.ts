/**
 * A loopback fake of the X API v2 for tests. It speaks X's wire format — `GET /2/…` with
 * `Authorization: Bearer`, `{ data, includes: { users }, meta: { result_count, newest_id,
 * oldest_id, next_token } }` bodies holding only the fields asked for, X's problem bodies, and the
 * `x-rate-limit-*` headers of a per-token, per-endpoint 15-minute window — so the real
 * twitter-api-v2 client (through `@touchpoint/x`'s `createXSource({ apiUrl: fake.url })`) can be
 * pointed at it. It serves three endpoints:
 *
 * - `GET /2/users/by/username/:username`
 * - `GET /2/users/:id/mentions` — posts whose `mentions` (or `inReplyToUserId`) name the account
 * - `GET /2/users/:id/tweets` — posts the account wrote
 *
 * Timelines come newest first (ids compared as numbers), honour `max_results` (5–100, default 10),
 * `since_id`, `until_id`, `start_time`, `end_time` and `pagination_token`, and reach back only as
 * far as X does (the newest 800 mentions, 3,200 posts). Unknown query parameters, field names and
 * malformed values answer 400 as X does. Every request is recorded, every post id served is
 * remembered, and the next requests to a path can be scripted to fail, to be malformed, to lose an
 * author from `includes`, or to wait until the test lets them go.
 *
 * ```ts
 * const fake = await startFakeX({ tokens: ["app-token"] });
 * fake.addUser({ id: "100", username: "riverside", name: "Riverside Food Bank" });
 * fake.addUser({ id: "200", username: "jane", name: "Jane Doe", followers: 1200 });
 * fake.addPost({ authorId: "200", text: "Thanks @riverside!", createdAt: new Date(), mentions: "100" });
 * const source = createXSource({ apiUrl: fake.url })("app-token");
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// ---------------------------------------------------------------------------------------------
// Public shapes

export type XEndpoint = "usersByUsername" | "mentions" | "tweets";
export type TimelineEndpoint = Exclude<XEndpoint, "usersByUsername">;

export interface FakeXOptions {
  /** Bearer tokens accepted from the start (more with `setTokens`). */
  readonly tokens?: readonly string[];
  /** Requests per token and endpoint in each 15-minute window. Defaults: X's app-auth limits. */
  readonly rateLimits?: Partial<Record<XEndpoint, number>>;
  /** The fake's clock in epoch milliseconds, for rate-limit windows and reset times. */
  readonly now?: () => number;
}

export interface FakeXUser {
  /** Numeric string, as X's user ids are. */
  readonly id: string;
  readonly username: string;
  readonly name: string;
  readonly followers?: number;
  readonly following?: number;
  /** Default: the number of posts added for this user. */
  readonly tweetCount?: number;
  /** Serves X's stock "egg" picture as `profile_image_url`. */
  readonly defaultAvatar?: boolean;
  readonly createdAt?: Date | string;
  readonly verified?: boolean;
  readonly description?: string;
}

export interface FakeXPost {
  /** A numeric string that grows with time; default `snowflake(createdAt)`. */
  readonly id?: string;
  readonly authorId: string;
  readonly text: string;
  readonly createdAt: Date | string;
  /** Default: the conversation of the post replied to, else the post's own id. */
  readonly conversationId?: string;
  /** Default: the author of the post replied to, when that post is known. */
  readonly inReplyToUserId?: string;
  /** The id of the post this one replies to. */
  readonly repliesTo?: string;
  /** The id of the post this one quotes. */
  readonly quotes?: string;
  /** The accounts (user ids) it names; it is served by their /mentions, as is a reply to them. */
  readonly mentions?: string | readonly string[];
  /** Wire fields to leave out of this tweet (e.g. `["created_at"]`), to serve a broken one. */
  readonly withoutFields?: readonly string[];
}

export interface RecordedXRequest {
  readonly method: string;
  readonly path: string;
  readonly endpoint: XEndpoint | null;
  readonly query: Readonly<Record<string, string>>;
  /** The bearer token sent, accepted or not. */
  readonly token: string | null;
  /** What the fake answered; 0 when the client had gone before the answer (see `holdNext`). */
  readonly status: number;
  readonly at: Date;
}

export interface ScriptedFailure {
  /** Which requests it applies to, tested against the path (e.g. `/\/mentions$/`). Default: any. */
  readonly path?: RegExp;
  readonly status: 401 | 403 | 429 | 500 | 502 | 503;
  /** How many matching requests fail. Default 1. */
  readonly times?: number;
  /** How many matching requests are answered normally first. Default 0. */
  readonly after?: number;
  /** For a 429: the window resets this many seconds from now (`x-rate-limit-reset`). Default 900. */
  readonly retryAfterSeconds?: number;
}

export interface Hold {
  /** Settles when the held request has arrived. */
  readonly reached: Promise<void>;
  /** Lets it be answered (as it would have been on arrival, state permitting). */
  release(): void;
}

export interface FakeX {
  /** `http://127.0.0.1:<port>`: the `apiUrl` for createXSource. */
  readonly url: string;
  /** Every request, in the order they were answered. */
  readonly requests: readonly RecordedXRequest[];
  addUser(user: FakeXUser): void;
  /** Adds a post; returns its id. */
  addPost(post: FakeXPost): string;
  /** Replaces the accepted bearer tokens. */
  setTokens(tokens: readonly string[]): void;
  /** Later requests with this token answer 401. */
  revoke(token: string): void;
  setRateLimit(endpoint: XEndpoint, limit: number): void;
  /** The next matching requests answer with this status and X's body for it, and have no effect. */
  failNext(failure: ScriptedFailure): void;
  /** The next matching requests (after `after` good ones) answer 200 with a JSON body cut in half. */
  malformedNext(options?: { readonly path?: RegExp; readonly times?: number; readonly after?: number }): void;
  /**
   * The next matching responses leave this author (default: every author) out of
   * `includes.users`, as X does for a suspended or deleted account, while serving their tweets.
   */
  omitAuthorNext(options?: { readonly path?: RegExp; readonly authorId?: string; readonly times?: number }): void;
  /**
   * The next request matching `path` waits until released (so a test can stop a client mid-way);
   * with `after`, that many matching requests are answered first (to stop it mid-pagination).
   */
  holdNext(path?: RegExp, options?: { readonly after?: number }): Hold;
  /** Ids of the posts delivered in 200s of this timeline (of one account, when given), in order. */
  served(endpoint: TimelineEndpoint, accountId?: string): string[];
  close(): Promise<void>;
}

export async function startFakeX(options: FakeXOptions = {}): Promise<FakeX> {
  const fake = new FakeXServer(options);
  await fake.listen();
  return fake;
}

/** X's ids: milliseconds since the Twitter epoch, shifted past 22 bits of worker and sequence. */
const TWITTER_EPOCH_MS = 1288834974657n;

export function snowflake(at: Date, sequence = 0): string {
  return String(((BigInt(at.getTime()) - TWITTER_EPOCH_MS) << 22n) | BigInt(sequence & 0x3fffff));
}

export const RATE_LIMIT_WINDOW_MS = 15 * 60 * 1000;

/** X's published app-auth limits per 15 minutes. */
const DEFAULT_RATE_LIMITS: Record<XEndpoint, number> = { usersByUsername: 300, mentions: 450, tweets: 1500 };

/** How far back each timeline reaches, as X documents it. */
const TIMELINE_DEPTH: Record<TimelineEndpoint, number> = { mentions: 800, tweets: 3200 };

// ---------------------------------------------------------------------------------------------
// Wire format

type Json = Record<string, unknown>;

interface Answer {
  readonly status: number;
  readonly body: Json;
  /** The timeline page in `data`, for `served`. */
  readonly served?: ServedPage;
}

interface ServedPage {
  readonly endpoint: TimelineEndpoint;
  readonly accountId: string;
  readonly ids: readonly string[];
}

const PROBLEM_TYPES = {
  invalid: "https://api.twitter.com/2/problems/invalid-request",
  notFound: "https://api.twitter.com/2/problems/resource-not-found",
  forbidden: "https://api.twitter.com/2/problems/client-forbidden",
} as const;

/** X's problem bodies for the statuses a test can script (and 401 for a refused token). */
function problemBody(status: number): Json {
  switch (status) {
    case 401:
      return { title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" };
    case 403:
      return {
        title: "Client Forbidden",
        detail:
          "This request must be made using an approved developer account that is enrolled in the requested endpoint.",
        reason: "client-not-enrolled",
        registration_url: "https://developer.x.com/en/portal/product",
        required_enrollment: "Appropriate Level of API Access",
        type: PROBLEM_TYPES.forbidden,
      };
    case 429:
      return { title: "Too Many Requests", detail: "Too Many Requests", type: "about:blank", status: 429 };
    case 502:
      return { title: "Bad Gateway", detail: "Bad Gateway", type: "about:blank", status: 502 };
    case 503:
      return { title: "Service Unavailable", detail: "Service Unavailable", type: "about:blank", status: 503 };
    default:
      return { title: "Internal Server Error", detail: "Internal Server Error", type: "about:blank", status };
  }
}

function invalidRequest(parameter: string, value: string, message: string): Answer {
  return {
    status: 400,
    body: {
      errors: [{ parameters: { [parameter]: [value] }, message }],
      title: "Invalid Request",
      detail: "One or more parameters to your request was invalid.",
      type: PROBLEM_TYPES.invalid,
    },
  };
}

/** X answers an unknown user with 200 and an `errors` list in place of `data`. */
function userNotFound(parameter: "username" | "id", value: string): Answer {
  const detail =
    parameter === "username"
      ? `Could not find user with username: [${value}].`
      : `Could not find user with id: [${value}].`;
  return {
    status: 200,
    body: {
      errors: [
        {
          value,
          detail,
          title: "Not Found Error",
          resource_type: "user",
          parameter,
          resource_id: value,
          type: PROBLEM_TYPES.notFound,
        },
      ],
    },
  };
}

const TWEET_FIELDS = new Set([
  "article",
  "attachments",
  "author_id",
  "card_uri",
  "community_id",
  "context_annotations",
  "conversation_id",
  "created_at",
  "display_text_range",
  "edit_controls",
  "edit_history_tweet_ids",
  "entities",
  "geo",
  "id",
  "in_reply_to_user_id",
  "lang",
  "media_metadata",
  "non_public_metrics",
  "note_tweet",
  "organic_metrics",
  "possibly_sensitive",
  "promoted_metrics",
  "public_metrics",
  "referenced_tweets",
  "reply_settings",
  "scopes",
  "source",
  "text",
  "withheld",
]);

const USER_FIELDS = new Set([
  "affiliation",
  "connection_status",
  "created_at",
  "description",
  "entities",
  "id",
  "location",
  "most_recent_tweet_id",
  "name",
  "pinned_tweet_id",
  "profile_banner_url",
  "profile_image_url",
  "protected",
  "public_metrics",
  "receives_your_dm",
  "subscription_type",
  "url",
  "username",
  "verified",
  "verified_type",
  "withheld",
]);

const TIMELINE_EXPANSIONS = new Set([
  "article.cover_media",
  "article.media_entities",
  "attachments.media_keys",
  "attachments.media_source_tweet",
  "attachments.poll_ids",
  "author_id",
  "edit_history_tweet_ids",
  "entities.mentions.username",
  "geo.place_id",
  "in_reply_to_user_id",
  "entities.note.mentions.username",
  "referenced_tweets.id",
  "referenced_tweets.id.attachments.media_keys",
  "referenced_tweets.id.author_id",
]);

const USER_EXPANSIONS = new Set(["affiliation.user_id", "most_recent_tweet_id", "pinned_tweet_id"]);

const FIELD_PARAMETERS = ["media.fields", "place.fields", "poll.fields"];
const TIMELINE_PARAMETERS = new Set([
  "end_time",
  "expansions",
  "max_results",
  "pagination_token",
  "since_id",
  "start_time",
  "tweet.fields",
  "until_id",
  "user.fields",
  ...FIELD_PARAMETERS,
]);
const USER_PARAMETERS = new Set(["expansions", "tweet.fields", "user.fields"]);

const ID = /^[0-9]{1,19}$/;
const USERNAME = /^[A-Za-z0-9_]{1,15}$/;
/** RFC 3339 in UTC; X documents seconds, and milliseconds are tolerated here. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

const DEFAULT_AVATAR = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png";

function pick(full: Json, fields: ReadonlySet<string>, always: readonly string[]): Json {
  return Object.fromEntries(
    Object.entries(full).filter(([key, value]) => value !== undefined && (always.includes(key) || fields.has(key))),
  );
}

/** A comma list parameter, or the 400 X gives for a value outside `allowed`. */
function listParameter(query: URLSearchParams, name: string, allowed: ReadonlySet<string>): Set<string> | Answer {
  const raw = query.get(name);
  if (raw === null) return new Set();
  const values = raw.split(",");
  const unknown = values.find((v) => !allowed.has(v));
  if (unknown !== undefined) {
    return invalidRequest(
      name,
      unknown,
      `The \`${name}\` query parameter value [${unknown}] is not one of [${[...allowed].join(",")}]`,
    );
  }
  return new Set(values);
}

function isAnswer(value: unknown): value is Answer {
  return typeof value === "object" && value !== null && "status" in value && "body" in value;
}

function unknownParameter(query: URLSearchParams, allowed: ReadonlySet<string>): Answer | undefined {
  for (const name of query.keys()) {
    if (!allowed.has(name)) {
      return invalidRequest(
        name,
        query.get(name) ?? "",
        `The query parameter [${name}] is not one of [${[...allowed].join(",")}]`,
      );
    }
  }
  return undefined;
}

/** Pagination tokens are opaque to clients; here they name the first id of the next page. */
function pageToken(nextId: bigint): string {
  return `7n${nextId.toString(16)}`;
}

function readPageToken(token: string): bigint | undefined {
  const match = /^7n([0-9a-f]+)$/.exec(token);
  return match?.[1] === undefined ? undefined : BigInt(`0x${match[1]}`);
}

// ---------------------------------------------------------------------------------------------
// State

interface StoredPost {
  readonly id: string;
  readonly idNumber: bigint;
  readonly authorId: string;
  readonly text: string;
  readonly createdAt: Date;
  readonly conversationId: string;
  readonly inReplyToUserId: string | undefined;
  readonly repliesTo: string | undefined;
  readonly quotes: string | undefined;
  readonly mentions: ReadonlySet<string>;
  readonly withoutFields: ReadonlySet<string>;
}

interface Script {
  readonly path: RegExp | undefined;
  left: number;
  /** Matching requests still to let by before this script applies. */
  after: number;
}

interface HoldScript extends Script {
  readonly arrived: () => void;
  readonly released: Promise<void>;
  readonly release: () => void;
}

function takeScript<T extends Script>(queue: T[], path: string): T | undefined {
  const index = queue.findIndex((s) => s.path === undefined || s.path.test(path));
  const script = queue[index];
  if (script === undefined) return undefined;
  if (script.after > 0) {
    script.after -= 1;
    return undefined;
  }
  script.left -= 1;
  if (script.left <= 0) queue.splice(index, 1);
  return script;
}

interface Bucket {
  windowStart: number;
  used: number;
}

interface Route {
  readonly endpoint: XEndpoint;
  readonly param: string;
}

function route(pathname: string): Route | null {
  const byUsername = /^\/2\/users\/by\/username\/([^/]+)$/.exec(pathname);
  if (byUsername?.[1] !== undefined) return { endpoint: "usersByUsername", param: decodeURIComponent(byUsername[1]) };
  const timeline = /^\/2\/users\/([^/]+)\/(mentions|tweets)$/.exec(pathname);
  if (timeline?.[1] !== undefined && (timeline[2] === "mentions" || timeline[2] === "tweets")) {
    return { endpoint: timeline[2], param: decodeURIComponent(timeline[1]) };
  }
  return null;
}

class FakeXServer implements FakeX {
  readonly requests: RecordedXRequest[] = [];
  private readonly server: Server;
  private readonly users = new Map<string, FakeXUser>();
  private readonly posts = new Map<string, StoredPost>();
  private readonly tokens = new Set<string>();
  private readonly rateLimits: Record<XEndpoint, number>;
  private readonly buckets = new Map<string, Bucket>();
  private readonly servedLog: ServedPage[] = [];
  private readonly failures: (Script & { readonly failure: ScriptedFailure })[] = [];
  private readonly malformed: Script[] = [];
  private readonly omitAuthors: (Script & { readonly authorId: string | undefined })[] = [];
  private readonly holds: HoldScript[] = [];
  private readonly now: () => number;
  private sequence = 0;
  private origin = "";

  constructor(options: FakeXOptions) {
    this.now = options.now ?? Date.now;
    this.rateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
    for (const token of options.tokens ?? []) this.tokens.add(token);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`fake X failed: ${String(error)}`);
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
  }

  get url(): string {
    return this.origin;
  }

  addUser(user: FakeXUser): void {
    if (!ID.test(user.id)) throw new Error(`addUser: X user ids are numeric strings, got "${user.id}"`);
    this.users.set(user.id, user);
  }

  addPost(post: FakeXPost): string {
    const createdAt = new Date(post.createdAt);
    if (Number.isNaN(createdAt.getTime())) throw new Error(`addPost: unreadable createdAt ${String(post.createdAt)}`);
    const id = post.id ?? this.nextId(createdAt);
    if (!ID.test(id)) throw new Error(`addPost: X post ids are numeric strings, got "${id}"`);
    const parent = post.repliesTo === undefined ? undefined : this.posts.get(post.repliesTo);
    const mentions = typeof post.mentions === "string" ? [post.mentions] : (post.mentions ?? []);
    const inReplyToUserId = post.inReplyToUserId ?? parent?.authorId;
    this.posts.set(id, {
      id,
      idNumber: BigInt(id),
      authorId: post.authorId,
      text: post.text,
      createdAt,
      conversationId: post.conversationId ?? parent?.conversationId ?? id,
      inReplyToUserId,
      repliesTo: post.repliesTo,
      quotes: post.quotes,
      // A reply reaches the mentions of the account it answers, as on X.
      mentions: new Set([...mentions, ...(inReplyToUserId === undefined ? [] : [inReplyToUserId])]),
      withoutFields: new Set(post.withoutFields ?? []),
    });
    return id;
  }

  setTokens(tokens: readonly string[]): void {
    this.tokens.clear();
    for (const token of tokens) this.tokens.add(token);
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  setRateLimit(endpoint: XEndpoint, limit: number): void {
    this.rateLimits[endpoint] = limit;
  }

  failNext(failure: ScriptedFailure): void {
    this.failures.push({ path: failure.path, left: failure.times ?? 1, after: failure.after ?? 0, failure });
  }

  malformedNext(options: { readonly path?: RegExp; readonly times?: number; readonly after?: number } = {}): void {
    this.malformed.push({ path: options.path, left: options.times ?? 1, after: options.after ?? 0 });
  }

  omitAuthorNext(options: { readonly path?: RegExp; readonly authorId?: string; readonly times?: number } = {}): void {
    this.omitAuthors.push({ path: options.path, left: options.times ?? 1, after: 0, authorId: options.authorId });
  }

  holdNext(path?: RegExp, options: { readonly after?: number } = {}): Hold {
    let arrived = () => {};
    let release = () => {};
    const reached = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.holds.push({ path, left: 1, after: options.after ?? 0, arrived, released, release });
    return { reached, release };
  }

  served(endpoint: TimelineEndpoint, accountId?: string): string[] {
    return this.servedLog
      .filter((s) => s.endpoint === endpoint && (accountId === undefined || s.accountId === accountId))
      .flatMap((s) => s.ids);
  }

  close(): Promise<void> {
    for (const hold of this.holds) hold.release();
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private nextId(createdAt: Date): string {
    let id = snowflake(createdAt, this.sequence++);
    while (this.posts.has(id)) id = snowflake(createdAt, this.sequence++);
    return id;
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.origin);
    const path = url.pathname;
    const hold = takeScript(this.holds, path);
    if (hold) {
      hold.arrived();
      await hold.released;
    }

    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? null;
    const matched = route(path);
    const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
    let answer: Answer;
    let malformed = false;
    if (req.method !== "GET" || matched === null) {
      answer = { status: 404, body: { errors: [{ message: "Sorry, that page does not exist", code: 34 }] } };
    } else if (token === null || !this.tokens.has(token)) {
      answer = { status: 401, body: problemBody(401) };
      headers["content-type"] = "application/problem+json";
    } else {
      const failure = takeScript(this.failures, path)?.failure;
      const bucket = this.bucket(token, matched.endpoint);
      const limit = this.rateLimits[matched.endpoint];
      if (failure) {
        answer = { status: failure.status, body: problemBody(failure.status) };
        headers["content-type"] = "application/problem+json";
        const reset =
          failure.status === 429
            ? this.now() + (failure.retryAfterSeconds ?? RATE_LIMIT_WINDOW_MS / 1000) * 1000
            : bucket.windowStart + RATE_LIMIT_WINDOW_MS;
        Object.assign(headers, rateLimitHeaders(limit, failure.status === 429 ? 0 : limit - bucket.used, reset));
      } else if (bucket.used >= limit) {
        answer = { status: 429, body: problemBody(429) };
        headers["content-type"] = "application/problem+json";
        Object.assign(headers, rateLimitHeaders(limit, 0, bucket.windowStart + RATE_LIMIT_WINDOW_MS));
      } else {
        bucket.used += 1;
        Object.assign(headers, rateLimitHeaders(limit, limit - bucket.used, bucket.windowStart + RATE_LIMIT_WINDOW_MS));
        answer = this.answer(matched, url.searchParams);
        const omit = answer.status === 200 ? takeScript(this.omitAuthors, path) : undefined;
        if (omit) answer = withoutAuthor(answer, omit.authorId);
        malformed = answer.status === 200 && takeScript(this.malformed, path) !== undefined;
      }
    }

    const gone = req.socket.destroyed || res.destroyed;
    if (!gone) {
      const payload = JSON.stringify(answer.body);
      // Cut mid-token, the way a truncated upstream body arrives: valid JSON for no parser.
      res.writeHead(answer.status, headers).end(malformed ? payload.slice(0, Math.ceil(payload.length / 2)) : payload);
      if (answer.served && !malformed) this.servedLog.push(answer.served);
    }
    this.requests.push({
      method: req.method ?? "GET",
      path,
      endpoint: matched?.endpoint ?? null,
      query: Object.fromEntries(url.searchParams),
      token,
      status: gone ? 0 : answer.status,
      at: new Date(this.now()),
    });
  }

  private bucket(token: string, endpoint: XEndpoint): Bucket {
    const key = `${token}\u0000${endpoint}`;
    const now = this.now();
    const bucket = this.buckets.get(key);
    if (bucket && now < bucket.windowStart + RATE_LIMIT_WINDOW_MS) return bucket;
    const fresh = { windowStart: now, used: 0 };
    this.buckets.set(key, fresh);
    return fresh;
  }

  private answer(matched: Route, query: URLSearchParams): Answer {
    return matched.endpoint === "usersByUsername"
      ? this.userByUsername(matched.param, query)
      : this.timeline(matched.endpoint, matched.param, query);
  }

  // -------------------------------------------------------------------------------------------
  // Endpoints

  private userByUsername(username: string, query: URLSearchParams): Answer {
    const problem = unknownParameter(query, USER_PARAMETERS);
    if (problem) return problem;
    if (!USERNAME.test(username)) {
      return invalidRequest(
        "username",
        username,
        `The \`username\` query parameter value [${username}] does not match ^[A-Za-z0-9_]{1,15}$`,
      );
    }
    const userFields = listParameter(query, "user.fields", USER_FIELDS);
    if (isAnswer(userFields)) return userFields;
    const expansions = listParameter(query, "expansions", USER_EXPANSIONS);
    if (isAnswer(expansions)) return expansions;
    const tweetFields = listParameter(query, "tweet.fields", TWEET_FIELDS);
    if (isAnswer(tweetFields)) return tweetFields;
    const user = [...this.users.values()].find((u) => u.username.toLowerCase() === username.toLowerCase());
    if (!user) return userNotFound("username", username);
    return { status: 200, body: { data: this.userObject(user, userFields) } };
  }

  private timeline(endpoint: TimelineEndpoint, accountId: string, query: URLSearchParams): Answer {
    const problem = unknownParameter(query, TIMELINE_PARAMETERS);
    if (problem) return problem;
    if (!ID.test(accountId)) {
      return invalidRequest(
        "id",
        accountId,
        `The \`id\` query parameter value [${accountId}] does not match ^[0-9]{1,19}$`,
      );
    }
    const tweetFields = listParameter(query, "tweet.fields", TWEET_FIELDS);
    if (isAnswer(tweetFields)) return tweetFields;
    const userFields = listParameter(query, "user.fields", USER_FIELDS);
    if (isAnswer(userFields)) return userFields;
    const expansions = listParameter(query, "expansions", TIMELINE_EXPANSIONS);
    if (isAnswer(expansions)) return expansions;
    const filters = readTimelineFilters(query);
    if (isAnswer(filters)) return filters;
    if (!this.users.has(accountId)) return userNotFound("id", accountId);

    const reachable = [...this.posts.values()]
      .filter((p) => (endpoint === "mentions" ? p.mentions.has(accountId) : p.authorId === accountId))
      .sort((a, b) => (a.idNumber < b.idNumber ? 1 : a.idNumber > b.idNumber ? -1 : 0))
      .slice(0, TIMELINE_DEPTH[endpoint]);
    const matching = reachable.filter((p) => matchesFilters(p, filters));
    const start = filters.cursor === undefined ? 0 : matching.findIndex((p) => p.idNumber <= (filters.cursor ?? 0n));
    const page = start < 0 ? [] : matching.slice(start, start + filters.maxResults);
    const next = start < 0 ? undefined : matching[start + filters.maxResults];

    if (page.length === 0) return { status: 200, body: { meta: { result_count: 0 } } };
    const body: Json = {
      data: page.map((p) => this.tweetObject(p, tweetFields)),
      meta: {
        result_count: page.length,
        newest_id: page[0]?.id,
        oldest_id: page.at(-1)?.id,
        ...(next ? { next_token: pageToken(next.idNumber) } : {}),
      },
    };
    const includes = this.includes(page, expansions, userFields, tweetFields);
    if (Object.keys(includes).length > 0) body.includes = includes;
    return { status: 200, body, served: { endpoint, accountId, ids: page.map((p) => p.id) } };
  }

  // -------------------------------------------------------------------------------------------
  // Objects

  private includes(
    page: readonly StoredPost[],
    expansions: ReadonlySet<string>,
    userFields: ReadonlySet<string>,
    tweetFields: ReadonlySet<string>,
  ): Json {
    const userIds = new Set<string>();
    if (expansions.has("author_id")) for (const p of page) userIds.add(p.authorId);
    if (expansions.has("in_reply_to_user_id")) {
      for (const p of page) if (p.inReplyToUserId !== undefined) userIds.add(p.inReplyToUserId);
    }
    const users = [...userIds].flatMap((id) => {
      const user = this.users.get(id);
      return user ? [this.userObject(user, userFields)] : [];
    });
    const referenced = expansions.has("referenced_tweets.id")
      ? [...new Set(page.flatMap((p) => [p.repliesTo, p.quotes]))].flatMap((id) => {
          const post = id === undefined ? undefined : this.posts.get(id);
          return post ? [this.tweetObject(post, tweetFields)] : [];
        })
      : [];
    return { ...(users.length > 0 ? { users } : {}), ...(referenced.length > 0 ? { tweets: referenced } : {}) };
  }

  private tweetObject(post: StoredPost, fields: ReadonlySet<string>): Json {
    const references = [
      ...(post.repliesTo ? [{ type: "replied_to", id: post.repliesTo }] : []),
      ...(post.quotes ? [{ type: "quoted", id: post.quotes }] : []),
    ];
    const others = [...this.posts.values()];
    const full: Json = {
      id: post.id,
      text: post.text,
      edit_history_tweet_ids: [post.id],
      author_id: post.authorId,
      created_at: post.createdAt.toISOString(),
      conversation_id: post.conversationId,
      in_reply_to_user_id: post.inReplyToUserId,
      referenced_tweets: references.length > 0 ? references : undefined,
      lang: "en",
      possibly_sensitive: false,
      reply_settings: "everyone",
      public_metrics: {
        retweet_count: 0,
        reply_count: others.filter((p) => p.repliesTo === post.id).length,
        like_count: 0,
        quote_count: others.filter((p) => p.quotes === post.id).length,
        bookmark_count: 0,
        impression_count: 0,
      },
    };
    const tweet = pick(full, fields, ["id", "text", "edit_history_tweet_ids"]);
    for (const field of post.withoutFields) delete tweet[field];
    return tweet;
  }

  private userObject(user: FakeXUser, fields: ReadonlySet<string>): Json {
    const authored = [...this.posts.values()].filter((p) => p.authorId === user.id).length;
    const full: Json = {
      id: user.id,
      name: user.name,
      username: user.username,
      created_at: new Date(user.createdAt ?? "2015-06-01T12:00:00.000Z").toISOString(),
      description: user.description ?? "",
      profile_image_url: user.defaultAvatar
        ? DEFAULT_AVATAR
        : `https://pbs.twimg.com/profile_images/${user.id}/avatar_normal.jpg`,
      protected: false,
      verified: user.verified ?? false,
      verified_type: user.verified ? "blue" : "none",
      public_metrics: {
        followers_count: user.followers ?? 0,
        following_count: user.following ?? 0,
        tweet_count: user.tweetCount ?? authored,
        listed_count: 0,
        like_count: 0,
      },
    };
    return pick(full, fields, ["id", "name", "username"]);
  }
}

// ---------------------------------------------------------------------------------------------
// Timeline filters

interface TimelineFilters {
  readonly maxResults: number;
  readonly sinceId: bigint | undefined;
  readonly untilId: bigint | undefined;
  /** Epoch seconds: X compares times to the second, both ends inclusive. */
  readonly startSecond: number | undefined;
  readonly endSecond: number | undefined;
  readonly cursor: bigint | undefined;
}

function readTimelineFilters(query: URLSearchParams): TimelineFilters | Answer {
  const rawMax = query.get("max_results") ?? "10";
  const maxResults = /^\d+$/.test(rawMax) ? Number(rawMax) : Number.NaN;
  if (!(maxResults >= 5 && maxResults <= 100)) {
    return invalidRequest(
      "max_results",
      rawMax,
      `The \`max_results\` query parameter value [${rawMax}] is not between 5 and 100`,
    );
  }
  const ids: Record<"since_id" | "until_id", bigint | undefined> = { since_id: undefined, until_id: undefined };
  for (const name of ["since_id", "until_id"] as const) {
    const raw = query.get(name);
    if (raw === null) continue;
    if (!ID.test(raw)) {
      return invalidRequest(name, raw, `The \`${name}\` query parameter value [${raw}] does not match ^[0-9]{1,19}$`);
    }
    ids[name] = BigInt(raw);
  }
  const seconds: Record<"start_time" | "end_time", number | undefined> = { start_time: undefined, end_time: undefined };
  for (const name of ["start_time", "end_time"] as const) {
    const raw = query.get(name);
    if (raw === null) continue;
    const at = Date.parse(raw);
    if (!TIMESTAMP.test(raw) || Number.isNaN(at)) {
      return invalidRequest(name, raw, `Invalid '${name}':'${raw}'. '${name}' must be a valid RFC 3339 timestamp`);
    }
    seconds[name] = Math.floor(at / 1000);
  }
  const { start_time: startSecond, end_time: endSecond } = seconds;
  if (startSecond !== undefined && endSecond !== undefined && startSecond >= endSecond) {
    return invalidRequest(
      "start_time",
      query.get("start_time") ?? "",
      `Invalid 'start_time':'${query.get("start_time")}'. 'start_time' must be before 'end_time'`,
    );
  }
  const token = query.get("pagination_token");
  const cursor = token === null ? undefined : readPageToken(token);
  if (token !== null && cursor === undefined) {
    return invalidRequest(
      "pagination_token",
      token,
      `The \`pagination_token\` query parameter value [${token}] is not valid`,
    );
  }
  return { maxResults, sinceId: ids.since_id, untilId: ids.until_id, startSecond, endSecond, cursor };
}

function matchesFilters(post: StoredPost, filters: TimelineFilters): boolean {
  const second = Math.floor(post.createdAt.getTime() / 1000);
  return (
    (filters.sinceId === undefined || post.idNumber > filters.sinceId) &&
    (filters.untilId === undefined || post.idNumber < filters.untilId) &&
    (filters.startSecond === undefined || second >= filters.startSecond) &&
    (filters.endSecond === undefined || second <= filters.endSecond)
  );
}

function rateLimitHeaders(limit: number, remaining: number, resetAtMs: number): Record<string, string> {
  return {
    "x-rate-limit-limit": String(limit),
    "x-rate-limit-remaining": String(Math.max(0, remaining)),
    "x-rate-limit-reset": String(Math.ceil(resetAtMs / 1000)),
  };
}

/** The answer with `authorId` (or every author) gone from includes.users, and includes gone if empty. */
function withoutAuthor(answer: Answer, authorId: string | undefined): Answer {
  const includes = answer.body.includes as { users?: Json[]; tweets?: Json[] } | undefined;
  if (!includes?.users) return answer;
  const users = authorId === undefined ? [] : includes.users.filter((u) => u.id !== authorId);
  const { users: _dropped, ...rest } = includes;
  const kept = users.length > 0 ? { ...rest, users } : rest;
  const body: Json = { ...answer.body };
  if (Object.keys(kept).length > 0) body.includes = kept;
  else delete body.includes;
  return { ...answer, body };
}
