import type { IncomingPost } from "@touchpoint/core";

/**
 * An X post mentioning the organization, as the poller hands it to ingestMentions: from an
 * established, human-looking account (so it is not set aside as a likely bot), posted five hours
 * ago unless said otherwise.
 */
export function xMention(
  postId: string,
  author: { readonly handle: string; readonly id: string; readonly name?: string },
  text: string,
  postedAt = new Date(Date.now() - 5 * 3_600_000),
): IncomingPost {
  return {
    postId,
    author: {
      externalUserId: author.id,
      handle: author.handle,
      name: author.name ?? author.handle,
      followers: 5000,
      following: 300,
      postCount: 4000,
      defaultAvatar: false,
      createdAt: new Date("2015-01-01T00:00:00Z"),
      verified: false,
    },
    text,
    url: `https://x.com/${author.handle}/status/${postId}`,
    postedAt,
    conversationId: postId,
    repliesToPostId: null,
    repliesToUserId: null,
    quotesPostId: null,
  };
}
