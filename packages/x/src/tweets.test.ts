import { describe, expect, it } from "vitest";
import { readTweets } from "./tweets.js";

const includes = {
  users: [
    { id: "200", username: "janedoe", name: "Jane\u0000 Doe" },
    { id: "2O0", username: "lookalike", name: "Not an id" },
  ],
};
const tweet = (fields: Record<string, unknown>) => ({
  id: "1001",
  text: "@riverside hi",
  created_at: "2025-03-01T12:00:00.000Z",
  author_id: "200",
  conversation_id: "1001",
  ...fields,
});

describe("readTweets", () => {
  it("skips a tweet whose id or author_id is not X's digits, keeping the rest of the page", () => {
    const { posts, skipped } = readTweets(
      [
        tweet({ id: "1003" }),
        tweet({ id: "10\u000002" }),
        tweet({ id: "1001", author_id: "2O0" }),
        tweet({ id: "1000", author_id: "20\u00000" }),
      ],
      includes,
    );
    expect(posts.map((post) => post.postId)).toEqual(["1003"]);
    expect(skipped).toEqual([
      { postId: null, reason: "id is not an X id (digits)" },
      { postId: "1001", reason: "author_id is not an X id (digits)" },
      { postId: "1000", reason: "author_id is not an X id (digits)" },
    ]);
  });

  it("drops a reference that is not an X id rather than keep one that names nothing", () => {
    const { posts } = readTweets(
      [
        tweet({
          conversation_id: "99x",
          in_reply_to_user_id: "1\u00000",
          referenced_tweets: [
            { type: "replied_to", id: "abc" },
            { type: "quoted", id: "77" },
          ],
        }),
      ],
      includes,
    );
    expect(posts[0]).toMatchObject({
      conversationId: null,
      repliesToPostId: null,
      repliesToUserId: null,
      quotesPostId: "77",
    });
  });

  it("hands text and names on as X sent them: the core strips what can't be stored, for every source", () => {
    const { posts } = readTweets([tweet({ text: "thanks\u0000!" })], includes);
    expect(posts[0]).toMatchObject({ text: "thanks\u0000!", author: { name: "Jane\u0000 Doe" } });
  });
});
