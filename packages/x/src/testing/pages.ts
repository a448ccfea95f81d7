import type { PageRequest, PostPage, Result, SourceFailure } from "@touchpoint/core";

/** The first page of a stream that was never read. */
export const FIRST_PAGE: PageRequest = { sinceId: null, startTime: null, paginationToken: null };

export function unwrap<T>(result: Result<T, SourceFailure>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

export function failure<T>(result: Result<T, SourceFailure>): SourceFailure {
  if (result.ok) throw new Error("expected a failure");
  return result.error;
}

/** Reads every page, as a poll would, passing back each page's token. */
export async function readAll(
  read: (page: PageRequest) => Promise<Result<PostPage, SourceFailure>>,
  first = FIRST_PAGE,
): Promise<PostPage[]> {
  const pages: PostPage[] = [];
  let request = first;
  for (;;) {
    const page = unwrap(await read(request));
    pages.push(page);
    if (page.nextToken === null) return pages;
    request = { ...request, paginationToken: page.nextToken };
  }
}

export const ids = (page: PostPage) => page.posts.map((p) => p.postId);
