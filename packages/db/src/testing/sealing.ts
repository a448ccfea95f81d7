import { createCipheriv, randomBytes } from "node:crypto";
import type { Storage } from "@touchpoint/core";
import { newTenant, uniqueExternalId } from "@touchpoint/core/testing";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type DatabaseHandle, queryRows } from "../client.js";
import { createSecretBox, type SecretBox } from "../crypto.js";
import { asSystem, inTenant } from "../scopes.js";
import {
  checkSealingKey,
  registeredSealingKeys,
  resealSecrets,
  retireOtherSealingKeys,
  SealingKeyMismatch,
} from "../sealing.js";
import { createStorage } from "../storage.js";

/** A box that seals the way the first version did (v1: no key id); it opens like any box. */
export function legacySecretBox(key: Buffer): SecretBox {
  const box = createSecretBox(key);
  return {
    ...box,
    seal(plaintext) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, nonce);
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return ["v1", nonce, cipher.getAuthTag(), ciphertext].map((part) => part.toString("base64url")).join(".");
    },
  };
}

/** Every sealed value stored for these tenants, as the tables hold them. */
export async function storedSealedValues(handle: DatabaseHandle, tenantIds: readonly string[]): Promise<string[]> {
  const values: string[] = [];
  for (const tenantId of tenantIds) {
    const installations = await asSystem(handle.db, (tx) =>
      queryRows<{ v: string }>(
        tx,
        sql`select secret as v from installations where tenant_id = ${tenantId} order by id`,
      ),
    );
    const own = await inTenant(handle.db, tenantId, (tx) =>
      queryRows<{ v: string }>(
        tx,
        sql`select v from (
              select 1 as t, id::text as k, credentials as v from social_accounts
              union all select 2, conversation_id, reference from install_scopes) as sealed
            order by t, k`,
      ),
    );
    values.push(...[...installations, ...own].map((row) => row.v));
  }
  return values;
}

/** One tenant with a value in every sealed column: an installation, `accounts` X accounts, two Teams scopes. */
export async function tenantWithSecrets(
  storage: Storage,
  accounts = 1,
): Promise<{ tenantId: string; plain: string[] }> {
  const tenantId = await newTenant(storage);
  const key = uniqueExternalId("T");
  const plain = [`{"bot":{"token":"xoxb-${key}"}}`];
  await storage.installations.save({
    tenantId,
    platform: "slack",
    key,
    enterpriseId: null,
    teamId: key,
    isEnterpriseInstall: false,
    botUserId: "U0BOT",
    installedBy: "U0ADMIN",
    secret: plain[0] ?? "",
  });
  await storage.withTenant(tenantId, async (r) => {
    for (let i = 0; i < accounts; i++) {
      const credentials = `bearer-${key}-${i}`;
      plain.push(credentials);
      await r.socialAccounts.connect({ platform: "x", handle: `org${i}`, externalUserId: `${key}${i}`, credentials });
    }
    for (const conversationId of [`19:team-${key}`, `a:personal-${key}`]) {
      const reference = `{"conversation":{"id":"${conversationId}"},"serviceUrl":"https://smba.example/"}`;
      plain.push(reference);
      await r.installScopes.add({ conversationId, scope: "team", reference, installedBy: "29:admin" });
    }
  });
  return { tenantId, plain };
}

const opens = (box: SecretBox, value: string) => {
  try {
    box.open(value);
    return true;
  } catch {
    return false;
  }
};

/**
 * The key registry and re-sealing against a real database: `fresh` gives a migrated database of
 * its own (the registry is one per database, so these tests cannot share one).
 */
export function describeSealing(name: string, fresh: () => Promise<DatabaseHandle>): void {
  describe(`the sealing-key registry and re-sealing (${name})`, () => {
    const oldKey = Buffer.alloc(32, 11);
    const newKey = Buffer.alloc(32, 12);
    const oldBox = createSecretBox(oldKey);
    const newBox = createSecretBox(newKey);
    const rotating = createSecretBox(newKey, { previous: [oldKey] });

    it("registers the first key, knows it next time, refuses another, and follows a rotation", async () => {
      const { db } = await fresh();
      expect(await checkSealingKey(db, oldBox)).toEqual({ kind: "registered", existing: false });
      expect(await checkSealingKey(db, oldBox)).toEqual({ kind: "known" });
      expect(await registeredSealingKeys(db)).toEqual([oldBox.keyId]);

      const refused = await checkSealingKey(db, newBox).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(SealingKeyMismatch);
      expect(refused).toMatchObject({ keyId: newBox.keyId, expected: [oldBox.keyId] });

      // With the old key beside it, the new key joins the registry: servers keep working mid-rotation.
      expect(await checkSealingKey(db, rotating)).toEqual({ kind: "rotating", previous: [oldBox.keyId] });
      expect(await checkSealingKey(db, newBox)).toEqual({ kind: "known" });
      expect(await retireOtherSealingKeys(db, newBox)).toEqual([oldBox.keyId]);
      expect(await registeredSealingKeys(db)).toEqual([newBox.keyId]);
      // The old key alone is now the wrong one.
      await expect(checkSealingKey(db, oldBox)).rejects.toBeInstanceOf(SealingKeyMismatch);
    });

    it("on a database sealed before the registry, adopts the key that opens its values and refuses one that does not", async () => {
      const handle = await fresh();
      const { tenantId } = await tenantWithSecrets(createStorage(handle.db, { secrets: legacySecretBox(oldKey) }));
      const stored = await storedSealedValues(handle, [tenantId]);
      expect(stored.every((v) => v.startsWith("v1."))).toBe(true);

      const refused = await checkSealingKey(handle.db, newBox).catch((error: unknown) => error);
      expect(refused).toMatchObject({ keyId: newBox.keyId, expected: ["unknown: sealed before key ids"] });
      expect(await registeredSealingKeys(handle.db)).toEqual([]);
      expect(await checkSealingKey(handle.db, oldBox)).toEqual({ kind: "registered", existing: true });
      expect(await registeredSealingKeys(handle.db)).toEqual([oldBox.keyId]);
    });

    it("finds tokens kept only in tenant tables when no installation holds one", async () => {
      const handle = await fresh();
      const storage = createStorage(handle.db, { secrets: legacySecretBox(oldKey) });
      const tenantId = await newTenant(storage);
      await storage.withTenant(tenantId, (r) =>
        r.socialAccounts.connect({ platform: "x", handle: "org", externalUserId: "1", credentials: "bearer" }),
      );
      await expect(checkSealingKey(handle.db, newBox)).rejects.toBeInstanceOf(SealingKeyMismatch);
      expect(await checkSealingKey(handle.db, oldBox)).toMatchObject({ kind: "registered", existing: true });
    });

    it("re-seals every column of every tenant under the new key, in batches, and changes nothing when run again", async () => {
      const handle = await fresh();
      const before = createStorage(handle.db, { secrets: oldBox });
      await checkSealingKey(handle.db, oldBox);
      const a = await tenantWithSecrets(before, 5);
      const b = await tenantWithSecrets(before, 1);
      // One value from before key ids, under the old key too.
      const legacy = createStorage(handle.db, { secrets: legacySecretBox(oldKey) });
      await legacy.withTenant(b.tenantId, (r) =>
        r.socialAccounts.connect({ platform: "x", handle: "legacy", externalUserId: "v1", credentials: "bearer-v1" }),
      );
      const tenants = [a.tenantId, b.tenantId];
      const plain = [...a.plain, ...b.plain, "bearer-v1"].sort();

      const dry = await resealSecrets(handle.db, rotating, { dryRun: true, batchSize: 2 });
      expect(dry.columns["social_accounts.credentials"].resealed).toBe(7);
      expect((await storedSealedValues(handle, tenants)).every((v) => opens(oldBox, v))).toBe(true);

      const progress: number[] = [];
      const report = await resealSecrets(handle.db, rotating, {
        batchSize: 2,
        onProgress: (p) => progress.push(p.tenantsDone),
      });
      expect(report.columns).toEqual({
        "installations.secret": { resealed: 2, current: 0, unreadable: 0 },
        "social_accounts.credentials": { resealed: 7, current: 0, unreadable: 0 },
        "install_scopes.reference": { resealed: 4, current: 0, unreadable: 0 },
      });
      expect(report.tenants).toBe(2);
      expect(progress).toEqual([0, 1, 2]);

      const stored = await storedSealedValues(handle, tenants);
      expect(stored).toHaveLength(13);
      expect(stored.filter((v) => opens(oldBox, v))).toEqual([]);
      expect(stored.map((v) => newBox.open(v)).sort()).toEqual(plain);
      // And through the repositories, with the new key alone.
      const after = createStorage(handle.db, { secrets: newBox });
      const accounts = await after.withTenant(a.tenantId, (r) => r.socialAccounts.list());
      const tokens = await after.withTenant(a.tenantId, (r) =>
        Promise.all(accounts.map((account) => r.socialAccounts.credentials(account.id))),
      );
      expect(tokens.sort()).toEqual(a.plain.filter((p) => p.startsWith("bearer-")).sort());

      const again = await resealSecrets(handle.db, rotating, { batchSize: 2 });
      expect(again.columns).toEqual({
        "installations.secret": { resealed: 0, current: 2, unreadable: 0 },
        "social_accounts.credentials": { resealed: 0, current: 7, unreadable: 0 },
        "install_scopes.reference": { resealed: 0, current: 4, unreadable: 0 },
      });
      expect(await storedSealedValues(handle, tenants)).toEqual(stored);
    });

    it("leaves values under a key it does not hold as they are, and names that key", async () => {
      const handle = await fresh();
      const strangerBox = createSecretBox(Buffer.alloc(32, 13));
      const { tenantId } = await tenantWithSecrets(createStorage(handle.db, { secrets: strangerBox }));
      const stored = await storedSealedValues(handle, [tenantId]);
      const report = await resealSecrets(handle.db, rotating);
      expect(report.columns["social_accounts.credentials"]).toEqual({ resealed: 0, current: 0, unreadable: 1 });
      expect(report.columns["install_scopes.reference"]).toEqual({ resealed: 0, current: 0, unreadable: 2 });
      expect(report.unreadableKeyIds).toEqual([strangerBox.keyId]);
      expect(await storedSealedValues(handle, [tenantId])).toEqual(stored);
    });
  });
}
