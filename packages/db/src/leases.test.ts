import { newTenant, sampleDigest } from "@touchpoint/core/testing";
import { describe, expect, it } from "vitest";
import { expireLeases } from "./leases.js";
import { sharedEmbeddedDb, sharedEmbeddedStorage } from "./testing/index.js";

describe("expireLeases (the embedded database's start-up)", () => {
  it("hands a dead process's leased delivery and account back at once, the delivery still marked interrupted", async () => {
    const [handle, storage] = await Promise.all([sharedEmbeddedDb(), sharedEmbeddedStorage()]);
    const tenantId = await newTenant(storage);
    const account = await storage.withTenant(tenantId, async (r) => {
      await r.nudges.claim(sampleDigest(tenantId, "2026-11-02"), [{ target: "C0NUDGES" }], new Date(0));
      return r.socialAccounts.connect({ platform: "x", handle: "leased", externalUserId: "4242", credentials: "t" });
    });
    // A moment past the account's next_poll_at (the database's now() at connect).
    const now = new Date(Date.now() + 1000);
    const mine = <T extends { tenantId: string }>(rows: readonly T[]) => rows.filter((r) => r.tenantId === tenantId);
    const claim = (owner: string) =>
      Promise.all([
        storage.nudges.claimDeliveries({ owner, now, leaseSeconds: 60, limit: 1000 }),
        storage.poller.claimDue({ owner, now, leaseSeconds: 300, limit: 1000 }),
      ]);

    const [deliveries, accounts] = await claim("dead-process");
    expect(mine(deliveries)).toHaveLength(1);
    expect(mine(accounts).map((a) => a.accountId)).toEqual([account.id]);
    // Held: another owner gets nothing of this tenant's until the leases run out.
    const [held, heldAccounts] = await claim("next-process");
    expect([...mine(held), ...mine(heldAccounts)]).toEqual([]);

    const expired = await expireLeases(handle.db, now);
    expect(expired.deliveries).toBeGreaterThanOrEqual(1);
    expect(expired.accounts).toBeGreaterThanOrEqual(1);
    const [again, againAccounts] = await claim("next-process");
    expect(mine(again)).toEqual([expect.objectContaining({ interrupted: true })]);
    expect(mine(againAccounts).map((a) => a.accountId)).toEqual([account.id]);
  });
});
