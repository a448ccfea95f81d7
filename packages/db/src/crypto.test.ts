import { newTenant } from "@touchpoint/core/testing";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "./client.js";
import { createSecretBox } from "./crypto.js";
import { sharedEmbeddedDb, sharedEmbeddedStorage } from "./testing/index.js";

describe("secrets at rest", () => {
  const box = createSecretBox(Buffer.alloc(32, 1));

  it("round-trips, with a fresh nonce every time", () => {
    const a = box.seal("xoxb-123-secret");
    const b = box.seal("xoxb-123-secret");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\./);
    expect(box.open(a)).toBe("xoxb-123-secret");
    expect(box.open(b)).toBe("xoxb-123-secret");
  });

  it("refuses a tampered value or the wrong key", () => {
    const sealed = box.seal("bearer-token");
    const [v, nonce, tag, body] = sealed.split(".");
    const flipped = `${v}.${nonce}.${tag}.${(body ?? "").startsWith("A") ? "B" : "A"}${(body ?? "").slice(1)}`;
    expect(() => box.open(flipped)).toThrow();
    expect(() => createSecretBox(Buffer.alloc(32, 2)).open(sealed)).toThrow();
    expect(() => box.open("plaintext")).toThrow(/not a sealed value/);
    expect(() => createSecretBox(Buffer.alloc(16))).toThrow(/32 bytes/);
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
    expect(String(rows[0]?.credentials)).toMatch(/^v1\./);
  });
});
