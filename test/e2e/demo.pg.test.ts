import { shippedMigrations } from "@touchpoint/db";
import { type FreshDatabase, freshDatabase } from "@touchpoint/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTouchpoint, startTouchpoint } from "../support/processes.js";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase({ empty: true });
});
afterAll(() => database?.drop());

describe("the CLI and server on PostgreSQL", () => {
  it("migrates as the admin, runs the demo as the app's login user, and serves /readyz", async () => {
    const env = {
      DATABASE_URL: database.appUrl,
      DATABASE_ADMIN_URL: database.adminUrl,
      TOUCHPOINT_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64"),
    };
    const migrate = await runTouchpoint(["migrate"], env);
    expect(migrate.stderr).toContain(`· applying ${shippedMigrations().length} migrations`);
    expect(migrate.code).toBe(0);

    const demo = await runTouchpoint(["demo"], env);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain("Touchpoint demo · PostgreSQL at 127.0.0.1");
    expect(demo.stdout).toContain("Imported 40 rows: 40 new, 0 updated, 0 unchanged.");
    expect(demo.stdout).toMatch(/40 contacts: 5 going cold · 1 due soon · 28 never touched · 6 in touch/);
    // The recorded X mentions go through the poller's cross-tenant budget path as the app's login user.
    expect(demo.stdout).toMatch(/✓ read [1-9]\d* mentions of @riversidefood through the poller/);
    expect(demo.stdout).not.toContain(database.appUrl);

    const server = await startTouchpoint(env);
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(await ready.json()).toMatchObject({
        status: "ready",
        migrations: { applied: shippedMigrations().length, shipped: shippedMigrations().length },
      });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
