import { randomBytes } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, queryRows } from "./client.js";
import { MIGRATIONS_FOLDER, migrate, migrationStatus, shippedMigrations } from "./migrate.js";
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

describe("the install scopes' backfill (drizzle/0015), as a schema owner that is not a superuser", () => {
  it("records each existing Teams team install as a team scope", async () => {
    const database = await emptyDatabase();
    const root = await createDb({ kind: "postgres", url: database.adminUrl, maxConnections: 1 });
    const owner = `touchpoint_owner_${randomBytes(4).toString("hex")}`;
    try {
      // What production looks like: the owner may create roles, but RLS holds for it where forced.
      await root.db.execute(sql.raw(`create role ${owner} login password 'owner' createrole`));
      await root.db.execute(sql.raw(`alter database ${database.name} owner to ${owner}`));
    } finally {
      await root.close();
    }
    const ownerUrl = new URL(database.adminUrl);
    ownerUrl.username = owner;
    ownerUrl.password = "owner";
    const db = await createDb({ kind: "postgres", url: ownerUrl.toString(), maxConnections: 1 });
    try {
      await migrate(db, { migrationsFolder: await migrationsBefore("0015_install-scopes-rls") });
      // Installed before scopes were kept: a team install (its team id known) and a personal one.
      const [tenant] = await db.db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('role', 'touchpoint_system', true)`);
        const rows = await queryRows<{ id: string }>(
          tx,
          sql`insert into tenants (platform, external_id, name) values ('teams', 'entra-legacy', 'Legacy') returning id`,
        );
        await tx.execute(
          sql`insert into installations (tenant_id, platform, key, team_id, installed_by, secret)
              values (${rows[0]?.id}, 'teams', 'entra-legacy', '19:team@thread.tacv2', 'aad-amy', 'v1.sealed.reference.x')`,
        );
        return rows;
      });
      await migrate(db);
      const scopes = await db.db.transaction(async (tx) => {
        await tx.execute(
          sql`select set_config('role', 'touchpoint_app', true), set_config('app.tenant_id', ${tenant?.id}, true)`,
        );
        return queryRows<{ conversation_id: string; scope: string; reference: string; installed_by: string }>(
          tx,
          sql`select conversation_id, scope, reference, installed_by from install_scopes`,
        );
      });
      expect(scopes).toEqual([
        {
          conversation_id: "19:team@thread.tacv2",
          scope: "team",
          reference: "v1.sealed.reference.x",
          installed_by: "aad-amy",
        },
      ]);
    } finally {
      await db.close();
    }
  });
});

/** drizzle/ as it was before `tag`: its SQL and a journal cut short there. */
async function migrationsBefore(tag: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "touchpoint-migrations-"));
  await mkdir(join(folder, "meta"));
  const entries = shippedMigrations();
  const kept = entries.slice(
    0,
    entries.findIndex((entry) => entry.tag === tag),
  );
  for (const entry of kept)
    await copyFile(join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
  const journal = JSON.parse(await readFile(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as object;
  await writeFile(join(folder, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: kept }));
  return folder;
}
