import type { IncomingHttpHeaders } from "node:http";
import type { RateLimit, SourceFailure } from "@touchpoint/core";
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from "twitter-api-v2";

/** X's rate-limit windows are 15 minutes: when a 429 names no reset, the window is over by then. */
const DEFAULT_RATE_LIMIT_WINDOW_MS = 15 * 60 * 1000;

/** X's own words are enough to tell a person what went wrong; long bodies only clutter a log. */
const MAX_DETAIL_LENGTH = 300;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function integerHeader(headers: IncomingHttpHeaders, name: string): number | undefined {
  const raw = header(headers, name);
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw);
}

/** The budget the x-rate-limit-* headers state, or null when any of the three is missing. */
export function rateLimitFrom(headers: IncomingHttpHeaders): RateLimit | null {
  const limit = integerHeader(headers, "x-rate-limit-limit");
  const remaining = integerHeader(headers, "x-rate-limit-remaining");
  const reset = integerHeader(headers, "x-rate-limit-reset");
  if (limit === undefined || remaining === undefined || reset === undefined) return null;
  return { limit, remaining, resetAt: new Date(reset * 1000) };
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
}

/**
 * What X said about the failure, from its problem body (`title`, `detail`) or its older
 * `errors[].message` list. Built from the body only: the library's error messages and request
 * objects are never read here, so the Authorization header cannot leak into a detail.
 */
function problemText(status: number, data: unknown): string {
  const parts: string[] = [];
  if (typeof data === "object" && data !== null) {
    const body = data as { title?: unknown; detail?: unknown; errors?: unknown };
    if (typeof body.title === "string") parts.push(body.title);
    if (typeof body.detail === "string" && body.detail !== body.title) parts.push(body.detail);
    if (parts.length === 0 && Array.isArray(body.errors)) {
      for (const error of body.errors) {
        const message = (error as { message?: unknown; detail?: unknown } | null)?.message;
        if (typeof message === "string") parts.push(message);
      }
    }
  }
  return truncate(`X answered HTTP ${status}${parts.length > 0 ? `: ${parts.join(" — ")}` : ""}`);
}

function fromStatus(
  status: number,
  headers: IncomingHttpHeaders,
  data: unknown,
  options: { readonly notFoundOn404: boolean },
): SourceFailure {
  const rateLimit = rateLimitFrom(headers);
  if (status === 401 || status === 403) return { kind: "unauthorized", detail: problemText(status, data) };
  if (status === 429) {
    const resetAt = rateLimit?.resetAt ?? new Date(Date.now() + DEFAULT_RATE_LIMIT_WINDOW_MS);
    return { kind: "rate_limited", resetAt, rateLimit };
  }
  if (status === 404 && options.notFoundOn404) return { kind: "not_found", detail: problemText(status, data) };
  return { kind: "unavailable", detail: problemText(status, data), rateLimit };
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : "no reason given";
}

/**
 * The socket error or timeout behind a request error. `ApiRequestError.requestError` is always
 * undefined in twitter-api-v2 1.29: the getter reads `_options.requestError` while the library
 * stores the cause as `_options.error`.
 */
function networkCause(error: ApiRequestError): string {
  const stored = (error as unknown as { readonly _options?: { readonly error?: unknown } })._options?.error;
  return messageOf((error.requestError as unknown) ?? stored);
}

/**
 * Turns what twitter-api-v2 rejects with into a failure value. Its three error classes cover every
 * HTTP, network and parse problem; anything else is a bug (a wrong agent for the URL's protocol,
 * say) and is thrown on.
 *
 * A body that does not parse surfaces as ApiPartialResponseError whatever the status, because the
 * library parses before it looks at the status: a 429 or 401 with a garbled body is still a 429 or
 * a 401, so the status is read from the raw response.
 */
export function failureFrom(error: unknown, options: { readonly notFoundOn404: boolean }): SourceFailure {
  if (error instanceof ApiResponseError) return fromStatus(error.code, error.headers, error.data, options);
  if (error instanceof ApiPartialResponseError) {
    const status = error.response.statusCode ?? 0;
    if (status >= 400) return fromStatus(status, error.response.headers, undefined, options);
    return {
      kind: "unavailable",
      detail: `X answered HTTP ${status} with a body that could not be read (${messageOf(error.responseError)})`,
      rateLimit: rateLimitFrom(error.response.headers),
    };
  }
  if (error instanceof ApiRequestError) {
    return { kind: "unavailable", detail: `X could not be reached: ${networkCause(error)}`, rateLimit: null };
  }
  throw error;
}

/** A 200 whose body is not what any X endpoint answers (not a JSON object). */
export function malformedBody(headers: IncomingHttpHeaders, what: string): SourceFailure {
  return {
    kind: "unavailable",
    detail: `X answered with a malformed body: ${what}`,
    rateLimit: rateLimitFrom(headers),
  };
}
