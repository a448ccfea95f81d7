import {
  type DeliveryFailure,
  isChatUserId,
  type Logger,
  type NudgeDelivery,
  type NudgeNotifier,
  type Storage,
} from "@touchpoint/core";
import type { ConversationParameters, ConversationReference, TurnContext } from "botbuilder";
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
 * botbuilder's `createConversationAsync` types its audience as a string, but with none the
 * connector factory uses the one the adapter was configured for (the Bot Framework's public
 * scope, or the government cloud's), which is what a proactive message wants.
 */
const ADAPTER_AUDIENCE = undefined as unknown as string;

/**
 * Whether a delivery goes to a person (an owner's own nudge: a Teams user id or the Entra object id
 * Touchpoint keeps people by) rather than into a conversation: a channel (`19:…@thread.tacv2`), a
 * group chat (`19:…`) or a personal chat (`a:…`).
 */
export function isPersonTarget(target: string): boolean {
  return isChatUserId("teams", target);
}

/**
 * Nudges into Teams: the nudge as an Adaptive Card, sent proactively into the channel the app was
 * added to, from the conversation reference stored at install; an owner's own nudge goes to them
 * in a 1:1 chat the bot creates. The outbox decides when to try again; this only says what each
 * failure means.
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

  /** The stored reference and the Teams tenant it belongs to. */
  async function installedFor(
    delivery: NudgeDelivery,
  ): Promise<{ reference: Partial<ConversationReference>; tenantId: string } | undefined> {
    const tenant = await options.storage.tenants.get(delivery.tenantId);
    if (tenant?.platform !== "teams") return undefined;
    const installation = await options.storage.installations.find("teams", tenant.externalId);
    if (!installation) return undefined;
    try {
      const { activityId: _answered, ...reference } = JSON.parse(installation.secret) as Partial<ConversationReference>;
      return { reference, tenantId: tenant.externalId };
    } catch (error) {
      options.logger.error(
        { err: error, tenantId: delivery.tenantId },
        "a Teams installation's reference does not read",
      );
      return undefined;
    }
  }

  /** Into a conversation (the tenant's nudge channel): the stored reference, pointed at it. */
  async function postInto(reference: Partial<ConversationReference>, delivery: NudgeDelivery): Promise<string> {
    const into = {
      ...reference,
      conversation: { ...reference.conversation, id: delivery.target } as ConversationReference["conversation"],
    };
    let id: string | undefined;
    await adapter.continueConversationAsync(appId, into, async (context) => {
      id = (await context.sendActivity(cardActivity(render(delivery))))?.id;
    });
    return `${delivery.target}/${id ?? ""}`;
  }

  /**
   * To a person: the bot's 1:1 chat with them, created (or, as Teams does for one that exists,
   * found) through the connector, and the card sent in the turn that creation starts.
   */
  async function postTo(
    reference: Partial<ConversationReference>,
    tenantId: string,
    delivery: NudgeDelivery,
  ): Promise<string> {
    const serviceUrl = reference.serviceUrl;
    if (!serviceUrl || !reference.bot) throw new Error("the Teams installation's reference has no serviceUrl or bot");
    const parameters = {
      isGroup: false,
      bot: reference.bot,
      members: [{ id: delivery.target }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    } as ConversationParameters;
    let ref = "";
    await adapter.createConversationAsync(
      appId,
      reference.channelId ?? "msteams",
      serviceUrl,
      ADAPTER_AUDIENCE,
      parameters,
      async (context: TurnContext) => {
        // The turn's activity carries the new conversation's id as its own, which botbuilder would
        // send as replyToId; a new message in the chat is what is meant.
        context.onSendActivities(async (_context, activities, next) => {
          for (const activity of activities) delete activity.replyToId;
          return next();
        });
        const id = (await context.sendActivity(cardActivity(render(delivery))))?.id;
        ref = `${context.activity.conversation.id}/${id ?? ""}`;
      },
    );
    return ref;
  }

  return {
    async post(delivery) {
      const installed = await installedFor(delivery);
      if (!installed) return { ok: false, error: notInstalled };
      try {
        const ref = isPersonTarget(delivery.target)
          ? await postTo(installed.reference, installed.tenantId, delivery)
          : await postInto(installed.reference, delivery);
        return { ok: true, value: { ref } };
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
