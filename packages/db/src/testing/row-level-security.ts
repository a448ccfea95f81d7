import type { Storage } from "@touchpoint/core";
import { newTenant, sampleDigest } from "@touchpoint/core/testing";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type Database, queryRows } from "../client.js";
import { inTenant } from "../scopes.js";

/** Every table with tenant rows; the app role reads all but installations (sealed tokens it never needs). */
const TENANT_TABLES = [
  "members",
  "contacts",
  "contact_identities",
  "touchpoints",
  "mentions",
  "social_accounts",
  "installations",
  "pending_actions",
  "own_posts",
  "nudges",
  "nudge_deliveries",
  "install_scopes",
];
const APP_READABLE = TENANT_TABLES.filter((table) => table !== "installations");

/** The database's own words: a failed query throws a DatabaseError with its message (errors.ts). */
async function rejection(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return (error as { message?: string }).message ?? "";
  }
  return "it succeeded";
}

/** Runs raw SQL as the app role with no tenant set: what a forgotten withTenant would do. */
async function asAppRoleWithoutTenant<T>(db: Database, work: (tx: Database) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'touchpoint_app', true)`);
    return work(tx as unknown as Database);
  });
}

/**
 * The second wall: Row-Level Security, tested with queries the repositories would never write.
 * Runs on embedded PGlite and on real PostgreSQL (as the app's login user there).
 */
export function describeRowLevelSecurity(
  name: string,
  setup: () => Promise<{ readonly db: Database; readonly storage: Storage }>,
): void {
  describe(`Row-Level Security: ${name}`, () => {
    async function twoTenants() {
      const { db, storage } = await setup();
      const a = await newTenant(storage, "Tenant A");
      const b = await newTenant(storage, "Tenant B");
      const bContact = await storage.withTenant(b, async (r) => {
        const contact = await r.contacts.create({
          name: "B's donor",
          identities: [{ platform: "email", handle: `donor-${b}@example.org`, externalUserId: null }],
        });
        await r.touchpoints.record({
          contactId: contact.id,
          occurredAt: new Date(),
          channel: "call",
          direction: "outbound",
          note: "private to B",
          loggedBy: "U1",
          source: "cli",
          sourceRef: `rls-${b}`,
        });
        await r.members.upsert({ platformUserId: "UB", role: "admin" });
        await r.nudges.claim(sampleDigest(b, "2026-11-02"), [{ target: "C0BNUDGES" }], new Date());
        return contact;
      });
      await storage.withTenant(a, (r) => r.contacts.create({ name: "A's donor" }));
      return { db, a, b, bContact };
    }

    it("shows tenant A none of tenant B's rows, even to queries that ask for them by id", async () => {
      const { db, a, b, bContact } = await twoTenants();
      await inTenant(db, a, async (tx) => {
        for (const table of APP_READABLE) {
          const rows = await queryRows(tx, sql`select * from ${sql.identifier(table)} where tenant_id = ${b}`);
          expect(rows, table).toEqual([]);
        }
        const everything = await queryRows<{ tenant_id: string }>(tx, sql`select tenant_id from contacts`);
        expect(new Set(everything.map((r) => r.tenant_id))).toEqual(new Set([a]));
        expect(await queryRows(tx, sql`select * from contacts where id = ${bContact.id}`)).toEqual([]);
        expect(await queryRows(tx, sql`select * from tenants where id = ${b}`)).toEqual([]);
        expect(await queryRows(tx, sql`select id from tenants`)).toEqual([{ id: a }]);
        const updated = await queryRows(
          tx,
          sql`update contacts set name = 'hijacked' where tenant_id = ${b} returning id`,
        );
        expect(updated).toEqual([]);
        const deleted = await queryRows(tx, sql`delete from touchpoints where tenant_id = ${b} returning id`);
        expect(deleted).toEqual([]);
      });
      await inTenant(db, b, async (tx) => {
        const rows = await queryRows<{ name: string }>(tx, sql`select name from contacts where id = ${bContact.id}`);
        expect(rows).toEqual([{ name: "B's donor" }]);
        expect(await queryRows(tx, sql`select * from touchpoints where note = 'private to B'`)).toHaveLength(1);
      });
    });

    it("refuses to write a row into another tenant", async () => {
      const { db, a, b } = await twoTenants();
      expect(
        await rejection(
          inTenant(db, a, (tx) => tx.execute(sql`insert into contacts (tenant_id, name) values (${b}, 'planted')`)),
        ),
      ).toMatch(/row-level security/);
      expect(
        await rejection(
          inTenant(db, a, (tx) => tx.execute(sql`update contacts set tenant_id = ${b} where tenant_id = ${a}`)),
        ),
      ).toMatch(/row-level security/);
      await inTenant(db, b, async (tx) => {
        expect(await queryRows(tx, sql`select * from contacts where name = 'planted'`)).toEqual([]);
      });
    });

    it("shows nothing at all when no tenant is set", async () => {
      const { db } = await twoTenants();
      await asAppRoleWithoutTenant(db, async (tx) => {
        for (const table of [...APP_READABLE, "tenants"]) {
          expect(await queryRows(tx, sql`select * from ${sql.identifier(table)}`), table).toEqual([]);
        }
      });
    });

    it("keeps installations (and the tokens in them) from the app role altogether", async () => {
      const { db } = await setup();
      expect(await rejection(asAppRoleWithoutTenant(db, (tx) => tx.execute(sql`select * from installations`)))).toMatch(
        /permission denied/,
      );
    });

    it("does not let the app role turn the wall off", async () => {
      const { db } = await setup();
      const attempts = [
        sql`alter table contacts disable row level security`,
        sql`alter table contacts no force row level security`,
        sql`drop policy tenant_isolation on contacts`,
        sql`create policy open_door on contacts to touchpoint_app using (true)`,
        sql`alter role touchpoint_app bypassrls`,
      ];
      for (const attempt of attempts) {
        expect(await rejection(asAppRoleWithoutTenant(db, (tx) => tx.execute(attempt)))).toMatch(
          /must be (owner|superuser)|permission denied/,
        );
      }
      // With row_security off, a query that RLS would filter fails instead of seeing everything.
      expect(
        await rejection(
          asAppRoleWithoutTenant(db, async (tx) => {
            await tx.execute(sql`select set_config('row_security', 'off', true)`);
            return tx.execute(sql`select * from contacts`);
          }),
        ),
      ).toMatch(/row-level security/);
    });

    it("forces RLS with a tenant policy on every tenant table, and the app role owns nothing", async () => {
      const { db } = await setup();
      const tables = await queryRows<{ table_name: string }>(
        db,
        sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id'`,
      );
      expect(tables.map((t) => t.table_name).sort()).toEqual([...TENANT_TABLES].sort());
      for (const table of [...TENANT_TABLES, "tenants"]) {
        const [flags] = await queryRows<{ enabled: boolean; forced: boolean }>(
          db,
          sql`select relrowsecurity as enabled, relforcerowsecurity as forced from pg_class where oid = ${`public.${table}`}::regclass`,
        );
        expect(flags, table).toEqual({ enabled: true, forced: true });
        const policies = await queryRows(
          db,
          sql`select policyname from pg_policies where schemaname = 'public' and tablename = ${table} and 'touchpoint_app' = any(roles)`,
        );
        expect(policies.length, table).toBeGreaterThan(0);
      }
      const [role] = await queryRows<Record<string, boolean>>(
        db,
        sql`select rolsuper, rolbypassrls, rolcanlogin, rolcreaterole, rolcreatedb from pg_roles where rolname = 'touchpoint_app'`,
      );
      expect(role).toEqual({
        rolsuper: false,
        rolbypassrls: false,
        rolcanlogin: false,
        rolcreaterole: false,
        rolcreatedb: false,
      });
      const owned = await queryRows(
        db,
        sql`select relname from pg_class where relowner in (select oid from pg_roles where rolname in ('touchpoint_app', 'touchpoint_system'))`,
      );
      expect(owned).toEqual([]);
    });
  });
}
