import { newTenant } from "@touchpoint/core/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, queryRows } from "./client.js";
import { createStorage } from "./storage.js";
import { type FreshDatabase, freshDatabase, testSecrets } from "./testing/index.js";

let database: FreshDatabase;
let app: DatabaseHandle;
beforeAll(async () => {
  database = await freshDatabase();
  app = await database.connect("app");
});
afterAll(() => database?.drop());

/** The plan PostgreSQL picks with sequential scans and sorts priced out: what the indexes make possible. */
async function plan(query: ReturnType<typeof sql>): Promise<string> {
  return app.db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    await tx.execute(sql`set local enable_sort = off`);
    const rows = await queryRows<{ "QUERY PLAN": string }>(tx, sql`explain ${query}`);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  });
}

describe("indexes behind the nudge's queries", () => {
  it("answer the last touch per contact from the index alone, within a tenant", async () => {
    const tenantId = await newTenant(createStorage(app.db, { secrets: testSecrets }));
    const text = await plan(
      sql`select contact_id, max(occurred_at) from touchpoints where tenant_id = ${tenantId} and undone_at is null group by contact_id`,
    );
    expect(text).toContain("Index Only Scan using touchpoints_contact_recent_idx");
  });

  it("find a tenant's open mentions oldest-first without sorting", async () => {
    const tenantId = await newTenant(createStorage(app.db, { secrets: testSecrets }));
    const text = await plan(
      sql`select posted_at from mentions where tenant_id = ${tenantId} and status = 'needs_reply' order by posted_at desc limit 50`,
    );
    // Either index reads them in order (the planner's choice on an empty table).
    expect(text).toMatch(/Index (Only )?Scan (Backward )?using mentions_(status_age|posted)_idx/);
    expect(text).not.toContain("Sort");
  });

  it("read a day of a tenant's mentions without scanning the rest (the nudge's figures)", async () => {
    const tenantId = await newTenant(createStorage(app.db, { secrets: testSecrets }));
    const text = await plan(
      sql`select count(*) from mentions where tenant_id = ${tenantId}
          and posted_at >= '2026-11-01T00:00:00Z' and posted_at < '2026-11-02T00:00:00Z'`,
    );
    expect(text).toMatch(/Index (Only )?Scan using mentions_posted_idx/);
  });

  it("look a contact up by any handle, and by name regardless of case", async () => {
    const tenantId = await newTenant(createStorage(app.db, { secrets: testSecrets }));
    expect(
      await plan(sql`select contact_id from contact_identities where tenant_id = ${tenantId} and handle = 'janedoe'`),
    ).toMatch(/Index (Only )?Scan using contact_identities_any_handle_idx/);
    expect(
      await plan(sql`select id from contacts where tenant_id = ${tenantId} and lower(name) = lower('Jane Doe')`),
    ).toContain("contacts_name_idx");
  });
});
