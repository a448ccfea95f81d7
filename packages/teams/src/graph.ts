import { err, ok, type Result } from "@touchpoint/core";
import { ConfigurationServiceClientCredentialFactory } from "botbuilder";
import { botFrameworkOptions, type TeamsCredentials } from "./adapter.js";

/**
 * Microsoft Graph, for one thing: reading a conversation's recent messages, so the nudge's sender
 * can find a card it may already have posted. The app reads as itself (an app-only token from the
 * bot's own Entra credentials), which Teams allows where the conversation granted the app's
 * resource-specific consent: ChannelMessage.Read.Group in a team, ChatMessage.Read.Chat in a group
 * chat (both in the app's manifest). Personal chats have no such consent.
 */

export const DEFAULT_GRAPH_URL = "https://graph.microsoft.com/v1.0";
/** The resource an app-only Graph token is asked for (scope `…/.default`). */
const GRAPH_RESOURCE = "https://graph.microsoft.com";
/** Entra's sign-in authority; a tenant's tokens come from `…/{tenant}`. */
const LOGIN_URL = "https://login.microsoftonline.com/";
/** The most Graph returns in a page of channel or chat messages. */
const PAGE_SIZE = 50;

/** A chatMessage as Graph returns it: the parts the look-up reads. */
export interface GraphMessage {
  readonly id: string;
  readonly createdDateTime: string;
  readonly replyToId?: string | null;
  readonly attachments?: readonly {
    readonly contentType?: string;
    /** A card's JSON, serialized (Graph gives cards back as a string). */
    readonly content?: unknown;
  }[];
}

export type GraphFailure =
  /** 401, 403 or 404: the app may not read there (no consent, no such conversation for it). */
  | { readonly kind: "no_access"; readonly detail: string }
  | { readonly kind: "rate_limited"; readonly retryAfterSeconds: number }
  /** A 5xx, a timeout, a dropped connection, a token Entra would not give: worth another try. */
  | { readonly kind: "unavailable"; readonly detail: string };

/** Where to read: a team's channel, or a chat. */
export type GraphConversation =
  | { readonly kind: "channel"; readonly teamsTenantId: string; readonly teamId: string; readonly channelId: string }
  | { readonly kind: "chat"; readonly teamsTenantId: string; readonly chatId: string };

export interface GraphClient {
  /** The conversation's messages from `since` on (newest first; a few pages at most), or why not. */
  recentMessages(conversation: GraphConversation, since: Date): Promise<Result<GraphMessage[], GraphFailure>>;
}

/** An app-only Graph token for a Teams tenant; undefined: send none (local, unauthenticated use). */
export type GraphToken = (teamsTenantId: string) => Promise<string | undefined>;

export function createGraphClient(options: {
  /** `https://graph.microsoft.com/v1.0`, or a proxy or fake in front of it. */
  readonly baseUrl: string;
  readonly token: GraphToken;
  /** Each request given up after this long. */
  readonly timeoutMs?: number;
  /** Pages read at most, newest first. */
  readonly maxPages?: number;
}): GraphClient {
  const base = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxPages = options.maxPages ?? 4;

  function firstPage(conversation: GraphConversation): string {
    if (conversation.kind === "channel") {
      const team = encodeURIComponent(conversation.teamId);
      return `${base}/teams/${team}/channels/${encodeURIComponent(conversation.channelId)}/messages?$top=${PAGE_SIZE}`;
    }
    // Chats can be ordered (newest first); channels come newest first by themselves.
    return `${base}/chats/${encodeURIComponent(conversation.chatId)}/messages?$top=${PAGE_SIZE}&$orderby=createdDateTime desc`;
  }

  return {
    async recentMessages(conversation, since) {
      let token: string | undefined;
      try {
        token = await options.token(conversation.teamsTenantId);
      } catch (error) {
        return err({ kind: "unavailable", detail: `no Graph token: ${messageOf(error)}` });
      }
      const messages: GraphMessage[] = [];
      let url: string | undefined = firstPage(conversation);
      for (let page = 0; url && page < maxPages; page++) {
        let response: Response;
        try {
          response = await fetch(url, {
            headers: { accept: "application/json", ...(token && { authorization: `Bearer ${token}` }) },
            signal: AbortSignal.timeout(timeoutMs),
          });
        } catch (error) {
          const timedOut = error instanceof DOMException && error.name === "TimeoutError";
          return err({
            kind: "unavailable",
            detail: timedOut ? `Graph did not answer within ${timeoutMs / 1000} s` : `Graph: ${messageOf(error)}`,
          });
        }
        if (!response.ok) return err(await failureOf(response));
        const body = (await response.json()) as { value?: GraphMessage[]; "@odata.nextLink"?: string };
        const value = body.value ?? [];
        messages.push(...value);
        // Newest first: once a page reaches back past `since`, the pages after it hold only older
        // messages, which cannot be this delivery's.
        if (value.length === 0 || value.some((message) => Date.parse(message.createdDateTime) < since.getTime())) {
          break;
        }
        url = body["@odata.nextLink"];
      }
      return ok(messages);
    },
  };
}

async function failureOf(response: Response): Promise<GraphFailure> {
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
  const detail = `Graph HTTP ${response.status}${body?.error?.code ? ` ${body.error.code}` : ""}`;
  if (response.status === 429) {
    const retryAfter = Number(response.headers.get("retry-after"));
    return { kind: "rate_limited", retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 5 };
  }
  if ([401, 403, 404].includes(response.status)) return { kind: "no_access", detail };
  return { kind: "unavailable", detail };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The parts of botbuilder's AppCredentials a Graph token is read through. */
interface AppCredentials {
  getToken(forceRefresh?: boolean): Promise<string>;
  readonly oAuthScope: string;
  readonly oAuthEndpoint?: string;
  tokenCacheKey: string;
}

/**
 * botbuilder's own credentials for the bot (client secret, or managed identity), asked for Graph in
 * the Teams tenant: a multi-tenant app signs in to the tenant it reads, a single-tenant app (and a
 * managed identity) to its own. botbuilder caches tokens by app id and scope only, so the cache key
 * is made the tenant's too: one tenant's token is never sent for another's messages.
 */
export async function graphCredentialsFor(
  credentials: Extract<TeamsCredentials, { kind: "app" }>,
  teamsTenantId: string,
): Promise<AppCredentials> {
  const multiTenant = credentials.appType === "MultiTenant";
  const tenant = multiTenant ? teamsTenantId : (credentials.appTenantId ?? teamsTenantId);
  const factory = new ConfigurationServiceClientCredentialFactory({
    ...botFrameworkOptions(credentials),
    // SingleTenant with the Teams tenant: botbuilder's way of signing in to that tenant.
    ...(multiTenant && { MicrosoftAppType: "SingleTenant", MicrosoftAppTenantId: tenant }),
  });
  const appCredentials = (await factory.createCredentials(
    credentials.appId,
    GRAPH_RESOURCE,
    `${LOGIN_URL}${tenant}`,
    true,
  )) as unknown as AppCredentials;
  appCredentials.tokenCacheKey = `${credentials.appId}${GRAPH_RESOURCE}:${tenant}-cache`;
  return appCredentials;
}

/** App-only Graph tokens for these credentials; none without credentials. */
export function graphToken(credentials: TeamsCredentials): GraphToken {
  if (credentials.kind !== "app") return async () => undefined;
  const byTenant = new Map<string, Promise<AppCredentials>>();
  return async (teamsTenantId) => {
    let found = byTenant.get(teamsTenantId);
    if (!found) {
      found = graphCredentialsFor(credentials, teamsTenantId);
      byTenant.set(teamsTenantId, found);
      found.catch(() => byTenant.delete(teamsTenantId));
    }
    return (await found).getToken();
  };
}
