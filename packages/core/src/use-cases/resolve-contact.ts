import Fuse from "fuse.js";
import type { WhoRef } from "../commands/parse-command.js";
import type { Contact } from "../domain/contact.js";
import { AmbiguousContact, type ContactLookupError, UnknownContact } from "../errors.js";
import type { ContactRepository } from "../ports.js";
import { err, ok, type Result } from "../result.js";

/** Below this Fuse score a lone fuzzy match is taken as meant; above it we ask "did you mean…?". */
const CONFIDENT_SCORE = 0.15;
const FUZZY_THRESHOLD = 0.35;
const MAX_FUZZY_CANDIDATES = 25;

/**
 * Finds the one contact `who` means: by X user id, then handle (X first, then any alias), then
 * email, then name — exact first, fuzzy after. Several matches or an unsure guess come back as a
 * choice; nothing at all as UnknownContact (which adapters turn into "create this contact?").
 */
export async function resolveContact(
  contacts: ContactRepository,
  who: WhoRef,
): Promise<Result<Contact, ContactLookupError>> {
  const found = await candidatesFor(contacts, who);
  if (found.length === 1 && found[0]?.confident) return ok(found[0].contact);
  if (found.length === 0) return err(new UnknownContact(who.raw));
  return err(
    new AmbiguousContact(
      who.raw,
      found.map((c) => c.contact),
    ),
  );
}

interface Candidate {
  readonly contact: Contact;
  readonly confident: boolean;
}

async function candidatesFor(contacts: ContactRepository, who: WhoRef): Promise<Candidate[]> {
  const sure = (list: readonly Contact[]) => list.map((contact) => ({ contact, confident: true }));
  switch (who.kind) {
    case "contact": {
      const contact = await contacts.get(who.contactId);
      return contact && !contact.archived ? sure([contact]) : [];
    }
    case "x_user": {
      const contact = await contacts.findByIdentity("x", { externalUserId: who.externalUserId });
      return contact && !contact.archived ? sure([contact]) : [];
    }
    case "handle": {
      const onX = await contacts.findByIdentity("x", { handle: who.handle });
      if (onX && !onX.archived) return sure([onX]);
      return sure(await contacts.findByHandle(who.handle));
    }
    case "email": {
      const contact = await contacts.findByIdentity("email", { handle: who.email });
      return contact && !contact.archived ? sure([contact]) : [];
    }
    case "name": {
      const exact = await contacts.findByName(who.name);
      if (exact.length > 0) return sure(exact);
      return fuzzyByName(contacts, who.name);
    }
  }
}

async function fuzzyByName(contacts: ContactRepository, name: string): Promise<Candidate[]> {
  const names = await contacts.listNames();
  const fuse = new Fuse(names, {
    keys: ["name"],
    includeScore: true,
    ignoreLocation: true,
    threshold: FUZZY_THRESHOLD,
  });
  const hits = fuse.search(name, { limit: MAX_FUZZY_CANDIDATES });
  const loaded = await Promise.all(hits.map((hit) => contacts.get(hit.item.id)));
  return hits.flatMap((hit, i) => {
    const contact = loaded[i];
    return contact ? [{ contact, confident: (hit.score ?? 1) <= CONFIDENT_SCORE }] : [];
  });
}
