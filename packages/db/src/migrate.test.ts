import { describe, expect, it } from "vitest";
import { createDb } from "./client.js";
import { migrate, migrationStatus, shippedMigrations } from "./migrate.js";
import { sharedEmbeddedDb } from "./testing/index.js";

describe("migrations on embedded PGlite", () => {
  it("are current after migrate, and a second migrate applies nothing", async () => {
    const handle = await sharedEmbeddedDb();
    expect(await migrationStatus(handle.db)).toEqual({
      applied: shippedMigrations().length,
      shipped: shippedMigrations().length,
      current: true,
    });
    expect(await migrate(handle)).toEqual({ applied: 0 });
  });

  it("report an empty database as not current, then apply everything with progress", async () => {
    const handle = await createDb({ kind: "embedded", dataDir: undefined });
    try {
      expect(await migrationStatus(handle.db)).toEqual({
        applied: 0,
        shipped: shippedMigrations().length,
        current: false,
      });
      const events: unknown[] = [];
      const result = await migrate(handle, { onProgress: (e) => events.push(e) });
      expect(result.applied).toBe(shippedMigrations().length);
      expect(events).toEqual([
        { pending: shippedMigrations().map((m) => m.tag) },
        { applied: shippedMigrations().length },
      ]);
      expect((await migrationStatus(handle.db)).current).toBe(true);
    } finally {
      await handle.close();
    }
  });
});
