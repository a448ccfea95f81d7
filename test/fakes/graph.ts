/**
 * A loopback fake of the two Microsoft Graph reads the Teams nudge sender makes, answering from the
 * messages the fake Bot Framework connector holds (what a bot posted is what Graph lists):
 *
 * - `GET /v1.0/teams/{team-id}/channels/{channel-id}/messages` — a channel's top-level messages
 *   (replies are not listed); `team-id` is the team's Graph id (its Microsoft 365 group, the
 *   `aadGroupId` Teams gives a bot), not the Bot Framework's `19:…` team id. Graph documents only
 *   `$top` and `$expand` here and promises no order; what it gives is newest-modified first, so
 *   this lists by `lastModifiedDateTime`, descending, and ignores any `$orderby`.
 * - `GET /v1.0/chats/{chat-id}/messages` — a chat's messages, by `lastModifiedDateTime` descending
 *   (Graph's default), or by `createdDateTime` descending with `$orderby=createdDateTime desc`.
 *
 * A message's `lastModifiedDateTime` is when the fake connector last stored it: a PUT (a card
 * replaced in place, as a button press does) moves it, and with it the message up the listing.
 * Both answer `{ "@odata.context", "value": [chatMessage…], "@odata.nextLink"? }` in Graph's wire
 * format, with `@odata.count` (the whole collection's) only when `$count=true` is asked: `$top`
 * (default 20, at most 50) pages them and `@odata.nextLink` leads on.
 * Each chatMessage is a bot's (`from.application`, `applicationIdentityType: "bot"`), its body HTML
 * pointing at its attachments, and each card attachment's `content` the card's JSON as a string, as
 * Graph returns cards. The app may read a team or chat only with its resource-specific consent
 * (`addTeam`/`addChat` with `consent`): without, Graph's 403; an unknown team, channel or chat, 404.
 * Errors are Graph's `{ "error": { "code", "message", "innerError" } }`.
 *
 * ```ts
 * const graph = await startFakeGraph(connector);
 * graph.addTeam({ aadGroupId, channelIds: [channelId], consent: true });
 * env.TEAMS_GRAPH_URL = graph.url;
 * ```
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { awaitOne, type FakeTeamsConnector, type StoredMessage } from "./teams-connector.js";

export interface GraphCall {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly status: number;
  /** The conversation read: a channel's or a chat's id. */
  readonly conversationId: string | undefined;
  readonly at: Date;
}

export interface FakeGraph {
  /** `http://127.0.0.1:<port>/v1.0`: what TEAMS_GRAPH_URL points at. */
  readonly url: string;
  readonly calls: readonly GraphCall[];
  /** A team and its channels; with `consent`, the app holds ChannelMessage.Read.Group there. */
  addTeam(team: {
    readonly aadGroupId: string;
    readonly channelIds: readonly string[];
    readonly consent: boolean;
  }): void;
  /** A group chat; with `consent`, the app holds ChatMessage.Read.Chat there. */
  addChat(chat: { readonly chatId: string; readonly consent: boolean }): void;
  /** The next `count` reads are answered `status` (429 with Retry-After, 401, 503 …). */
  failNext(count: number, status: number, headers?: Readonly<Record<string, string>>): void;
  /** The next `count` reads are answered 200 with a body cut off mid-way (a proxy that dropped it). */
  truncateNext(count: number): void;
  /**
   * Graph's listing behind the connector: a message is listed only `ms` after the connector took it
   * (0, the default: at once). Edits show at once either way.
   */
  lagListing(ms: number): void;
  /** The first read matching `predicate`, made already or still to come. */
  waitFor(predicate: (call: GraphCall) => boolean, timeoutMs?: number): Promise<GraphCall>;
  close(): Promise<void>;
}

export async function startFakeGraph(connector: FakeTeamsConnector): Promise<FakeGraph> {
  const graph = new Graph(connector);
  await graph.listen();
  return graph;
}

const CHANNEL_ROUTE = /^\/v1\.0\/teams\/([^/]+)\/channels\/([^/]+)\/messages\/?$/;
const CHAT_ROUTE = /^\/v1\.0\/chats\/([^/]+)\/messages\/?$/;
const DEFAULT_PAGE = 20;
const MAX_PAGE = 50;
/** Graph's error codes for the statuses `failNext` is asked for. */
const ERROR_CODES: Readonly<Record<number, string>> = {
  400: "BadRequest",
  401: "InvalidAuthenticationToken",
  403: "Forbidden",
  404: "NotFound",
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

class Graph implements FakeGraph {
  readonly calls: GraphCall[] = [];
  private readonly listeners = new Set<(call: GraphCall) => void>();
  private readonly teams = new Map<string, { channels: Set<string>; consent: boolean }>();
  private readonly chats = new Map<string, { consent: boolean }>();
  private readonly failures: ({ status: number; headers: Readonly<Record<string, string>> } | "truncate")[] = [];
  private readonly attachmentIds = new Map<string, string>();
  private lagMs = 0;
  private readonly server: Server;
  private origin = "";

  constructor(private readonly connector: FakeTeamsConnector) {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get url(): string {
    return `${this.origin}/v1.0`;
  }

  addTeam(team: { readonly aadGroupId: string; readonly channelIds: readonly string[]; readonly consent: boolean }) {
    this.teams.set(team.aadGroupId, { channels: new Set(team.channelIds), consent: team.consent });
  }

  addChat(chat: { readonly chatId: string; readonly consent: boolean }) {
    this.chats.set(chat.chatId, { consent: chat.consent });
  }

  failNext(count: number, status: number, headers: Readonly<Record<string, string>> = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, headers });
  }

  lagListing(ms: number): void {
    this.lagMs = ms;
  }

  truncateNext(count: number): void {
    for (let i = 0; i < count; i++) this.failures.push("truncate");
  }

  waitFor(predicate: (call: GraphCall) => boolean, timeoutMs = 5000): Promise<GraphCall> {
    return awaitOne(this.calls, this.listeners, predicate, timeoutMs, () => {
      const made = this.calls.map((c) => `${c.status} ${c.path}`).slice(-10);
      return `waitFor: no matching Graph read within ${timeoutMs} ms; last reads: [${made.join(", ")}]`;
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): unknown {
    const url = new URL(req.url ?? "/", this.origin);
    const channel = CHANNEL_ROUTE.exec(url.pathname);
    const chat = CHAT_ROUTE.exec(url.pathname);
    const conversationId = channel?.[2] ?? chat?.[1];
    const answer = (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}, cut = false) => {
      res.writeHead(status, { "content-type": "application/json; odata.metadata=minimal", ...headers });
      const json = JSON.stringify(body);
      res.end(cut ? json.slice(0, Math.floor(json.length / 2)) : json);
      const call: GraphCall = {
        path: url.pathname,
        authorization: req.headers.authorization,
        status,
        conversationId: conversationId && decodeURIComponent(conversationId),
        at: new Date(),
      };
      this.calls.push(call);
      for (const listener of [...this.listeners]) listener(call);
    };
    const refuse = (status: number, code: string, message: string, headers: Readonly<Record<string, string>> = {}) =>
      answer(status, graphError(code, message), headers);

    if (req.method !== "GET" || (!channel && !chat)) {
      return refuse(400, "BadRequest", `Resource not found for the segment '${url.pathname}'.`);
    }
    const failure = this.failures.shift();
    if (failure === "truncate") return answer(200, { value: [], "@odata.context": "" }, {}, true);
    if (failure)
      return refuse(failure.status, ERROR_CODES[failure.status] ?? "ServiceUnavailable", "", failure.headers);

    if (channel?.[1] && channel[2]) {
      const teamId = decodeURIComponent(channel[1]);
      const channelId = decodeURIComponent(channel[2]);
      const team = this.teams.get(teamId);
      if (!team) return refuse(404, "NotFound", `No team found with Group Id ${teamId}`);
      if (!team.consent) return refuse(403, "Forbidden", missingRole("ChannelMessage.Read.Group"));
      if (!team.channels.has(channelId)) return refuse(404, "NotFound", `Channel ${channelId} not found in team`);
      const messages = this.connector.conversationMessages(channelId).filter((m) => m.replyToId === undefined);
      const context = `https://graph.microsoft.com/v1.0/$metadata#teams('${teamId}')/channels('${encodeURIComponent(channelId)}')/messages`;
      return answer(200, this.page(url, messages, "lastModifiedDateTime", context, { teamId, channelId }));
    }
    const chatId = decodeURIComponent(chat?.[1] ?? "");
    const known = this.chats.get(chatId);
    if (!known) return refuse(404, "NotFound", `Chat ${chatId} not found`);
    if (!known.consent) return refuse(403, "Forbidden", missingRole("ChatMessage.Read.Chat"));
    const context = `https://graph.microsoft.com/v1.0/$metadata#chats('${encodeURIComponent(chatId)}')/messages`;
    const order =
      url.searchParams.get("$orderby")?.trim() === "createdDateTime desc" ? "createdDateTime" : "lastModifiedDateTime";
    return answer(200, this.page(url, this.connector.conversationMessages(chatId), order, context, { chatId }));
  }

  /** One page of messages, newest first by `order`, with a nextLink to the rest. */
  private page(
    url: URL,
    messages: readonly StoredMessage[],
    order: "createdDateTime" | "lastModifiedDateTime",
    context: string,
    where: { teamId: string; channelId: string } | { chatId: string },
  ): unknown {
    const listedBy = Date.now() - this.lagMs;
    const listed = messages.filter((message) => message.createdAt.getTime() <= listedBy);
    const top = Math.min(MAX_PAGE, Number(url.searchParams.get("$top") ?? DEFAULT_PAGE) || DEFAULT_PAGE);
    const skip = Number(url.searchParams.get("$skiptoken") ?? 0) || 0;
    const at = (message: StoredMessage) =>
      (order === "createdDateTime" ? message.createdAt : message.modifiedAt).getTime();
    const newest = listed.sort((a, b) => at(b) - at(a) || (b.id > a.id ? 1 : -1));
    const value = newest.slice(skip, skip + top).map((message) => this.chatMessage(message, where));
    const next = new URL(url);
    next.searchParams.set("$skiptoken", String(skip + top));
    return {
      "@odata.context": context,
      ...(url.searchParams.get("$count") === "true" && { "@odata.count": newest.length }),
      ...(skip + top < newest.length && { "@odata.nextLink": next.toString() }),
      value,
    };
  }

  /** A message as Graph's chatMessage resource. */
  private chatMessage(
    message: StoredMessage,
    where: { teamId: string; channelId: string } | { chatId: string },
  ): Record<string, unknown> {
    const activity = message.activity;
    const attachments = (activity.attachments ?? []).map((attachment, index) => ({
      id: this.attachmentId(`${message.conversationId}\n${message.id}\n${index}`),
      contentType: attachment.contentType,
      contentUrl: null,
      // Graph gives a card back as its JSON, serialized.
      content: typeof attachment.content === "string" ? attachment.content : JSON.stringify(attachment.content),
      name: null,
      thumbnailUrl: null,
      teamsAppId: null,
    }));
    const from = activity.from as { id?: string; name?: string } | undefined;
    const text = typeof activity.text === "string" ? `<p>${activity.text}</p>` : "";
    return {
      id: message.id,
      replyToId: message.replyToId ?? null,
      etag: String(message.modifiedAt.getTime()),
      messageType: "message",
      createdDateTime: message.createdAt.toISOString(),
      lastModifiedDateTime: message.modifiedAt.toISOString(),
      lastEditedDateTime: message.modifiedAt > message.createdAt ? message.modifiedAt.toISOString() : null,
      deletedDateTime: null,
      subject: null,
      summary: null,
      chatId: "chatId" in where ? where.chatId : null,
      importance: "normal",
      locale: "en-us",
      webUrl: null,
      policyViolation: null,
      eventDetail: null,
      from: {
        application: {
          "@odata.type": "#microsoft.graph.teamworkApplicationIdentity",
          // Graph names the bot by its Entra app id, which the Bot Framework prefixes with "28:".
          id: (from?.id ?? "").replace(/^28:/, ""),
          displayName: from?.name ?? null,
          applicationIdentityType: "bot",
        },
        device: null,
        user: null,
      },
      body: {
        contentType: "html",
        content: text + attachments.map((a) => `<attachment id="${a.id}"></attachment>`).join(""),
      },
      channelIdentity: "teamId" in where ? { teamId: where.teamId, channelId: where.channelId } : null,
      attachments,
      mentions: [],
      reactions: [],
    };
  }

  /** Graph's attachment ids: 32 hex digits, the same on every read. */
  private attachmentId(key: string): string {
    let id = this.attachmentIds.get(key);
    if (!id) {
      id = randomUUID().replace(/-/g, "");
      this.attachmentIds.set(key, id);
    }
    return id;
  }
}

function missingRole(permission: string): string {
  return `Missing role permissions on the request. API requires one of '${permission}'. Roles on the request ''. Resource specific consent grants on the request ''.`;
}

function graphError(code: string, message: string): unknown {
  return {
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString(), "request-id": randomUUID(), "client-request-id": randomUUID() },
    },
  };
}
