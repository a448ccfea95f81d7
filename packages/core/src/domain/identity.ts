import { err, ok, type Result } from "../result.js";
import { describeUnstorable } from "./text.js";

export const IDENTITY_PLATFORMS = ["x", "email", "bluesky", "mastodon", "slack"] as const;
export type IdentityPlatform = (typeof IDENTITY_PLATFORMS)[number];

/** How a contact is known on one platform. `handle` is always stored normalized. */
export interface Identity {
  readonly platform: IdentityPlatform;
  readonly handle: string;
  /** The platform's stable user id (X user id, Slack user id) when known: handles change, ids don't. */
  readonly externalUserId: string | null;
}

const X_HANDLE = /^[a-z0-9_]{1,15}$/;
const X_PROFILE_URL = /^(?:https?:\/\/)?(?:www\.|mobile\.)?(?:x|twitter)\.com\/([^/?#\s]+)\/?(?:[?#].*)?$/i;
// Deliberately loose: one @, no spaces, a dot in the domain. Mail servers are the real judge.
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}$/;
const BLUESKY_HANDLE = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$/;
const MASTODON_HANDLE = /^[a-z0-9_]{1,30}@[a-z0-9.-]+\.[a-z]{2,}$/;
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * A typed identity holding a character no handle or address has, said without echoing the input:
 * what is wrong with it may be invisible, or drive a terminal.
 */
function unstorable(input: string, what: string): Result<never, string> | undefined {
  const found = describeUnstorable(input);
  return found === undefined ? undefined : err(`${what} holds ${found}`);
}

/** Normalizes an X handle: "@JaneDoe", "JaneDoe" and "https://x.com/JaneDoe" all become "janedoe". */
export function normalizeXHandle(input: string): Result<string, string> {
  const refused = unstorable(input, "the X handle");
  if (refused) return refused;
  const trimmed = input.trim();
  const fromUrl = X_PROFILE_URL.exec(trimmed)?.[1];
  const handle = (fromUrl ?? trimmed).replace(/^@/, "").toLowerCase();
  if (!X_HANDLE.test(handle)) {
    return err(`"${input.trim()}" is not an X handle (1–15 letters, digits or _, like @janedoe)`);
  }
  return ok(handle);
}

export function normalizeEmail(input: string): Result<string, string> {
  const refused = unstorable(input, "the email address");
  if (refused) return refused;
  const email = input.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) {
    return err(`"${input.trim()}" is not an email address (like jane@example.org)`);
  }
  return ok(email);
}

export function normalizeHandle(platform: IdentityPlatform, input: string): Result<string, string> {
  const refused = unstorable(input, "the handle");
  if (refused) return refused;
  switch (platform) {
    case "x":
      return normalizeXHandle(input);
    case "email":
      return normalizeEmail(input);
    case "bluesky": {
      const handle = input.trim().replace(/^@/, "").toLowerCase();
      return BLUESKY_HANDLE.test(handle)
        ? ok(handle)
        : err(`"${input.trim()}" is not a Bluesky handle (like jane.bsky.social)`);
    }
    case "mastodon": {
      const handle = input.trim().toLowerCase().replace(/^@/, "");
      return MASTODON_HANDLE.test(handle)
        ? ok(handle)
        : err(`"${input.trim()}" is not a Mastodon handle (like @jane@mastodon.social)`);
    }
    case "slack": {
      const id = input.trim().toUpperCase();
      return SLACK_USER_ID.test(id) ? ok(id) : err(`"${input.trim()}" is not a Slack user id (like U024BE7LH)`);
    }
  }
}

/**
 * Reads an @-handle typed in chat, whichever platform it belongs to: "@JaneDoe," (X),
 * "@jane.bsky.social" (Bluesky), "@jane@mastodon.social" (Mastodon). Returns it normalized as
 * stored — lower case, no leading @, no trailing punctuation — or undefined when it is none of them.
 */
export function normalizeAnyHandle(input: string): string | undefined {
  const handle = input
    .trim()
    .replace(/^@/, "")
    .replace(/[.,;:!?)\]]+$/, "")
    .toLowerCase();
  return X_HANDLE.test(handle) || BLUESKY_HANDLE.test(handle) || MASTODON_HANDLE.test(handle) ? handle : undefined;
}

export function looksLikeEmail(token: string): boolean {
  return EMAIL.test(token.trim().toLowerCase());
}

/** "@janedoe" for social handles, the address for email: how people write the identity back. */
export function formatIdentity(identity: Pick<Identity, "platform" | "handle">): string {
  return identity.platform === "email" || identity.platform === "slack" ? identity.handle : `@${identity.handle}`;
}
