import type { NudgeDelivery, NudgeNotifier } from "@touchpoint/core";
import { InMemoryStorage } from "@touchpoint/core/testing";
import { describe, expect, it } from "vitest";
import { byPlatform } from "./notifiers.js";

/** A notifier that says which platform it is, for telling them apart. */
function named(name: string): NudgeNotifier {
  return {
    post: async () => ({ ok: true, value: { ref: `${name}-ref` } }),
    findPosted: async () => ({ ok: true, value: { ref: `${name}-found` } }),
  };
}

async function tenantOn(storage: InMemoryStorage, platform: "slack" | "teams"): Promise<string> {
  const created = await storage.tenants.create({ platform, externalId: `${platform}-${Math.random()}`, name: "Org" });
  if (!created.ok) throw new Error("no tenant");
  return created.value.id;
}

const delivery = (tenantId: string) => ({ tenantId }) as NudgeDelivery;

describe("byPlatform", () => {
  it("sends each delivery through its tenant's platform", async () => {
    const storage = new InMemoryStorage();
    const notifier = byPlatform(storage, { slack: named("slack"), teams: named("teams") });
    const slack = await tenantOn(storage, "slack");
    const teams = await tenantOn(storage, "teams");
    expect(await notifier.post(delivery(slack))).toEqual({ ok: true, value: { ref: "slack-ref" } });
    expect(await notifier.post(delivery(teams))).toEqual({ ok: true, value: { ref: "teams-ref" } });
    expect(await notifier.findPosted(delivery(teams))).toEqual({ ok: true, value: { ref: "teams-found" } });
  });

  it("asks each delivery's platform how long its look-up needs after a post", async () => {
    const storage = new InMemoryStorage();
    const teamsNotifier = { ...named("teams"), lookupSettleSeconds: () => 30 };
    // Slack's says nothing: at once.
    const notifier = byPlatform(storage, { slack: named("slack"), teams: teamsNotifier });
    expect(await notifier.lookupSettleSeconds?.(delivery(await tenantOn(storage, "teams")))).toBe(30);
    expect(await notifier.lookupSettleSeconds?.(delivery(await tenantOn(storage, "slack")))).toBe(0);
  });

  it("tries again later for a platform off on this server, and gives up on a tenant that is gone", async () => {
    const storage = new InMemoryStorage();
    const notifier = byPlatform(storage, { slack: named("slack") });
    const teams = await tenantOn(storage, "teams");
    expect(await notifier.post(delivery(teams))).toEqual({
      ok: false,
      error: { kind: "not_taken", detail: "teams is off on this server" },
    });
    expect(await notifier.post(delivery("00000000-0000-4000-8000-000000000000"))).toEqual({
      ok: false,
      error: { kind: "rejected", detail: "the tenant no longer exists" },
    });
  });
});
