import type { NewContact } from "@touchpoint/core";
import type { Database } from "../client.js";
import { contactIdentities, contacts } from "../schema.js";

/**
 * The floor an import is measured against: the same contacts and identities written with plain
 * multi-row INSERTs in one transaction, as the schema owner, with no validation, no matching and
 * no Row-Level Security. Benchmarks only.
 */
export async function insertContactsPlain(db: Database, tenantId: string, rows: readonly NewContact[]): Promise<void> {
  const CHUNK = 1000;
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const inserted = await tx
        .insert(contacts)
        .values(
          chunk.map((r) => ({
            tenantId,
            name: r.name,
            segment: r.segment ?? null,
            tags: [...(r.tags ?? [])],
            owner: r.owner ?? null,
            cadenceDays: r.cadenceDays ?? null,
            notes: r.notes ?? null,
          })),
        )
        .returning({ id: contacts.id });
      const identities = inserted.flatMap(({ id }, j) =>
        (chunk[j]?.identities ?? []).map((identity) => ({ tenantId, contactId: id, ...identity })),
      );
      if (identities.length > 0) await tx.insert(contactIdentities).values(identities);
    }
  });
}
