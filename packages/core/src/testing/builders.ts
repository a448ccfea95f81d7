import type { WhoRef } from "../commands/parse-command.js";
import type { Contact, NewContact } from "../domain/contact.js";
import type { Identity } from "../domain/identity.js";
import type { MentionAuthor } from "../domain/mention.js";
import type { IncomingPost } from "../domain/post.js";
import type { NewTouchpoint, Touchpoint } from "../domain/touchpoint.js";
import type { Result } from "../result.js";
import { InMemoryStorage } from "./in-memory-storage.js";
import { FixedClock } from "./index.js";
import { newTenant } from "./storage-contract.js";

/** Small builders for use-case tests: one tenant on the in-memory storage and a stopped clock. */

/** A Tuesday afternoon in UTC; late evening of the same day in Auckland is 2026-03-11. */
export const NOW = "2026-03-10T15:00:00Z";

export interface World {
  readonly storage: InMemoryStorage;
  readonly clock: FixedClock;
  readonly tenantId: string;
  readonly deps: { readonly storage: InMemoryStorage; readonly clock: FixedClock };
}

export async function world(options: { readonly now?: string; readonly timeZone?: string } = {}): Promise<World> {
  const storage = new InMemoryStorage();
  const clock = new FixedClock(new Date(options.now ?? NOW));
  const tenantId = await newTenant(storage);
  const timeZone = options.timeZone;
  if (timeZone !== undefined) await storage.withTenant(tenantId, (repos) => repos.tenant.update({ timeZone }));
  return { storage, clock, tenantId, deps: { storage, clock } };
}

export const xId = (handle: string, externalUserId: string | null = null): Identity => ({
  platform: "x",
  handle,
  externalUserId,
});
export const emailId = (address: string): Identity => ({ platform: "email", handle: address, externalUserId: null });

export const byHandle = (handle: string): WhoRef => ({ kind: "handle", handle, raw: `@${handle}` });
export const byEmail = (email: string): WhoRef => ({ kind: "email", email, raw: email });
export const byName = (name: string): WhoRef => ({ kind: "name", name, raw: name });

export function seedContact(w: World, contact: NewContact): Promise<Contact> {
  return w.storage.withTenant(w.tenantId, (repos) => repos.contacts.create(contact));
}

export function allContacts(w: World): Promise<Contact[]> {
  return w.storage.withTenant(w.tenantId, (repos) => repos.contacts.list({ includeArchived: true }));
}

let refs = 0;
export function seedTouch(w: World, contactId: string, overrides: Partial<NewTouchpoint> = {}): Promise<Touchpoint> {
  refs += 1;
  const touch: NewTouchpoint = {
    contactId,
    occurredAt: new Date(NOW),
    channel: "call",
    direction: "outbound",
    note: null,
    loggedBy: "U1",
    source: "cli",
    sourceRef: `seed-${refs}`,
    ...overrides,
  };
  return w.storage.withTenant(w.tenantId, async (repos) => (await repos.touchpoints.record(touch)).touchpoint);
}

export function touchesOf(w: World, contactId: string): Promise<Touchpoint[]> {
  return w.storage.withTenant(w.tenantId, (repos) => repos.touchpoints.listForContact(contactId, 1000));
}

/** `days` whole days before `from` (default NOW), as a Date. */
export function daysAgo(days: number, from: string = NOW): Date {
  return new Date(new Date(from).getTime() - days * 86_400_000);
}

/** The value of an ok result; fails the test with the error otherwise. */
export function unwrap<T, E>(result: Result<T, E>): T {
  if (!result.ok) throw new Error(`expected ok, got ${describeError(result.error)}`);
  return result.value;
}

/** The error of a failed result; fails the test with the value otherwise. */
export function unwrapErr<T, E>(result: Result<T, E>): E {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

function describeError(error: unknown): string {
  return typeof error === "object" && error !== null && "message" in error ? String(error.message) : String(error);
}

/** A post by `handle` (X user id `userId`), with an ordinary human author unless overridden. */
export function incomingPost(
  postId: string,
  handle: string,
  userId: string,
  overrides: Partial<Omit<IncomingPost, "author">> & { readonly author?: Partial<MentionAuthor> } = {},
): IncomingPost {
  const { author, ...rest } = overrides;
  return {
    postId,
    author: {
      externalUserId: userId,
      handle,
      name: handle,
      followers: 1200,
      following: 300,
      postCount: 4000,
      defaultAvatar: false,
      createdAt: new Date("2015-06-01T00:00:00Z"),
      verified: false,
      ...author,
    },
    text: `@helpinghands thanks from @${handle}`,
    url: `https://x.com/${handle}/status/${postId}`,
    postedAt: daysAgo(1),
    conversationId: postId,
    repliesToPostId: null,
    repliesToUserId: null,
    quotesPostId: null,
    ...rest,
  };
}
