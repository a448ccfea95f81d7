import { checkSealingKey, createSecretBox, createStorage, registeredSealingKeys } from "@touchpoint/db";
import { type FreshDatabase, freshDatabase, storedSealedValues, tenantWithSecrets } from "@touchpoint/db/testing";
import { loadEnv, openDatabase } from "@touchpoint/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTouchpoint, startTouchpoint } from "../support/processes.js";

const OLD_KEY = Buffer.alloc(32, 21);
const NEW_KEY = Buffer.alloc(32, 22);
const oldBox = createSecretBox(OLD_KEY);
const newBox = createSecretBox(NEW_KEY);

const opens = (box: typeof oldBox, value: string) => box.keyIdOpening(value) !== undefined;

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database?.drop());

function envWith(keys: { key: Buffer; previous?: Buffer }): Record<string, string> {
  return {
    DATABASE_URL: database.appUrl,
    DATABASE_ADMIN_URL: database.adminUrl,
    TOUCHPOINT_ENCRYPTION_KEY: keys.key.toString("base64"),
    ...(keys.previous && { TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS: keys.previous.toString("base64") }),
  };
}

/** stderr as lines, without the blank end. */
const linesOf = (text: string) => text.trim().split("\n");

describe("the encryption key on PostgreSQL", () => {
  it("is checked at start-up, rotated by rotate-key with the old key beside the new, and checked again", async () => {
    // A database whose tokens a server sealed under the old key: two tenants, every sealed column.
    const app = await database.connect("app");
    const before = createStorage(app.db, { secrets: oldBox });
    expect(await checkSealingKey(app.db, oldBox)).toMatchObject({ kind: "registered" });
    const a = await tenantWithSecrets(before, 3);
    const b = await tenantWithSecrets(before, 1);
    const tenants = [a.tenantId, b.tenantId];
    const plain = [...a.plain, ...b.plain].sort();
    const sealed = await storedSealedValues(app, tenants);
    expect(sealed).toHaveLength(10);

    // The right key starts the server.
    const right = await startTouchpoint(envWith({ key: OLD_KEY }));
    expect((await fetch(`${right.url}/readyz`)).status).toBe(200);
    expect(await right.stop()).toBe(0);

    // A new key alone: serve stops at once, with one line, before it listens.
    const wrong = await runTouchpoint(["serve"], { ...envWith({ key: NEW_KEY }), PORT: "0", HOST: "127.0.0.1" });
    expect(wrong.code).toBe(1);
    expect(linesOf(wrong.stderr)).toEqual([
      `touchpoint: TOUCHPOINT_ENCRYPTION_KEY is not the key this database's tokens were sealed with (it is key id ${newBox.keyId}; they were sealed with key id ${oldBox.keyId}); set the right key, or rotate to this one: the old key in TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS, then \`touchpoint rotate-key\``,
    ]);
    expect(wrong.stdout).not.toContain("touchpoint is serving");
    expect(wrong.stderr + wrong.stdout).not.toContain(NEW_KEY.toString("base64"));

    // rotate-key without the old key: refused, naming the key, and nothing written.
    const refused = await runTouchpoint(["rotate-key"], envWith({ key: NEW_KEY }));
    expect(refused.code).toBe(1);
    expect(linesOf(refused.stderr).at(-1)).toBe(
      `touchpoint: 10 stored values are sealed with key id ${oldBox.keyId}, which TOUCHPOINT_ENCRYPTION_KEY (key id ${newBox.keyId}) is not: set that key in TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS, and run \`touchpoint rotate-key\` again. Nothing was changed.`,
    );
    expect(await storedSealedValues(app, tenants)).toEqual(sealed);
    expect(await registeredSealingKeys(app.db)).toEqual([oldBox.keyId]);

    // Mid-rotation, a server holding both keys opens values under either and seals under the new one.
    const serving = await openDatabase(loadEnv(envWith({ key: NEW_KEY, previous: OLD_KEY })), () => {});
    try {
      const [account] = await serving.storage.withTenant(a.tenantId, (r) => r.socialAccounts.list());
      expect(await serving.storage.withTenant(a.tenantId, (r) => r.socialAccounts.credentials(account?.id ?? ""))).toBe(
        a.plain[1],
      );
      await serving.storage.withTenant(b.tenantId, (r) =>
        r.socialAccounts.connect({ platform: "x", handle: "mid", externalUserId: "mid-1", credentials: "bearer-mid" }),
      );
    } finally {
      await serving.close();
    }
    expect(await registeredSealingKeys(app.db)).toEqual([oldBox.keyId, newBox.keyId]);
    const midway = await storedSealedValues(app, tenants);
    expect(midway.filter((v) => newBox.isCurrent(v)).map((v) => newBox.open(v))).toEqual(["bearer-mid"]);

    // The rotation: every column re-sealed, a summary per column.
    const rotated = await runTouchpoint(
      ["rotate-key", "--batch-size", "2"],
      envWith({ key: NEW_KEY, previous: OLD_KEY }),
    );
    expect(rotated.stderr).toBe("");
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain(`Re-sealed 10 values under key id ${newBox.keyId} (2 tenants):`);
    expect(rotated.stdout).toMatch(/installations\.secret\s+2\s+0\s+0/);
    expect(rotated.stdout).toMatch(/social_accounts\.credentials\s+4\s+1\s+0/);
    expect(rotated.stdout).toMatch(/install_scopes\.reference\s+4\s+0\s+0/);
    expect(rotated.stdout).toContain(`The old key (key id ${oldBox.keyId}) opens nothing stored now`);

    const after = await storedSealedValues(app, tenants);
    expect(after).toHaveLength(11);
    expect(after.filter((v) => opens(oldBox, v))).toEqual([]);
    expect(after.map((v) => newBox.open(v)).sort()).toEqual([...plain, "bearer-mid"].sort());
    expect(await registeredSealingKeys(app.db)).toEqual([newBox.keyId]);

    // Run again (say, after an interruption): nothing left to do, nothing changed.
    const again = await runTouchpoint(["rotate-key", "--json"], envWith({ key: NEW_KEY, previous: OLD_KEY }));
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      keyId: newBox.keyId,
      columns: {
        "installations.secret": { resealed: 0, current: 2, unreadable: 0 },
        "social_accounts.credentials": { resealed: 0, current: 5, unreadable: 0 },
        "install_scopes.reference": { resealed: 0, current: 4, unreadable: 0 },
      },
    });
    expect(await storedSealedValues(app, tenants)).toEqual(after);

    // Now the new key alone starts, and the old one is the wrong one.
    const renewed = await startTouchpoint(envWith({ key: NEW_KEY }));
    expect((await fetch(`${renewed.url}/readyz`)).status).toBe(200);
    expect(await renewed.stop()).toBe(0);
    const stale = await runTouchpoint(["tenants", "list"], envWith({ key: OLD_KEY }));
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`(it is key id ${oldBox.keyId}; they were sealed with key id ${newBox.keyId})`);
  });
});
