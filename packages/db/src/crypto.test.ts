import { createCipheriv, randomBytes } from "node:crypto";
import { newTenant } from "@touchpoint/core/testing";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "./client.js";
import { createSecretBox, envelopeKeyId, keyIdOf, UnknownSealingKey } from "./crypto.js";
import { sharedEmbeddedDb, sharedEmbeddedStorage } from "./testing/index.js";

describe("secrets at rest", () => {
  const box = createSecretBox(Buffer.alloc(32, 1));

  it("round-trips, with a fresh nonce every time", () => {
    const a = box.seal("xoxb-123-secret");
    const b = box.seal("xoxb-123-secret");
    expect(a).not.toBe(b);
    expect(a).toMatch(new RegExp(`^v2\\.${box.keyId}\\.`));
    expect(box.open(a)).toBe("xoxb-123-secret");
    expect(box.open(b)).toBe("xoxb-123-secret");
  });

  it("refuses a tampered value or the wrong key", () => {
    const sealed = box.seal("bearer-token");
    const [v, id, nonce, tag, body] = sealed.split(".");
    const flipped = `${v}.${id}.${nonce}.${tag}.${(body ?? "").startsWith("A") ? "B" : "A"}${(body ?? "").slice(1)}`;
    expect(() => box.open(flipped)).toThrow();
    const other = createSecretBox(Buffer.alloc(32, 2));
    expect(() => other.open(sealed)).toThrow(UnknownSealingKey);
    // The key id is authenticated with the value: relabelled for another key, it does not open.
    expect(() => other.open(sealed.replace(box.keyId, other.keyId))).toThrow(/does not open/);
    expect(() => box.open("plaintext")).toThrow(/not a sealed value/);
    expect(() => createSecretBox(Buffer.alloc(16))).toThrow(/32 bytes/);
  });

  it("names its key by an id derived from the key, the same for the same key and nothing like it", () => {
    const key = randomBytes(32);
    expect(keyIdOf(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf(Buffer.from(key))).toBe(keyIdOf(key));
    expect(keyIdOf(randomBytes(32))).not.toBe(keyIdOf(key));
    expect(key.toString("hex")).not.toContain(keyIdOf(key));
    expect(createSecretBox(key).keyId).toBe(keyIdOf(key));
    expect(envelopeKeyId(createSecretBox(key).seal("x"))).toBe(keyIdOf(key));
  });

  it("opens values sealed before key ids (v1) with whichever of its keys sealed them", () => {
    const oldKey = Buffer.alloc(32, 3);
    const legacy = sealV1(oldKey, "xoxb-legacy");
    expect(envelopeKeyId(legacy)).toBeUndefined();
    expect(createSecretBox(oldKey).open(legacy)).toBe("xoxb-legacy");
    const rotating = createSecretBox(Buffer.alloc(32, 4), { previous: [oldKey] });
    expect(rotating.open(legacy)).toBe("xoxb-legacy");
    expect(rotating.keyIdOpening(legacy)).toBe(keyIdOf(oldKey));
    expect(rotating.isCurrent(legacy)).toBe(false);
    expect(() => createSecretBox(Buffer.alloc(32, 4)).open(legacy)).toThrow(/does not open/);
  });

  it("during a rotation opens values under either key and seals under the new one", () => {
    const oldBox = createSecretBox(Buffer.alloc(32, 5));
    const underOld = oldBox.seal("old-token");
    const rotating = createSecretBox(Buffer.alloc(32, 6), { previous: [Buffer.alloc(32, 5)] });
    expect(rotating.keyIds).toEqual([keyIdOf(Buffer.alloc(32, 6)), oldBox.keyId]);
    expect(rotating.open(underOld)).toBe("old-token");
    expect(rotating.isCurrent(underOld)).toBe(false);
    const underNew = rotating.seal("new-token");
    expect(rotating.isCurrent(underNew)).toBe(true);
    expect(rotating.keyIdOpening(underNew)).toBe(rotating.keyId);
    expect(() => oldBox.open(underNew)).toThrow(UnknownSealingKey);
    expect(rotating.keyIdOpening(createSecretBox(Buffer.alloc(32, 9)).seal("x"))).toBeUndefined();
  });

  it("stores social account credentials encrypted: the raw table holds no plaintext", async () => {
    const storage = await sharedEmbeddedStorage();
    const tenantId = await newTenant(storage);
    const secret =
      "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F";
    await storage.withTenant(tenantId, (r) =>
      r.socialAccounts.connect({ platform: "x", handle: "riverside", externalUserId: "99", credentials: secret }),
    );
    const { db } = await sharedEmbeddedDb();
    const rows = await queryRows<Record<string, unknown>>(
      db,
      sql`select * from social_accounts where tenant_id = ${tenantId}`,
    );
    expect(rows).toHaveLength(1);
    const raw = JSON.stringify(rows);
    expect(raw).not.toContain(secret);
    expect(raw).not.toContain(secret.slice(10, 40));
    expect(String(rows[0]?.credentials)).toMatch(/^v2\./);
  });
});

/** A value as the first version of this module sealed it: no key id, no associated data. */
function sealV1(key: Buffer, plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", nonce, cipher.getAuthTag(), ciphertext]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}
