import type { DeliveryFailure, NudgeDelivery, NudgeNotifier, Platform, Storage } from "@touchpoint/core";

/**
 * One sender for every platform: each delivery goes through the notifier of its tenant's platform
 * (Slack's Web API, Teams' Bot Framework).
 */
export function byPlatform(storage: Storage, notifiers: Partial<Record<Platform, NudgeNotifier>>): NudgeNotifier {
  async function notifierOf(delivery: NudgeDelivery): Promise<NudgeNotifier | DeliveryFailure> {
    const tenant = await storage.tenants.get(delivery.tenantId);
    if (!tenant) return { kind: "rejected", detail: "the tenant no longer exists" };
    // Perhaps on in another replica (a rollout of new settings): tried again later, not given up;
    // and nothing was posted from here.
    return notifiers[tenant.platform] ?? { kind: "not_taken", detail: `${tenant.platform} is off on this server` };
  }
  const isNotifier = (found: NudgeNotifier | DeliveryFailure): found is NudgeNotifier => "post" in found;
  return {
    async post(delivery) {
      const found = await notifierOf(delivery);
      return isNotifier(found) ? found.post(delivery) : { ok: false, error: found };
    },
    async findPosted(delivery) {
      const found = await notifierOf(delivery);
      return isNotifier(found) ? found.findPosted(delivery) : { ok: false, error: found };
    },
    async lookupSettleSeconds(delivery) {
      const found = await notifierOf(delivery);
      return isNotifier(found) ? ((await found.lookupSettleSeconds?.(delivery)) ?? 0) : 0;
    },
  };
}
