import type { Contact } from "../domain/contact.js";
import { channelLabel, type Touchpoint } from "../domain/touchpoint.js";
import type { Clock, Storage } from "../ports.js";

/**
 * Something a chat command saved, in the words its confirmation would have said it. When the
 * confirmation can't be delivered (the platform refuses it, or fails after the save), the apology
 * says this instead of "nothing was saved", so nobody sends it again; if even the apology can't be
 * delivered, it is kept for the person's next reply to lead with.
 */
export interface SavedWork {
  /** "Your call with Jane Doe was saved": one sentence without its full stop; names as stored (shown as text, never as markup). */
  readonly said: string;
  /** The touch it logged, for an Undo beside the notice. */
  readonly touchpointId?: string;
}

export function savedTouch(touchpoint: Pick<Touchpoint, "id" | "channel">, contact: Pick<Contact, "name">): SavedWork {
  return {
    said: `Your ${channelLabel(touchpoint.channel)} with ${contact.name} was saved`,
    touchpointId: touchpoint.id,
  };
}

export function savedContact(verb: "added" | "updated", contact: Pick<Contact, "name">): SavedWork {
  return {
    said: verb === "added" ? `${contact.name} was added as a contact` : `Your change to ${contact.name} was saved`,
  };
}

export function undoneTouch(
  touchpoint: Pick<Touchpoint, "channel">,
  contact: Pick<Contact, "name"> | undefined,
): SavedWork {
  return { said: `The ${channelLabel(touchpoint.channel)} with ${contact?.name ?? "that contact"} was undone` };
}

/** The notice of saves whose confirmations never arrived: a lead line, then one line each when there are several. */
export function describeUnconfirmed(saved: readonly SavedWork[]): { readonly lead: string; readonly lines: string[] } {
  const [only] = saved;
  if (saved.length === 1 && only) {
    return { lead: `${only.said}, but its confirmation didn't reach you; don't send it again.`, lines: [] };
  }
  const shown = saved.slice(-SHOWN_AT_MOST);
  const more = saved.length - shown.length;
  return {
    lead: "These were saved, but their confirmations didn't reach you; don't send them again:",
    lines: [...shown.map((s) => `${s.said}.`), ...(more > 0 ? [`and ${more} more.`] : [])],
  };
}

const UNCONFIRMED = "unconfirmed_saves";
/** The newest shown by name; older ones are counted. */
const SHOWN_AT_MOST = 8;
/** A week: someone away for a long weekend still hears of it, and it doesn't linger beyond that. */
export const UNCONFIRMED_FOR_MS = 7 * 24 * 60 * 60 * 1000;

/** Keeps saves whose confirmations (and apology) didn't reach this person, for their next reply. */
export async function keepUnconfirmedSaves(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: { readonly tenantId: string; readonly userId: string; readonly saved: readonly SavedWork[] },
): Promise<void> {
  if (input.saved.length === 0) return;
  const now = deps.clock.now();
  const entries = input.saved.map(({ said, touchpointId }) => ({ said, ...(touchpointId && { touchpointId }) }));
  await deps.storage.withTenant(input.tenantId, (r) =>
    r.pendingActions.append(UNCONFIRMED, input.userId, entries, {
      now,
      expiresAt: new Date(now.getTime() + UNCONFIRMED_FOR_MS),
    }),
  );
}

/** The saves kept for this person, oldest first, taken (a second call finds none). */
export async function takeUnconfirmedSaves(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: { readonly tenantId: string; readonly userId: string },
): Promise<SavedWork[]> {
  const kept = await deps.storage.withTenant(input.tenantId, (r) =>
    r.pendingActions.takeList(UNCONFIRMED, input.userId, deps.clock.now()),
  );
  return kept.flatMap((entry): SavedWork[] => {
    if (typeof entry !== "object" || entry === null) return [];
    const { said, touchpointId } = entry as { said?: unknown; touchpointId?: unknown };
    if (typeof said !== "string") return [];
    return [{ said, ...(typeof touchpointId === "string" && { touchpointId }) }];
  });
}
