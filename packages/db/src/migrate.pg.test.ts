import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, queryRows } from "./client.js";
import { migrate, migrationStatus, shippedMigrations } from "./migrate.js";
import { type FreshDatabase, freshDatabase } from "./testing/index.js";

const databases: FreshDatabase[] = [];
afterAll(() => Promise.all(databases.map((d) => d.drop())));

async function emptyDatabase(): Promise<FreshDatabase> {
  const database = await freshDatabase({ empty: true });
  databases.push(database);
  return database;
}

describe("migrations on PostgreSQL", () => {
  it("apply cleanly to an empty database, as the schema owner, and leave it current for the app", async () => {
    const database = await emptyDatabase();
    const admin = await createDb({ kind: "postgres", url: database.adminUrl, maxConnections: 1 });
    try {
      expect(await migrate(admin)).toEqual({ applied: shippedMigrations().length });
      expect(await migrate(admin)).toEqual({ applied: 0 });
    } finally {
      await admin.close();
    }
    const app = await database.connect("app");
    expect(await migrationStatus(app.db)).toEqual({
      applied: shippedMigrations().length,
      shipped: shippedMigrations().length,
      current: true,
    });
    const tables = await queryRows<{ tablename: string; tableowner: string }>(
      app.db,
      sql`select tablename, tableowner from pg_tables where schemaname = 'public' order by tablename`,
    );
    expect(tables.map((t) => t.tablename)).toEqual([
      "contact_identities",
      "contacts",
      "install_scopes",
      "installations",
      "members",
      "mentions",
      "nudge_deliveries",
      "nudges",
      "own_posts",
      "pending_actions",
      "request_budgets",
      "sealing_keys",
      "social_accounts",
      "tenants",
      "touchpoints",
    ]);
    const appUser = decodeURIComponent(new URL(database.appUrl).username);
    expect(tables.every((t) => t.tableowner !== appUser && t.tableowner !== "touchpoint_app")).toBe(true);
  });

  it("run once when three replicas start at the same moment", async () => {
    const database = await emptyDatabase();
    const replicas = await Promise.all(
      [1, 2, 3].map(() => createDb({ kind: "postgres", url: database.adminUrl, maxConnections: 1 })),
    );
    try {
      const results = await Promise.all(replicas.map((r) => migrate(r)));
      expect(results.map((r) => r.applied).sort()).toEqual([0, 0, shippedMigrations().length]);
      const [journal] = await queryRows<{ n: number }>(
        replicas[0]?.db as never,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(journal?.n).toBe(shippedMigrations().length);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });
});
