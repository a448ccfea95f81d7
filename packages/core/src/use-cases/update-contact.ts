import type { WhoRef } from "../commands/parse-command.js";
import { type Contact, type ContactPatch, contactProblems } from "../domain/contact.js";
import { type ContactLookupError, ValidationError } from "../errors.js";
import type { Storage } from "../ports.js";
import { err, ok, type Result } from "../result.js";
import { resolveContact } from "./resolve-contact.js";

export type ContactChange =
  | { readonly kind: "tags"; readonly add: readonly string[]; readonly remove: readonly string[] }
  | { readonly kind: "owner"; readonly owner: string | null }
  | { readonly kind: "cadence"; readonly cadenceDays: number | null }
  | { readonly kind: "patch"; readonly patch: ContactPatch };

export interface ContactUpdated {
  readonly before: Contact;
  readonly after: Contact;
}

/** Finds the contact `who` names and applies one change to it, all in one transaction. */
export async function updateContact(
  deps: { readonly storage: Storage },
  input: { readonly tenantId: string; readonly who: WhoRef; readonly change: ContactChange },
): Promise<Result<ContactUpdated, ContactLookupError | ValidationError>> {
  return deps.storage.withTenant(input.tenantId, async (repos) => {
    const found = await resolveContact(repos.contacts, input.who);
    if (!found.ok) return found;
    const before = found.value;
    const patch = patchFor(before, input.change);
    const [problem] = contactProblems(patch);
    if (problem !== undefined) return err(new ValidationError("contact", `The contact's ${problem}.`));
    const after = await repos.contacts.update(before.id, patch);
    if (!after) throw new Error(`contact ${before.id} vanished inside its own transaction`);
    return ok({ before, after });
  });
}

function patchFor(contact: Contact, change: ContactChange): ContactPatch {
  switch (change.kind) {
    case "tags": {
      const removed = new Set(change.remove);
      const tags = [...new Set([...contact.tags, ...change.add])].filter((tag) => !removed.has(tag));
      return { tags };
    }
    case "owner":
      return { owner: change.owner };
    case "cadence":
      return { cadenceDays: change.cadenceDays };
    case "patch":
      return change.patch;
  }
}
