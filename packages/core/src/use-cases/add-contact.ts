import { type Contact, contactProblems, type NewContact, normalizeSegment } from "../domain/contact.js";
import { IdentityTaken, ValidationError } from "../errors.js";
import type { Storage } from "../ports.js";
import { err, ok, type Result } from "../result.js";

export async function addContact(
  deps: { readonly storage: Storage },
  input: { readonly tenantId: string; readonly contact: NewContact },
): Promise<Result<Contact, ValidationError | IdentityTaken>> {
  const contact: NewContact = {
    ...input.contact,
    name: input.contact.name.replace(/\s+/g, " ").trim(),
    segment: normalizeSegment(input.contact.segment),
  };
  const [problem] = contactProblems(contact);
  if (problem !== undefined) return err(new ValidationError("contact", `The contact's ${problem}.`));

  return deps.storage.withTenant(input.tenantId, async (repos) => {
    for (const identity of contact.identities ?? []) {
      const owner =
        (await repos.contacts.findByIdentity(identity.platform, { handle: identity.handle })) ??
        (identity.externalUserId === null
          ? undefined
          : await repos.contacts.findByIdentity(identity.platform, { externalUserId: identity.externalUserId }));
      if (owner) return err(new IdentityTaken(identity, owner));
    }
    return ok(await repos.contacts.create(contact));
  });
}
