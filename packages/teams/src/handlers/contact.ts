import {
  addContact,
  type ChatCommand,
  findContacts,
  type OwnerRef,
  savedContact,
  summarizeRelationship,
  USAGE,
  updateContact,
} from "@touchpoint/core";
import type { AdaptiveCard } from "../cards/card.js";
import { contactCard, contactSaved, contactsFound, lookupProblem, type NameOf } from "../cards/contact.js";
import { commandProblem } from "../cards/touch.js";
import type { TeamsDeps } from "../deps.js";
import { recordSaved } from "../saved.js";
import type { Turn } from "../turn.js";

type ContactCommand<K extends ChatCommand["kind"]> = Extract<ChatCommand, { kind: K }>;

/**
 * The owner as stored: "me" is the writer's Entra object id (as touches' loggedBy); a Teams
 * @mention reaches the parser as its display name only (no user id), so it is kept as that name.
 */
function ownerValue(owner: OwnerRef | null, turn: Turn): string | null {
  if (owner === null) return null;
  switch (owner.kind) {
    case "me":
      return turn.userId;
    case "none":
      return null;
    case "member":
      return owner.userId;
    case "text":
      return owner.value;
  }
}

/** Colleagues' names by their user id, for owners: the tenant's members, and whoever is writing. */
export async function namesFor(deps: TeamsDeps, turn: Turn): Promise<NameOf> {
  const members = await deps.storage.withTenant(turn.tenantId, (r) => r.members.list());
  const names = new Map(members.flatMap((m) => (m.displayName ? [[m.platformUserId, m.displayName] as const] : [])));
  const self = turn.context.activity.from?.name;
  if (self && !names.has(turn.userId)) names.set(turn.userId, self);
  return (userId) => names.get(userId);
}

const USAGE_OF = {
  contact_tag: USAGE.contactTag,
  contact_owner: USAGE.contactOwner,
  contact_cadence: USAGE.contactCadence,
} as const;

/** `contact add <name> [@x] [email] [segment:…] [owner:…] [cadence:…] [tags:…]` */
export async function contactAdd(
  deps: TeamsDeps,
  turn: Turn,
  command: ContactCommand<"contact_add">,
): Promise<AdaptiveCard> {
  const added = await addContact(deps, {
    tenantId: turn.tenantId,
    contact: {
      name: command.name,
      identities: command.identities,
      segment: command.segment,
      tags: command.tags,
      cadenceDays: command.cadenceDays,
      owner: ownerValue(command.owner, turn),
    },
  });
  if (!added.ok) return commandProblem({ message: added.error.message, usage: USAGE.contactAdd });
  recordSaved(turn, savedContact("added", added.value));
  return contactSaved("Added", added.value, await namesFor(deps, turn));
}

/** `contact show <who>` */
export async function contactShow(
  deps: TeamsDeps,
  turn: Turn,
  command: ContactCommand<"contact_show">,
): Promise<AdaptiveCard> {
  const detail = await summarizeRelationship(deps, { tenantId: turn.tenantId, who: command.who });
  if (!detail.ok) return lookupProblem(detail.error, USAGE.contactShow);
  return contactCard(detail.value, deps.clock.now(), await namesFor(deps, turn));
}

/** `contact find <words>` */
export async function contactFind(
  deps: TeamsDeps,
  turn: Turn,
  command: ContactCommand<"contact_find">,
): Promise<AdaptiveCard> {
  const found = await findContacts(deps, { tenantId: turn.tenantId, query: command.query });
  return contactsFound(command.query, found, await namesFor(deps, turn));
}

/** `contact tag|owner|cadence <who> …`: one change, through the same use case as Slack's. */
export async function contactUpdate(
  deps: TeamsDeps,
  turn: Turn,
  command: ContactCommand<"contact_tag" | "contact_owner" | "contact_cadence">,
): Promise<AdaptiveCard> {
  const change =
    command.kind === "contact_tag"
      ? { kind: "tags" as const, add: command.add, remove: command.remove }
      : command.kind === "contact_owner"
        ? { kind: "owner" as const, owner: ownerValue(command.owner, turn) }
        : { kind: "cadence" as const, cadenceDays: command.cadenceDays };
  const updated = await updateContact(deps, { tenantId: turn.tenantId, who: command.who, change });
  const usage = USAGE_OF[command.kind];
  if (updated.ok) {
    recordSaved(turn, savedContact("updated", updated.value.after));
    return contactSaved("Updated", updated.value.after, await namesFor(deps, turn));
  }
  return updated.error.kind === "validation"
    ? commandProblem({ message: updated.error.message, usage })
    : lookupProblem(updated.error, usage);
}
