import { createHash } from "node:crypto";
import http, { type IncomingHttpHeaders } from "node:http";
import type https from "node:https";
import {
  err,
  type MentionSource,
  type OpenMentionSource,
  ok,
  type PageRequest,
  type PlatformUser,
  type PostPage,
  type Result,
  type SourceFailure,
} from "@touchpoint/core";
import { type ITwitterApiClientPlugin, TwitterApi, type TwitterApiv2 } from "twitter-api-v2";
import { failureFrom, malformedBody } from "./failures.js";
import { decodePageToken } from "./page-token.js";
import { readTimelineResponse, readUserResponse } from "./responses.js";
import { isRecord } from "./tweets.js";

export const DEFAULT_X_API_URL = "https://api.x.com";

export interface XSourceOptions {
  /** Where the X API is served. Default https://api.x.com; tests point it at a loopback fake. */
  readonly apiUrl?: string;
  /** Sockets for the requests. Default: Node's global agent for the URL's protocol. */
  readonly agent?: http.Agent | https.Agent;
  /** How long a request may sit without a byte before it counts as unavailable. Default 30 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** The query of one request, as the client's `get` takes it (the library does not export this type). */
type Query = Record<string, string | number>;

/** The hosts twitter-api-v2 builds its URLs on (older releases used api.twitter.com). */
const X_API_HOSTS = new Set(["api.x.com", "api.twitter.com"]);

/** X's own rule for a username; anything else cannot name an account, so no request is spent on it. */
const USERNAME = /^[A-Za-z0-9_]{1,15}$/;

/** Both timelines ask for the same expansion and fields: what a mention's author and thread need. */
const TIMELINE_QUERY = {
  expansions: "author_id",
  "user.fields": "public_metrics,profile_image_url,created_at,verified,description",
  "tweet.fields": "created_at,conversation_id,in_reply_to_user_id,referenced_tweets,public_metrics,author_id",
  max_results: 100,
} as const satisfies Query;

/**
 * twitter-api-v2 has no base-URL setting: every endpoint is a full https://api.x.com/2/… URL, and
 * `cloneWithPrefix` throws (it calls the class constructor without `new`). The first plugin hook
 * sees the request before the URL object is built, so rewriting `params.url` there moves every
 * request; query and path parameters are applied afterwards.
 */
function serveFrom(apiUrl: URL): ITwitterApiClientPlugin {
  const base = `${apiUrl.origin}${apiUrl.pathname.replace(/\/+$/, "")}`;
  return {
    onBeforeRequestConfig({ params }) {
      const target = new URL(params.url);
      if (X_API_HOSTS.has(target.hostname)) params.url = `${base}${target.pathname}${target.search}`;
    },
  };
}

/** X takes times to the second ("does not support a millisecond value"); rounding down keeps the bound inclusive. */
function xTime(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z");
}

interface JsonResponse {
  readonly body: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
}

class XMentionSource implements MentionSource {
  readonly budgetKey: string;

  constructor(
    bearerToken: string,
    private readonly client: TwitterApiv2,
    private readonly timeoutMs: number,
  ) {
    // X counts requests per app token; a digest names that budget where the token must not appear.
    this.budgetKey = `x:${createHash("sha256").update(bearerToken).digest("hex").slice(0, 32)}`;
  }

  async findUser(handle: string): Promise<Result<PlatformUser, SourceFailure>> {
    const username = handle.trim().replace(/^@/, "");
    if (!USERNAME.test(username)) return err({ kind: "not_found", detail: `"${handle}" is not an X handle` });
    const response = await this.get(`users/by/username/${username}`, {}, { notFoundOn404: true });
    if (!response.ok) return response;
    return readUserResponse(response.value.body, response.value.headers);
  }

  mentions(accountUserId: string, page: PageRequest): Promise<Result<PostPage, SourceFailure>> {
    return this.timeline(`users/${encodeURIComponent(accountUserId)}/mentions`, page);
  }

  ownPosts(accountUserId: string, page: PageRequest): Promise<Result<PostPage, SourceFailure>> {
    return this.timeline(`users/${encodeURIComponent(accountUserId)}/tweets`, page);
  }

  private async timeline(path: string, page: PageRequest): Promise<Result<PostPage, SourceFailure>> {
    const token = page.paginationToken === null ? null : decodePageToken(page.paginationToken);
    const query: Query = { ...TIMELINE_QUERY };
    if (page.sinceId !== null) query.since_id = page.sinceId;
    if (page.startTime !== null) query.start_time = xTime(page.startTime);
    if (token !== null) query.pagination_token = token.xToken;

    const response = await this.get(path, query, { notFoundOn404: false });
    if (!response.ok) return response;
    return readTimelineResponse(response.value.body, response.value.headers, token);
  }

  /** One GET, exactly one page: every problem comes back as a failure value, never as a throw. */
  private async get(
    path: string,
    query: Query,
    options: { readonly notFoundOn404: boolean },
  ): Promise<Result<JsonResponse, SourceFailure>> {
    try {
      const response = await this.client.get<unknown>(path, query, {
        fullResponse: true,
        timeout: this.timeoutMs,
        // Parse as JSON whatever the content type says, so an HTML error page from a proxy is a
        // parse failure rather than a string that looks like success.
        forceParseMode: "json",
        // The client would otherwise keep the last rate limit of every URL it ever called, one per account.
        enableRateLimitSave: false,
      });
      if (!isRecord(response.data)) return err(malformedBody(response.headers, "not a JSON object"));
      return ok({ body: response.data, headers: response.headers });
    } catch (error) {
      return err(failureFrom(error, options));
    }
  }
}

/**
 * Opens X for one bearer token (an app's, which reads public timelines) on the real twitter-api-v2
 * client. The client always sends with `https.request`; that accepts an http: URL only when the
 * agent it is given speaks http, which is why an http API URL gets an http agent.
 */
export function createXSource(options: XSourceOptions = {}): OpenMentionSource {
  const apiUrl = new URL(options.apiUrl ?? DEFAULT_X_API_URL);
  if (apiUrl.protocol !== "https:" && apiUrl.protocol !== "http:") {
    throw new Error(`X apiUrl must be an http(s) URL, got ${apiUrl.protocol}`);
  }
  const agent = options.agent ?? (apiUrl.protocol === "http:" ? http.globalAgent : undefined);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const plugins = [serveFrom(apiUrl)];
  return (bearerToken) => {
    const client = new TwitterApi(bearerToken, { plugins, ...(agent ? { httpAgent: agent } : {}) });
    return new XMentionSource(bearerToken, client.v2, timeoutMs);
  };
}
