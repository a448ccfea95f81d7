import { type Installation, webApi } from "@slack/bolt";
import type { DeliveryFailure, Logger, NudgeNotifier, Storage } from "@touchpoint/core";
import { digestMessage } from "./blocks/digest.js";

/** The metadata every nudge carries (CONTRACT.md): how the sender finds its own message again. */
export const DIGEST_EVENT_TYPE = "touchpoint_digest";

/**
 * Slack's error answers worth another try. Any other is about the message, the channel or the
 * install (channel_not_found, not_in_channel, invalid_auth, …), and retrying will not change it.
 */
const TRANSIENT_ERRORS = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "ratelimited",
]);

/** A look back this far before the delivery was queued covers any clock skew between replicas. */
const HISTORY_MARGIN_SECONDS = 300;

/**
 * Nudges into Slack: the Block Kit message with the nudge's metadata, posted with the tenant's bot
 * token. Its own WebClient neither retries nor queues behind a 429 (the outbox decides when to
 * try again), and gives up on a call after `timeoutMs`.
 */
export function createSlackNotifier(options: {
  readonly storage: Storage;
  readonly logger: Logger;
  readonly apiUrl?: string;
  readonly timeoutMs?: number;
}): NudgeNotifier {
  const client = new webApi.WebClient(undefined, {
    ...(options.apiUrl && { slackApiUrl: options.apiUrl }),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    logger: quietLogger,
  });

  async function tokenFor(tenantId: string): Promise<string | undefined> {
    const tenant = await options.storage.tenants.get(tenantId);
    if (tenant?.platform !== "slack") return undefined;
    const installation = await options.storage.installations.find("slack", tenant.externalId);
    try {
      return installation && (JSON.parse(installation.secret) as Installation).bot?.token;
    } catch (error) {
      options.logger.error({ err: error, tenantId }, "a Slack installation's secret does not read");
      return undefined;
    }
  }

  const notInstalled: DeliveryFailure = { kind: "rejected", detail: "Touchpoint is not installed in this workspace" };

  return {
    async post(delivery) {
      const token = await tokenFor(delivery.tenantId);
      if (!token) return { ok: false, error: notInstalled };
      try {
        const answer = await client.chat.postMessage({
          token,
          channel: delivery.target,
          ...digestMessage(delivery.message, { buttons: true }),
          metadata: {
            event_type: DIGEST_EVENT_TYPE,
            event_payload: { tenant_id: delivery.tenantId, local_date: delivery.localDate, kind: delivery.kind },
          },
        });
        return { ok: true, value: { ref: `${answer.channel ?? delivery.target}/${answer.ts}` } };
      } catch (error) {
        return { ok: false, error: failureOf(error) };
      }
    },

    // The look reads conversations.history, which the sender has always trusted at once: Slack's
    // retries keep their timing.
    lookupSettleSeconds: () => 0,

    async findPosted(delivery) {
      const token = await tokenFor(delivery.tenantId);
      if (!token) return { ok: false, error: notInstalled };
      try {
        // An owner's nudge went to their direct message: its history is under the DM's own id.
        const channel = /^[UW]/.test(delivery.target)
          ? (await client.conversations.open({ token, users: delivery.target })).channel?.id
          : delivery.target;
        if (!channel) return { ok: true, value: null };
        const history = await client.conversations.history({
          token,
          channel,
          oldest: String(Math.floor(delivery.createdAt.getTime() / 1000) - HISTORY_MARGIN_SECONDS),
          include_all_metadata: true,
          limit: 200,
        });
        const mine = history.messages?.find((message) => {
          const payload = message.metadata?.event_payload as Record<string, unknown> | undefined;
          return (
            message.metadata?.event_type === DIGEST_EVENT_TYPE &&
            payload?.tenant_id === delivery.tenantId &&
            payload?.local_date === delivery.localDate &&
            (payload?.kind ?? "daily") === delivery.kind
          );
        });
        return { ok: true, value: mine?.ts ? { ref: `${channel}/${mine.ts}` } : null };
      } catch (error) {
        return { ok: false, error: failureOf(error) };
      }
    },
  };
}

/** What a WebClient error means for the delivery. */
export function failureOf(error: unknown): DeliveryFailure {
  const e = error as {
    code?: string;
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: string };
    message?: string;
  };
  switch (e.code) {
    case webApi.ErrorCode.RateLimitedError:
      return { kind: "rate_limited", retryAfterSeconds: Math.max(1, e.retryAfter ?? 1) };
    case webApi.ErrorCode.PlatformError: {
      const code = e.data?.error ?? "unknown_error";
      return TRANSIENT_ERRORS.has(code) ? { kind: "unavailable", detail: code } : { kind: "rejected", detail: code };
    }
    case webApi.ErrorCode.HTTPError:
      return { kind: "unavailable", detail: `HTTP ${e.statusCode ?? "error"}` };
    default:
      // A timeout or a dropped connection: Slack may have posted it; the next attempt looks first.
      return { kind: "unavailable", detail: e.message ?? String(error) };
  }
}

/** The WebClient's own log lines (one per 429, per retry) say less than the outbox's. */
const quietLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => webApi.LogLevel.ERROR,
  setName() {},
};
