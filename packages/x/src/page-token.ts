/**
 * X's `meta.newest_id` is the newest id of the page it came with, so on the second page of a
 * result set it is already older than the first page's. The core's PostPage promises the newest
 * id of the whole result set on every page (a poll may take its cursor from the last page it
 * read), so the first page's newest id travels inside the token handed out for the next page.
 *
 * A token that is not of this form (one X handed out directly, kept from before) is passed on to
 * X unchanged, and that page reports its own newest id.
 */

const PREFIX = "tp1";
const PATTERN = new RegExp(`^${PREFIX}\\.(\\d+)\\.(.+)$`);

export interface PageToken {
  /** The newest id of the result set the token continues. */
  readonly newestId: string | null;
  /** X's own `pagination_token`. */
  readonly xToken: string;
}

export function encodePageToken(token: PageToken): string {
  return token.newestId === null ? token.xToken : `${PREFIX}.${token.newestId}.${token.xToken}`;
}

export function decodePageToken(token: string): PageToken {
  const match = PATTERN.exec(token);
  if (!match?.[1] || !match[2]) return { newestId: null, xToken: token };
  return { newestId: match[1], xToken: match[2] };
}
