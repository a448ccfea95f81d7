import { err, ok, type Result } from "@touchpoint/core";
import { ConfigurationServiceClientCredentialFactory } from "botbuilder";
import { botFrameworkOptions, type TeamsCredentials } from "./adapter.js";
import { retryAfterSeconds } from "./retry-after.js";

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
  /** Moves with every edit, reaction or card replaced in place; never before `createdDateTime`. */
  readonly lastModifiedDateTime?: string;
  readonly replyToId?: string | null;
  readonly attachments?: readonly {
    readonly contentType?: string;
    /** A card's JSON, serialized (Graph gives cards back as a string). */
    readonly content?: unknown;
  }[];
}

/** A conversation's messages from `since` on, as far as the pages read went. */
export interface GraphListing {
  readonly messages: GraphMessage[];
  /**
   * Whether the pages read reached back past `since` (or to the conversation's first message).
   * False when the page limit came first: a message not among them may still be there.
   */
  readonly complete: boolean;
}

export type GraphFailure =
  /**
   * 400, 403 or 404: the app may not read there (no consent, no such conversation for it, a
   * channel of another team), and asking again will not change that.
   */
  | { readonly kind: "no_access"; readonly detail: string }
  | { readonly kind: "rate_limited"; readonly retryAfterSeconds: number }
  /**
   * A 5xx, a 401 (a token that expired: the next look asks for a fresh one), a timeout, a dropped
   * connection, an answer that does not read, a token Entra would not give: worth another try.
   */
  | { readonly kind: "unavailable"; readonly detail: string };

/** Where to read: a team's channel, or a chat. */
export type GraphConversation =
  | { readonly kind: "channel"; readonly teamsTenantId: string; readonly teamId: string; readonly channelId: string }
  | { readonly kind: "chat"; readonly teamsTenantId: string; readonly chatId: string };

export interface GraphClient {
  /**
   * The conversation's messages that may be from `since` on (a few pages at most, newest first),
   * or why not. Any message created since then is among them when the listing is `complete`.
   */
  recentMessages(conversation: GraphConversation, since: Date): Promise<Result<GraphListing, GraphFailure>>;
}

/**
 * An app-only Graph token for a Teams tenant; undefined: send none (local, unauthenticated use).
 * `fresh`: not the cached one (Graph refused it).
 */
export type GraphToken = (teamsTenantId: string, options?: { readonly fresh?: boolean }) => Promise<string | undefined>;

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
  /** Tenants whose last token Graph refused (401): their next look asks Entra for a fresh one. */
  const refused = new Set<string>();

  function firstPage(conversation: GraphConversation): string {
    if (conversation.kind === "channel") {
      // A channel's listing takes only $top and $expand, and promises no order: in practice it comes
      // newest-modified first.
      const team = encodeURIComponent(conversation.teamId);
      return `${base}/teams/${team}/channels/${encodeURIComponent(conversation.channelId)}/messages?$top=${PAGE_SIZE}`;
    }
    // A chat's can be ordered by creation, newest first (its default is by last modification).
    return `${base}/chats/${encodeURIComponent(conversation.chatId)}/messages?$top=${PAGE_SIZE}&$orderby=createdDateTime desc`;
  }

  /**
   * Whether a message, and every one after it in the listing, is older than anything posted since
   * `since`. Chats come by creation: one created before `since`. Channels come by last
   * modification: one last modified before `since`, since a card's last modification is never
   * before its creation, which was after `since`. (A channel's old message edited now is listed
   * first, and says nothing about what follows it.)
   */
  function olderThanSince(conversation: GraphConversation, message: GraphMessage, since: Date): boolean {
    const at = conversation.kind === "channel" ? message.lastModifiedDateTime : message.createdDateTime;
    return Date.parse(at ?? "") < since.getTime();
  }

  return {
    async recentMessages(conversation, since) {
      const tenant = conversation.teamsTenantId;
      let token: string | undefined;
      try {
        token = await options.token(tenant, { fresh: refused.has(tenant) });
      } catch (error) {
        return err({ kind: "unavailable", detail: `no Graph token: ${messageOf(error)}` });
      }
      const messages: GraphMessage[] = [];
      let url: string | undefined = firstPage(conversation);
      for (let page = 0; url; page++) {
        // Pages left unread: what is not among those read may still be there.
        if (page === maxPages) return ok({ messages, complete: false });
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
        if (response.status === 401) refused.add(tenant);
        else if (response.ok) refused.delete(tenant);
        if (!response.ok) return err(await failureOf(response));
        const body = await pageOf(response);
        if (!body) return err({ kind: "unavailable", detail: "Graph answered 200 with a body that does not read" });
        messages.push(...body.value);
        // Newest first: once a page reaches back past `since`, the pages after it hold only older
        // messages, which cannot be this delivery's.
        if (body.value.some((message) => olderThanSince(conversation, message, since))) {
          return ok({ messages, complete: true });
        }
        url = body.nextLink;
      }
      return ok({ messages, complete: true });
    },
  };
}

/** A page of messages as Graph answers it, or undefined when the body is not one (cut off, a proxy's page). */
async function pageOf(response: Response): Promise<{ value: GraphMessage[]; nextLink?: string } | undefined> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return undefined;
  }
  if (typeof body !== "object" || body === null) return undefined;
  const { value, "@odata.nextLink": nextLink } = body as { value?: unknown; "@odata.nextLink"?: unknown };
  if (!Array.isArray(value)) return undefined;
  const isMessage = (message: unknown): message is GraphMessage =>
    typeof message === "object" && message !== null && typeof (message as { id?: unknown }).id === "string";
  if (!value.every(isMessage)) return undefined;
  if (nextLink !== undefined && typeof nextLink !== "string") return undefined;
  return { value, ...(nextLink !== undefined && { nextLink }) };
}

async function failureOf(response: Response): Promise<GraphFailure> {
  const body = (await response.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
  const detail = `Graph HTTP ${response.status}${body?.error?.code ? ` ${body.error.code}` : ""}`;
  if (response.status === 429) {
    return { kind: "rate_limited", retryAfterSeconds: retryAfterSeconds(response.headers.get("retry-after")) };
  }
  if ([400, 403, 404].includes(response.status)) return { kind: "no_access", detail };
  // 401 among them: the token expired (or was revoked) since it was cached, and a fresh one may do.
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
  return async (teamsTenantId, tokenOptions) => {
    let found = byTenant.get(teamsTenantId);
    if (!found) {
      found = graphCredentialsFor(credentials, teamsTenantId);
      byTenant.set(teamsTenantId, found);
      found.catch(() => byTenant.delete(teamsTenantId));
    }
    return (await found).getToken(tokenOptions?.fresh ?? false);
  };
}
