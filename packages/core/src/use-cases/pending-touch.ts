import type { TouchCommand, WhoRef } from "../commands/parse-command.js";
import type { NewContact } from "../domain/contact.js";
import type { TouchSource } from "../domain/touchpoint.js";
import { AlreadyHandled, type ContactLookupError, type IdentityTaken, type ValidationError } from "../errors.js";
import type { Clock, Storage } from "../ports.js";
import { err, ok, type Result } from "../result.js";
import { addContactIn } from "./add-contact.js";
import { type LoggedTouch, logTouchIn } from "./log-touch.js";

/** A touch that waits for "which Jane?" or "Create contact", with everything needed to log it later. */
export interface PendingTouch {
  readonly command: TouchCommand;
  readonly sourceRef: string;
  /** Where the platform lets us answer later (Slack's response_url), if anywhere. */
  readonly replyTo: string | null;
}

const PENDING_TOUCH = "touch";
/** A day: long enough to come back to, short enough that a stale button is plainly stale. */
export const PENDING_TOUCH_FOR_MS = 24 * 60 * 60 * 1000;

/** Keeps a touch that couldn't be logged yet; the id goes into the buttons that finish it. */
export async function holdPendingTouch(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: { readonly tenantId: string; readonly pending: PendingTouch },
): Promise<string> {
  const expiresAt = new Date(deps.clock.now().getTime() + PENDING_TOUCH_FOR_MS);
  return deps.storage.withTenant(input.tenantId, (repos) =>
    repos.pendingActions.put(PENDING_TOUCH, input.pending, expiresAt),
  );
}

/** Rolls a transaction back while still answering with a value. */
class Abort<T> extends Error {
  constructor(readonly result: T) {
    super("aborted");
  }
}

/**
 * Finishes a pending touch with the contact someone chose, or with a contact they just created:
 * all in one transaction, so either the contact, the touch and the pending row's removal all
 * happen, or none of them does. A second press of the same button finds nothing to do.
 */
export async function completePendingTouch(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: {
    readonly tenantId: string;
    readonly pendingId: string;
    readonly contact:
      | { readonly kind: "existing"; readonly contactId: string }
      | { readonly kind: "new"; readonly contact: NewContact };
    readonly loggedBy: string;
    readonly source: TouchSource;
  },
): Promise<
  Result<
    { logged: LoggedTouch; pending: PendingTouch },
    AlreadyHandled | ContactLookupError | ValidationError | IdentityTaken
  >
> {
  type Outcome = Awaited<ReturnType<typeof completePendingTouch>>;
  try {
    return await deps.storage.withTenant(input.tenantId, async (repos): Promise<Outcome> => {
      let who: WhoRef;
      if (input.contact.kind === "new") {
        const added = await addContactIn(repos, input.contact.contact);
        if (!added.ok) return added;
        who = { kind: "contact", contactId: added.value.id, raw: added.value.name };
      } else {
        who = { kind: "contact", contactId: input.contact.contactId, raw: "" };
      }
      const pending = (await repos.pendingActions.take(input.pendingId, PENDING_TOUCH, deps.clock.now())) as
        | PendingTouch
        | undefined;
      if (!pending) throw new Abort<Outcome>(err(new AlreadyHandled()));
      const logged = await logTouchIn(repos, deps.clock, {
        tenantId: input.tenantId,
        ...pending.command,
        who: { ...who, raw: who.raw || pending.command.who.raw },
        loggedBy: input.loggedBy,
        source: input.source,
        sourceRef: pending.sourceRef,
      });
      if (!logged.ok) throw new Abort<Outcome>(logged);
      return ok({ logged: logged.value, pending });
    });
  } catch (error) {
    if (error instanceof Abort) return error.result as Outcome;
    throw error;
  }
}
