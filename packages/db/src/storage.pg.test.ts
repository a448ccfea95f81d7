import { logTouch, type Storage, systemClock } from "@touchpoint/core";
import { describeStorageContract, newTenant } from "@touchpoint/core/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, queryRows } from "./client.js";
import { createStorage } from "./storage.js";
import { describeRowLevelSecurity, type FreshDatabase, freshDatabase, testSecrets } from "./testing/index.js";

let database: FreshDatabase;
let app: DatabaseHandle;

beforeAll(async () => {
  database = await freshDatabase();
  app = await database.connect("app");
});
afterAll(() => database?.drop());

const storage = () => createStorage(app.db, { secrets: testSecrets });

describeStorageContract("PostgreSQL, as the app's login user", storage);
describeRowLevelSecurity("PostgreSQL, as the app's login user", async () => ({ db: app.db, storage: storage() }));

/** `/touch @janedoe called about the gala`, as Slack delivers it with this trigger's ref. */
const touchJane = (storage: Storage, tenantId: string, sourceRef: string) =>
  logTouch(
    { storage, clock: systemClock },
    {
      tenantId,
      who: { kind: "handle", handle: "janedoe", raw: "@janedoe" },
      channel: "call",
      direction: "outbound",
      note: "called about the gala",
      loggedBy: "U1",
      source: "slack",
      sourceRef,
    },
  );

describe("concurrent deliveries on PostgreSQL", () => {
  it("two connections logging the same source_ref at once make one row", async () => {
    // Two pools, as two replicas would have: no shared connection to serialize them.
    const first = createStorage((await database.connect("app", 5)).db, { secrets: testSecrets });
    const second = createStorage((await database.connect("app", 5)).db, { secrets: testSecrets });
    const tenantId = await newTenant(first);
    await first.withTenant(tenantId, (r) =>
      r.contacts.create({ name: "Jane Doe", identities: [{ platform: "x", handle: "janedoe", externalUserId: null }] }),
    );

    const refs = Array.from({ length: 25 }, (_, i) => `slack:T1:trigger-${i}`);
    const outcomes = await Promise.all(
      refs.flatMap((sourceRef) => [first, second].map((s) => touchJane(s, tenantId, sourceRef))),
    );
    for (const outcome of outcomes) expect(outcome.ok).toBe(true);
    const created = outcomes.filter((o) => o.ok && o.value.created).length;
    expect(created).toBe(refs.length);
    // Both deliveries of one ref answer with the same touchpoint.
    for (let i = 0; i < outcomes.length; i += 2) {
      const [a, b] = [outcomes[i], outcomes[i + 1]];
      if (a?.ok && b?.ok) expect(a.value.touchpoint.id).toBe(b.value.touchpoint.id);
    }
    const admin = await database.connect("admin", 1);
    const [count] = await queryRows<{ n: number }>(
      admin.db,
      sql`select count(*)::int as n from touchpoints where tenant_id = ${tenantId}`,
    );
    expect(count?.n).toBe(refs.length);
  });

  it("shares transactions among touches arriving together, and one failing touch fails only itself", async () => {
    const shared = createStorage((await database.connect("app", 5)).db, { secrets: testSecrets });
    const tenantId = await newTenant(shared);
    await shared.withTenant(tenantId, (r) =>
      r.contacts.create({ name: "Jane Doe", identities: [{ platform: "x", handle: "janedoe", externalUserId: null }] }),
    );
    const admin = await database.connect("admin", 1);
    const stored = async () => {
      const [row] = await queryRows<{ n: number; transactions: number }>(
        admin.db,
        // A row's created_at is its transaction's start: fewer distinct ones than rows means shared.
        sql`select count(*)::int as n, count(distinct created_at)::int as transactions
            from touchpoints where tenant_id = ${tenantId}`,
      );
      return row;
    };

    const together = await Promise.all(
      Array.from({ length: 20 }, (_, i) => touchJane(shared, tenantId, `slack:T1:shared-${i}`)),
    );
    for (const outcome of together) expect(outcome.ok && outcome.value.created).toBe(true);
    expect((await stored())?.n).toBe(20);
    expect((await stored())?.transactions).toBeLessThan(20);

    // A touch of a contact that does not exist, among others: the foreign key refuses it.
    const first = touchJane(shared, tenantId, "slack:T1:shared-20");
    const broken = shared.withTenantShared(tenantId, (r) =>
      r.touchpoints.record({
        contactId: "00000000-0000-4000-8000-000000000000",
        occurredAt: new Date(),
        channel: "call",
        direction: "outbound",
        note: null,
        loggedBy: "U1",
        source: "slack",
        sourceRef: "slack:T1:broken",
      }),
    );
    const others = Array.from({ length: 19 }, (_, i) => touchJane(shared, tenantId, `slack:T1:shared-${21 + i}`));
    await expect(broken).rejects.toThrow();
    for (const outcome of await Promise.all([first, ...others])) expect(outcome.ok && outcome.value.created).toBe(true);
    expect((await stored())?.n).toBe(40);
  });
});

describe("statements on PostgreSQL", () => {
  it("are prepared once per connection, in transactions and savepoints too", async () => {
    const single = await database.connect("app", 1);
    const storage = createStorage(single.db, { secrets: testSecrets });
    const tenantId = await newTenant(storage);
    await storage.withTenant(tenantId, (r) => r.contacts.findByName("Jane Doe"));
    await single.db.transaction((tx) =>
      tx.transaction((savepoint) => savepoint.execute(sql`select ${7}::int as seven`)),
    );
    // pg_prepared_statements is per session: with one connection, it is the one that ran the above.
    const statements = await queryRows<{ statement: string }>(
      single.db,
      sql`select statement from pg_prepared_statements`,
    );
    expect(statements.some((s) => s.statement.includes('lower("contacts"."name") = lower($'))).toBe(true);
    expect(statements.some((s) => s.statement.includes("$1::int as seven"))).toBe(true);
  });
});
