import type { Contact } from "../domain/contact.js";
import type { Touchpoint } from "../domain/touchpoint.js";
import { UnknownTouchpoint } from "../errors.js";
import type { Clock, Storage } from "../ports.js";
import { err, ok, type Result } from "../result.js";

export interface TouchUndone {
  readonly touchpoint: Touchpoint;
  readonly contact: Contact | undefined;
  readonly alreadyUndone: boolean;
}

/** Undoes a logged touch. Pressing Undo twice is harmless: the second press changes nothing. */
export async function undoTouch(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: { readonly tenantId: string; readonly touchpointId: string },
): Promise<Result<TouchUndone, UnknownTouchpoint>> {
  return deps.storage.withTenant(input.tenantId, async (repos) => {
    const existing = await repos.touchpoints.get(input.touchpointId);
    if (!existing) return err(new UnknownTouchpoint(input.touchpointId));
    const contact = await repos.contacts.get(existing.contactId);
    if (existing.undoneAt !== null) return ok({ touchpoint: existing, contact, alreadyUndone: true });
    const undone = await repos.touchpoints.undo(existing.id, deps.clock.now());
    return ok({ touchpoint: undone ?? existing, contact, alreadyUndone: false });
  });
}
