import Fuse from "fuse.js";
import type { Contact } from "../domain/contact.js";
import type { Storage } from "../ports.js";

/** `/contact find gala`: names, handles, emails, tags and segments, best match first. */
export async function findContacts(
  deps: { readonly storage: Storage },
  input: { readonly tenantId: string; readonly query: string; readonly limit?: number },
): Promise<Contact[]> {
  const contacts = await deps.storage.withTenant(input.tenantId, (repos) => repos.contacts.list());
  const fuse = new Fuse(contacts, {
    keys: [
      { name: "name", weight: 3 },
      { name: "identities.handle", weight: 2 },
      { name: "tags", weight: 1 },
      { name: "segment", weight: 1 },
    ],
    ignoreLocation: true,
    threshold: 0.3,
  });
  return fuse.search(input.query.trim(), { limit: input.limit ?? 20 }).map((hit) => hit.item);
}
