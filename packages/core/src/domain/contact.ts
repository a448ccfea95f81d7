import { isValidCadence, MAX_CADENCE_DAYS } from "./cadence.js";
import { formatIdentity, type Identity, type IdentityPlatform } from "./identity.js";
import { describeUnstorable } from "./text.js";

export interface Contact {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  /** Normalized (lower case, single spaces): "major donor", "board", "influencer"… */
  readonly segment: string | null;
  readonly tags: readonly string[];
  /** Who on the team owns the relationship: a member's platform user id, or how the CRM names them. */
  readonly owner: string | null;
  /** Overrides the segment's cadence for this one contact. */
  readonly cadenceDays: number | null;
  readonly notes: string | null;
  readonly archived: boolean;
  readonly identities: readonly Identity[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewContact {
  readonly name: string;
  readonly segment?: string | null;
  readonly tags?: readonly string[];
  readonly owner?: string | null;
  readonly cadenceDays?: number | null;
  readonly notes?: string | null;
  readonly identities?: readonly Identity[];
}

export type ContactPatch = {
  readonly [K in "name" | "segment" | "tags" | "owner" | "cadenceDays" | "notes" | "archived"]?: Contact[K];
};

export const MAX_NAME_LENGTH = 200;
export const MAX_NOTES_LENGTH = 10_000;
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 50;

export function normalizeSegment(segment: string | null | undefined): string | null {
  const normalized = (segment ?? "").trim().replace(/\s+/g, " ").toLowerCase();
  return normalized === "" ? null : normalized;
}

export function normalizeTag(tag: string): string {
  return tag.trim().replace(/^#/, "").replace(/\s+/g, "-").toLowerCase();
}

/** Splits a CSV or chat tag list: "gala; board", "gala|board" and "gala, board" are the same two tags. */
export function parseTagList(input: string): string[] {
  const tags = input
    .split(/[;,|]/)
    .map(normalizeTag)
    .filter((tag) => tag !== "");
  return [...new Set(tags)];
}

const byName = new Intl.Collator("en", { sensitivity: "base", numeric: true });

/** The one order every list of contacts comes in, whatever the database's collation: by name, as people read. */
export function compareContacts(a: Pick<Contact, "name" | "id">, b: Pick<Contact, "name" | "id">): number {
  return byName.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((tag) => set.has(tag));
}

/** How a problem names an identity's handle and user id, per platform. */
const IDENTITY_FIELDS: Record<IdentityPlatform, readonly [handle: string, userId: string]> = {
  x: ["X handle", "X user id"],
  email: ["email", "email's user id"],
  bluesky: ["Bluesky handle", "Bluesky user id"],
  mastodon: ["Mastodon handle", "Mastodon user id"],
  slack: ["Slack user", "Slack user id"],
};

/** What is wrong with a new contact or a patch, as sentences; empty when it is fine. */
export function contactProblems(contact: ContactPatch | NewContact): string[] {
  // A character the database can't hold makes every other check moot: say that alone.
  const unstorable = [
    ["name holds", contact.name],
    ["segment holds", contact.segment],
    ["owner holds", contact.owner],
    ["notes hold", contact.notes],
    ...(contact.tags ?? []).map((tag) => ["tag holds", tag] as const),
    ...("identities" in contact ? (contact.identities ?? []) : []).flatMap((identity) => {
      const [handle, userId] = IDENTITY_FIELDS[identity.platform];
      return [[`${handle} holds`, identity.handle] as const, [`${userId} holds`, identity.externalUserId] as const];
    }),
  ].flatMap(([field, value]) => {
    const found = describeUnstorable(value ?? "");
    return found === undefined ? [] : [`${field} ${found}`];
  });
  if (unstorable.length > 0) return unstorable;
  const problems: string[] = [];
  if (contact.name !== undefined) {
    if (contact.name.trim() === "") problems.push("name is required");
    else if (contact.name.length > MAX_NAME_LENGTH) problems.push(`name is longer than ${MAX_NAME_LENGTH} characters`);
  }
  const cadence = contact.cadenceDays;
  if (cadence !== undefined && cadence !== null && !isValidCadence(cadence)) {
    problems.push(`cadence_days must be a whole number of days from 1 to ${MAX_CADENCE_DAYS}, not ${cadence}`);
  }
  if (contact.tags !== undefined) {
    if (contact.tags.length > MAX_TAGS) problems.push(`tags are limited to ${MAX_TAGS}`);
    const long = contact.tags.find((tag) => tag.length > MAX_TAG_LENGTH);
    if (long !== undefined) problems.push(`tag "${long.slice(0, 20)}…" is longer than ${MAX_TAG_LENGTH} characters`);
  }
  if (contact.notes && contact.notes.length > MAX_NOTES_LENGTH) {
    problems.push(`notes are longer than ${MAX_NOTES_LENGTH.toLocaleString("en-US")} characters`);
  }
  if (contact.owner && contact.owner.length > MAX_NAME_LENGTH) {
    problems.push(`owner is longer than ${MAX_NAME_LENGTH} characters`);
  }
  return problems;
}

/** "Jane Doe · major donor · @janedoe": a contact on one line, to tell namesakes apart in chat. */
export function describeContact(contact: Contact): string {
  return [contact.name, contact.segment, contact.identities[0] && formatIdentity(contact.identities[0])]
    .filter(Boolean)
    .join(" · ");
}
