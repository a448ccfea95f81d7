import { randomUUID } from "node:crypto";
import type { NewContact } from "@touchpoint/core";
import { sql } from "drizzle-orm";
import type { Queryable } from "../client.js";

/** One array parameter per column, for unnest(): the statement is the same size for 1 row or 10,000. */
export function columnOf<Row, T>(rows: readonly Row[], pick: (row: Row) => T) {
  return sql.param(rows.map(pick));
}

/**
 * Inserts contacts and their identities set-wise: one array parameter per column, expanded by
 * unnest(), instead of one parameter per value. Building a 10,000-value INSERT costs more CPU in
 * the query builder than the database spends writing it; this costs the same for any batch size.
 * Ids are made here so identities need no RETURNING round trip. Returns the new ids, in order.
 */
export async function insertContacts(
  db: Queryable,
  tenantId: string,
  inputs: readonly NewContact[],
): Promise<string[]> {
  if (inputs.length === 0) return [];
  const ids = inputs.map(() => randomUUID());
  const column = <T>(pick: (input: NewContact) => T) => columnOf(inputs, pick);
  await db.execute(sql`
    insert into contacts (tenant_id, id, name, segment, tags, owner, cadence_days, notes)
    select ${tenantId}::uuid, u.id, u.name, u.segment,
           array(select jsonb_array_elements_text(u.tags::jsonb)), u.owner, u.cadence_days, u.notes
    from unnest(
      ${sql.param(ids)}::uuid[],
      ${column((c) => c.name)}::text[],
      ${column((c) => c.segment ?? null)}::text[],
      ${column((c) => JSON.stringify(c.tags ?? []))}::text[],
      ${column((c) => c.owner ?? null)}::text[],
      ${column((c) => c.cadenceDays ?? null)}::int[],
      ${column((c) => c.notes ?? null)}::text[]
    ) as u(id, name, segment, tags, owner, cadence_days, notes)`);

  const identities = inputs.flatMap((input, i) =>
    (input.identities ?? []).map((identity) => ({ contactId: ids[i] as string, ...identity })),
  );
  if (identities.length > 0) {
    const field = <T>(pick: (row: (typeof identities)[number]) => T) => sql.param(identities.map(pick));
    await db.execute(sql`
      insert into contact_identities (tenant_id, contact_id, platform, handle, external_user_id)
      select ${tenantId}::uuid, u.contact_id, u.platform, u.handle, u.external_user_id
      from unnest(
        ${field((r) => r.contactId)}::uuid[],
        ${field((r) => r.platform)}::text[],
        ${field((r) => r.handle)}::text[],
        ${field((r) => r.externalUserId)}::text[]
      ) as u(contact_id, platform, handle, external_user_id)`);
  }
  return ids;
}
