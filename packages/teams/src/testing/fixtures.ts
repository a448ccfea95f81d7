import type { Contact, Touchpoint } from "@touchpoint/core";

/** The card tests' now. */
export const NOW = new Date("2026-03-10T15:00:00Z");

/** A contact as storage returns one, with this name and whatever else a test says. */
export function contact(name: string, overrides: Partial<Contact> = {}): Contact {
  return {
    id: `c-${name}`,
    tenantId: "t",
    name,
    segment: null,
    tags: [],
    owner: null,
    cadenceDays: null,
    notes: null,
    archived: false,
    identities: [],
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

/** A call with Jane Doe logged from Teams, unless a test says otherwise. */
export function touch(overrides: Partial<Touchpoint> = {}): Touchpoint {
  return {
    id: "tp-1",
    tenantId: "t",
    contactId: "c-Jane Doe",
    occurredAt: NOW,
    channel: "call",
    direction: "outbound",
    note: "called about the gala",
    loggedBy: "aad-1",
    source: "teams",
    sourceRef: "teams:x:1",
    createdAt: NOW,
    undoneAt: null,
    ...overrides,
  };
}
