import type { IncomingHttpHeaders } from "node:http";
import { err, ok, type PlatformUser, type PostPage, type Result, type SourceFailure } from "@touchpoint/core";
import { malformedBody, rateLimitFrom } from "./failures.js";
import { encodePageToken, type PageToken } from "./page-token.js";
import { isRecord, newestIdOf, readTweets } from "./tweets.js";

/**
 * What a 200 from X means, apart from how it arrived: the network source and the replay of a
 * recording both read X's bodies here, so a recorded response reads exactly as a live one would.
 */

export function problemDetail(errors: unknown[]): string {
  const first = errors.find(isRecord);
  const detail = first && (typeof first.detail === "string" ? first.detail : first.message);
  return typeof detail === "string" ? detail : "X answered with errors and no data";
}

/** The body of `GET /2/users/by/username/:username`: the user, or why there is none. */
export function readUserResponse(
  body: Record<string, unknown>,
  headers: IncomingHttpHeaders,
): Result<PlatformUser, SourceFailure> {
  if (!isRecord(body.data)) {
    // X answers an unknown or suspended handle with 200 and an `errors` list instead of `data`.
    if (Array.isArray(body.errors)) return err({ kind: "not_found", detail: problemDetail(body.errors) });
    return err(malformedBody(headers, "neither data nor errors"));
  }
  const { id, username: found, name } = body.data;
  if (typeof id !== "string" || !/^\d{1,20}$/.test(id) || typeof found !== "string") {
    return err(malformedBody(headers, "user without an id"));
  }
  return ok({ externalUserId: id, handle: found, name: typeof name === "string" ? name : null });
}

/**
 * The body of a timeline page (`GET /2/users/:id/mentions` or `/tweets`) as the core's PostPage.
 * `token` is the decoded token the page was asked for with: it carries the result set's newest id
 * from the first page onward (see page-token.ts).
 */
export function readTimelineResponse(
  body: Record<string, unknown>,
  headers: IncomingHttpHeaders,
  token: PageToken | null,
): Result<PostPage, SourceFailure> {
  const data = body.data ?? [];
  if (!Array.isArray(data)) return err(malformedBody(headers, "data is not a list"));
  if (body.data === undefined && body.meta === undefined && Array.isArray(body.errors)) {
    // An unknown (or deleted) account: 200 with a resource-not-found problem and nothing else.
    const notFound = body.errors.some((e) => isRecord(e) && String(e.type).endsWith("/resource-not-found"));
    const detail = problemDetail(body.errors);
    return err(
      notFound ? { kind: "not_found", detail } : { kind: "unavailable", detail, rateLimit: rateLimitFrom(headers) },
    );
  }

  const meta = isRecord(body.meta) ? body.meta : {};
  const { posts, skipped } = readTweets(data, body.includes);
  const next = nextTokenOf(body);
  const newestId = token?.newestId ?? (typeof meta.newest_id === "string" ? meta.newest_id : null) ?? newestIdOf(data);
  return ok({
    posts,
    skipped,
    newestId,
    nextToken: next === null ? null : encodePageToken({ newestId, xToken: next }),
    rateLimit: rateLimitFrom(headers),
  });
}

/** X's token for the page after this one (`meta.next_token`), or null on the last page. */
export function nextTokenOf(body: Record<string, unknown> | undefined): string | null {
  const meta = body && isRecord(body.meta) ? body.meta : {};
  return typeof meta.next_token === "string" && meta.next_token !== "" ? meta.next_token : null;
}
