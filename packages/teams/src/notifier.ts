import type { DeliveryFailure, Logger, NudgeDelivery, NudgeNotifier, Storage } from "@touchpoint/core";
import type { ConversationReference } from "botbuilder";
import { createAdapter, type TeamsCredentials } from "./adapter.js";
import type { AdaptiveCard } from "./cards/card.js";
import { digestCard } from "./cards/digest.js";
import { cardActivity } from "./cards/send.js";

/**
 * The Bot Framework's answers worth another try (Microsoft's guidance for proactive messages):
 * 429 with its Retry-After, and 412, 502 and 504, which Teams also gives while it is busy.
 */
const TRANSIENT_STATUSES = new Set([412, 500, 502, 503, 504]);
/** When a 429 names no Retry-After. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * Nudges into Teams: the nudge as an Adaptive Card, sent proactively into the channel the app was
 * added to, from the conversation reference stored at install. The outbox decides when to try
 * again; this only says what each failure means.
 */
export function createTeamsNotifier(options: {
  readonly storage: Storage;
  readonly logger: Logger;
  readonly credentials: TeamsCredentials;
  /** The card for a delivery. By default the nudge with its buttons (the actions router handles their presses). */
  readonly render?: (delivery: NudgeDelivery) => AdaptiveCard;
}): NudgeNotifier {
  const render = options.render ?? ((delivery: NudgeDelivery) => digestCard(delivery.message, { buttons: true }));
  const adapter = createAdapter(options.credentials);
  const appId = options.credentials.kind === "app" ? options.credentials.appId : "";
  const notInstalled: DeliveryFailure = {
    kind: "rejected",
    detail: "Touchpoint is not installed in this Teams tenant",
  };

  /** The stored reference, pointed at the delivery's conversation (the tenant's nudge channel). */
  async function referenceFor(delivery: NudgeDelivery): Promise<Partial<ConversationReference> | undefined> {
    const tenant = await options.storage.tenants.get(delivery.tenantId);
    if (tenant?.platform !== "teams") return undefined;
    const installation = await options.storage.installations.find("teams", tenant.externalId);
    if (!installation) return undefined;
    try {
      const stored = JSON.parse(installation.secret) as Partial<ConversationReference>;
      const { activityId: _answered, ...reference } = stored;
      return {
        ...reference,
        conversation: { ...stored.conversation, id: delivery.target } as ConversationReference["conversation"],
      };
    } catch (error) {
      options.logger.error(
        { err: error, tenantId: delivery.tenantId },
        "a Teams installation's reference does not read",
      );
      return undefined;
    }
  }

  return {
    async post(delivery) {
      const reference = await referenceFor(delivery);
      if (!reference) return { ok: false, error: notInstalled };
      try {
        let id: string | undefined;
        await adapter.continueConversationAsync(appId, reference, async (context) => {
          id = (await context.sendActivity(cardActivity(render(delivery))))?.id;
        });
        return { ok: true, value: { ref: `${delivery.target}/${id ?? ""}` } };
      } catch (error) {
        return { ok: false, error: failureOf(error) };
      }
    },

    // A bot cannot read a channel's history through the Bot Framework (that takes Microsoft Graph
    // and another permission), so there is nothing to look in: the sender posts again.
    async findPosted() {
      return { ok: false, error: { kind: "rejected", detail: "a Teams channel's history is not readable by the bot" } };
    },
  };
}

/** What a Bot Framework connector error means for the delivery. */
export function failureOf(error: unknown): DeliveryFailure {
  const e = error as {
    statusCode?: number;
    response?: { headers?: { get?(name: string): string | undefined } };
    message?: string;
  };
  const status = e.statusCode;
  if (status === 429) {
    const retryAfter = Number(e.response?.headers?.get?.("retry-after"));
    return {
      kind: "rate_limited",
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : DEFAULT_RETRY_AFTER_SECONDS,
    };
  }
  if (status !== undefined && TRANSIENT_STATUSES.has(status)) return { kind: "unavailable", detail: `HTTP ${status}` };
  if (status !== undefined) return { kind: "rejected", detail: `HTTP ${status}: ${e.message ?? "refused"}` };
  // A timeout or a dropped connection: Teams may have posted it.
  return { kind: "unavailable", detail: e.message ?? String(error) };
}
