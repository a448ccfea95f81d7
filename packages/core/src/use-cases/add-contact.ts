import { type Contact, contactProblems, type NewContact, normalizeSegment } from "../domain/contact.js";
import { IdentityTaken, ValidationError } from "../errors.js";
import type { Storage, TenantRepositories } from "../ports.js";
import { err, ok, type Result } from "../result.js";

export async function addContact(
  deps: { readonly storage: Storage },
  input: { readonly tenantId: string; readonly contact: NewContact },
): Promise<Result<Contact, ValidationError | IdentityTaken>> {
  const contact = cleanContact(input.contact);
  if (!contact.ok) return contact;
  return deps.storage.withTenant(input.tenantId, (repos) => addContactIn(repos, contact.value));
}

function cleanContact(input: NewContact): Result<NewContact, ValidationError> {
  const contact: NewContact = {
    ...input,
    name: input.name.replace(/\s+/g, " ").trim(),
    segment: normalizeSegment(input.segment),
  };
  const [problem] = contactProblems(contact);
  return problem === undefined ? ok(contact) : err(new ValidationError("contact", `The contact's ${problem}.`));
}

/** Adds a contact inside a transaction the caller holds (checks first: a taken identity writes nothing). */
export async function addContactIn(
  repos: TenantRepositories,
  input: NewContact,
): Promise<Result<Contact, ValidationError | IdentityTaken>> {
  const contact = cleanContact(input);
  if (!contact.ok) return contact;
  for (const identity of contact.value.identities ?? []) {
    const owner =
      (await repos.contacts.findByIdentity(identity.platform, { handle: identity.handle })) ??
      (identity.externalUserId === null
        ? undefined
        : await repos.contacts.findByIdentity(identity.platform, { externalUserId: identity.externalUserId }));
    if (owner) return err(new IdentityTaken(identity, owner));
  }
  return ok(await repos.contacts.create(contact.value));
}
