import { createHmac, randomBytes } from "node:crypto";

/**
 * Requests as Slack sends them to a Request URL: slash commands and interactivity as form posts,
 * events as JSON, each signed with the app's signing secret (v0 HMAC-SHA256 over
 * "v0:<timestamp>:<body>", docs.slack.dev/authentication/verifying-requests-from-slack).
 */
export interface SlackRequest {
  readonly body: string;
  readonly contentType: string;
}

export function sign(secret: string, body: string, timestamp: number): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SendOptions {
  readonly secret: string;
  /** Seconds since the epoch; default now. */
  readonly timestamp?: number;
  /** Overrides the computed signature (to send a bad one). */
  readonly signature?: string;
  /** Slack's retry counter header, as sent on redelivery. */
  readonly retryNum?: number;
}

export async function send(url: string, request: SlackRequest, options: SendOptions): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": request.contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": options.signature ?? sign(options.secret, request.body, timestamp),
      ...(options.retryNum !== undefined && {
        "x-slack-retry-num": String(options.retryNum),
        "x-slack-retry-reason": "http_timeout",
      }),
    },
    body: request.body,
  });
}

export const triggerId = () => `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString("hex")}`;

/** A slash command's payload: the fields Slack posts (docs.slack.dev/interactivity/implementing-slash-commands). */
export function slashCommand(input: {
  readonly command: string;
  readonly text: string;
  readonly teamId: string;
  readonly userId: string;
  readonly responseUrl: string;
  readonly triggerId?: string;
  readonly enterpriseId?: string;
  /** The app is installed org-wide on the enterprise, not on this workspace. */
  readonly isEnterpriseInstall?: boolean;
}): SlackRequest {
  const form = new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: input.teamId,
    team_domain: input.teamId.toLowerCase(),
    ...(input.enterpriseId && { enterprise_id: input.enterpriseId }),
    channel_id: "C0GENERAL",
    channel_name: "general",
    user_id: input.userId,
    user_name: input.userId.toLowerCase(),
    command: input.command,
    text: input.text,
    api_app_id: "A0TOUCHPT1",
    is_enterprise_install: String(input.isEnterpriseInstall ?? false),
    response_url: input.responseUrl,
    trigger_id: input.triggerId ?? triggerId(),
  });
  return { body: form.toString(), contentType: "application/x-www-form-urlencoded" };
}

/** An interactivity payload (block_actions, view_submission): form-encoded JSON in `payload`. */
export function interaction(payload: Record<string, unknown>): SlackRequest {
  return {
    body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    contentType: "application/x-www-form-urlencoded",
  };
}

/** Who an interaction comes from, as every interactivity payload says it. */
function from(teamId: string, userId: string) {
  return {
    team: { id: teamId, domain: teamId.toLowerCase() },
    user: { id: userId, username: userId.toLowerCase(), team_id: teamId },
    api_app_id: "A0TOUCHPT1",
    token: "deprecated-verification-token",
    trigger_id: triggerId(),
  };
}

export function buttonPress(input: {
  readonly teamId: string;
  readonly userId: string;
  readonly actionId: string;
  readonly value: string;
  readonly responseUrl?: string;
  readonly container?: Record<string, unknown>;
  readonly triggerId?: string;
}): SlackRequest {
  return interaction({
    type: "block_actions",
    ...from(input.teamId, input.userId),
    ...(input.triggerId && { trigger_id: input.triggerId }),
    container: input.container ?? { type: "message", message_ts: "1700000000.000100", is_ephemeral: true },
    ...(input.responseUrl && { response_url: input.responseUrl }),
    actions: [
      {
        type: "button",
        action_id: input.actionId,
        block_id: "b1",
        text: { type: "plain_text", text: "x" },
        value: input.value,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  });
}

export function viewSubmission(input: {
  readonly teamId: string;
  readonly userId: string;
  readonly callbackId: string;
  readonly values: Record<string, Record<string, Record<string, unknown>>>;
  readonly privateMetadata?: string;
  readonly viewId?: string;
}): SlackRequest {
  return interaction({
    type: "view_submission",
    ...from(input.teamId, input.userId),
    view: {
      id: input.viewId ?? "V0SUBMITTED",
      team_id: input.teamId,
      type: "modal",
      callback_id: input.callbackId,
      private_metadata: input.privateMetadata ?? "",
      state: { values: input.values },
      hash: "1700000000.abc",
    },
  });
}

/** An Events API delivery (docs.slack.dev/apis/events-api): JSON, with the event wrapped in event_callback. */
export function eventCallback(input: {
  readonly teamId: string;
  readonly event: Record<string, unknown>;
  readonly eventId?: string;
}): SlackRequest {
  return {
    body: JSON.stringify({
      token: "deprecated-verification-token",
      team_id: input.teamId,
      api_app_id: "A0TOUCHPT1",
      event: input.event,
      type: "event_callback",
      event_id: input.eventId ?? `Ev${randomBytes(5).toString("hex").toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        { enterprise_id: null, team_id: input.teamId, user_id: "U0BOT", is_bot: true, is_enterprise_install: false },
      ],
      is_ext_shared_channel: false,
    }),
    contentType: "application/json",
  };
}
