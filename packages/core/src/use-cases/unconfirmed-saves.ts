import type { Contact } from "../domain/contact.js";
import type { NudgeAction } from "../domain/nudge.js";
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
  /** Where it was asked for (a conversation), for a platform that shows a notice only where it belongs. */
  readonly where?: string;
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

const ON_NUDGE: Readonly<Record<NudgeAction["kind"], string>> = {
  replied: "The mention was marked replied",
  snoozed: "The mention was snoozed",
  assigned: "The mention was assigned to you",
  touched: "Your touch from the nudge was saved",
  added: "The contact from the nudge was added",
};

/** A button pressed on the nudge: "The mention was snoozed for a week". */
export function savedOnNudge(action: Pick<NudgeAction, "kind" | "detail">): SavedWork {
  return { said: `${ON_NUDGE[action.kind]}${action.detail ? ` ${action.detail}` : ""}` };
}

/** The notice of saves whose confirmations never arrived: a lead line, then one line each when there are several. */
export function describeUnconfirmed(saved: readonly SavedWork[]): { readonly lead: string; readonly lines: string[] } {
  const [only] = saved;
  if (saved.length === 1 && only) {
    return { lead: `${only.said}, but the confirmation didn't reach you; don't send it again.`, lines: [] };
  }
  const shown = saved.slice(-SHOWN_AT_MOST);
  const more = saved.length - shown.length;
  return {
    lead: "These were saved, but their confirmations didn't reach you; don't send them again:",
    lines: [...shown.map((s) => `${s.said}.`), ...(more > 0 ? [`and ${more} more.`] : [])],
  };
}

/** The apology for a failure that saved nothing, with no earlier save owed either. */
export const NOTHING_SAVED = "Something went wrong and nothing was saved; please try again in a minute.";

/**
 * The apology for a failure that saved nothing of this message (Teams) or command (Slack), said
 * after the earlier saves the answer leads with: "nothing was saved" is never said of those.
 */
export function nothingOfThisSaved(what: "message" | "command"): string {
  return `Something went wrong with this ${what}, and nothing of it was saved; please try again in a minute.`;
}

const UNCONFIRMED = "unconfirmed_saves";
/** The newest shown by name; older ones are counted. */
const SHOWN_AT_MOST = 8;
/** A week: someone away for a long weekend still hears of it, and it doesn't linger beyond that. */
export const UNCONFIRMED_FOR_MS = 7 * 24 * 60 * 60 * 1000;

/** A save as kept: when, so each expires on its own however often the list is put back. */
interface Kept extends SavedWork {
  readonly keptAt: string;
}

function keptOf(entry: unknown): Kept | undefined {
  if (typeof entry !== "object" || entry === null) return undefined;
  const { said, touchpointId, where, keptAt } = entry as Record<string, unknown>;
  if (typeof said !== "string" || typeof keptAt !== "string") return undefined;
  return {
    said,
    keptAt,
    ...(typeof touchpointId === "string" && { touchpointId }),
    ...(typeof where === "string" && { where }),
  };
}

const expiryOf = (from: Date) => new Date(from.getTime() + UNCONFIRMED_FOR_MS);

/** Keeps saves whose confirmations (and apology) didn't reach this person, for their next reply. */
export async function keepUnconfirmedSaves(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: { readonly tenantId: string; readonly userId: string; readonly saved: readonly SavedWork[] },
): Promise<void> {
  if (input.saved.length === 0) return;
  const now = deps.clock.now();
  const entries: Kept[] = input.saved.map(({ said, touchpointId, where }) => ({
    said,
    keptAt: now.toISOString(),
    ...(touchpointId && { touchpointId }),
    ...(where && { where }),
  }));
  await deps.storage.withTenant(input.tenantId, (r) =>
    r.pendingActions.append(UNCONFIRMED, input.userId, entries, { now, expiresAt: expiryOf(now) }),
  );
}

/**
 * The saves kept for this person, oldest first, taken (a second call finds none). Only those
 * `shownHere` accepts are taken (a notice belongs where it can be shown: the conversation it
 * came from, say); the rest stay kept, in the same transaction.
 */
export async function takeUnconfirmedSaves(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: {
    readonly tenantId: string;
    readonly userId: string;
    readonly shownHere?: (saved: SavedWork) => boolean;
  },
): Promise<SavedWork[]> {
  const now = deps.clock.now();
  // Asked on every message, mostly of nobody: a short transaction that may share the command's
  // own (taking and putting back are rolled back together, so it is safe to run again alone).
  return deps.storage.withTenantShared(input.tenantId, async (r) => {
    const kept = (await r.pendingActions.takeList(UNCONFIRMED, input.userId, now))
      .map(keptOf)
      .filter((entry): entry is Kept => entry !== undefined && expiryOf(new Date(entry.keptAt)) > now);
    const shown = input.shownHere ? kept.filter(input.shownHere) : kept;
    const stay = kept.filter((entry) => !shown.includes(entry));
    if (stay.length > 0) {
      const last =
        stay
          .map((entry) => entry.keptAt)
          .sort()
          .at(-1) ?? "";
      await r.pendingActions.append(UNCONFIRMED, input.userId, stay, { now, expiresAt: expiryOf(new Date(last)) });
    }
    return shown.map(({ keptAt: _, ...saved }) => saved);
  });
}
