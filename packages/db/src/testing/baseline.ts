import type { NewContact } from "@touchpoint/core";
import type { Database } from "../client.js";
import { insertContacts } from "../repositories/bulk-insert.js";

/**
 * The floor an import is measured against: the same contacts and identities written by the same
 * set-wise INSERTs in one transaction, as the schema owner — no CSV, no validation, no matching,
 * no Row-Level Security. Benchmarks only.
 */
export async function insertContactsPlain(db: Database, tenantId: string, rows: readonly NewContact[]): Promise<void> {
  const CHUNK = 500;
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += CHUNK) await insertContacts(tx, tenantId, rows.slice(i, i + CHUNK));
  });
}
