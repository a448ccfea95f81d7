/**
 * A loopback fake of the Bot Framework connector (the Bot Connector REST API a bot answers Teams
 * through). Activities sent to a bot carry `serviceUrl`; the bot posts its replies back there. Point
 * `serviceUrl` at `fake.serviceUrl` and the real botbuilder adapter talks to this:
 *
 * - `POST /v3/conversations/{conversationId}/activities` — a new message (proactive, or a turn's
 *   reply when botbuilder has no activity to answer);
 * - `POST /v3/conversations/{conversationId}/activities/{activityId}` — a reply to that activity;
 * - `PUT  /v3/conversations/{conversationId}/activities/{activityId}` — replaces a message sent before;
 * - `POST /v3/conversations` — creates a conversation (Create Conversation: the bot's 1:1 chat with a
 *   member, for a proactive message to a person). Body `{ bot, members, isGroup, tenantId,
 *   channelData }`; answered `201 {"id": "a:…", "serviceUrl", "activityId"}`, the same id again for
 *   the same member, as Teams does for a 1:1 chat that exists. See `created`.
 * - `GET  /v3/teams/{teamId}` — Get Team Details: `{ id, name, aadGroupId }` for a team `addTeam` named.
 *
 * Faults, for the sender's exactly-once tests: `failNext` refuses the next POSTs (nothing stored),
 * `acceptThenFailNext` stores the message and still answers an error (a 5xx after Teams took it),
 * and `hangNext` stores it and never answers (a connector that took it and went quiet).
 *
 * - `GET  /v3/conversations/{conversationId}/pagedmembers?pageSize=&continuationToken=` — the
 *   roster (Get Paged Members: a team's members by the team's id, a chat's by its id), from
 *   `setMembers`: `{ continuationToken?, members: TeamsChannelAccount[] }`, pageSize 50 to 500
 *   (200 when not given), an unknown conversation `404 ConversationNotFound`. See `rosterReads`.
 *
 * Ids in the path are percent-encoded (Teams conversation ids hold `:`, `@` and `;`). Each
 * accepted activity is answered `200 {"id": "..."}` with a Teams-like message id; bad requests get
 * the connector's `{"error": {"code", "message"}}` with 400 or 404. With no app id the adapter sends
 * no token; a test can check `authorization` to see one was or wasn't sent.
 *
 * ```ts
 * const fake = await startFakeTeamsConnector();
 * const reply = await fake.waitFor((call) => call.replyToId === activity.id);
 * ```
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ConnectorCall {
  readonly method: "POST" | "PUT";
  readonly path: string;
  /** Decoded from the path. */
  readonly conversationId: string;
  /** POST …/activities/{id}: the activity this one replies to. */
  readonly replyToId: string | undefined;
  /** PUT …/activities/{id}: the message this one replaces. */
  readonly updatesId: string | undefined;
  /** The activity as sent. */
  readonly activity: SentActivity;
  readonly authorization: string | undefined;
  /** What the fake answered; 0 for a call it never answered (`hangNext`). */
  readonly status: number;
  /** The id the fake gave the message (for POST), or the id replaced (for PUT); undefined when refused. */
  readonly id: string | undefined;
  readonly at: Date;
}

/** A message the fake holds, as Teams keeps it: what Graph lists (test/fakes/graph.ts). */
export interface StoredMessage {
  readonly conversationId: string;
  readonly id: string;
  /** The message it replies to (a POST to …/activities/{id}); undefined for a new message. */
  readonly replyToId: string | undefined;
  /** The activity as it now stands (a PUT replaces it). */
  readonly activity: SentActivity;
  readonly createdAt: Date;
  readonly modifiedAt: Date;
}

/** The parts of an outgoing activity the tests read. */
export interface SentActivity {
  readonly type?: string;
  readonly text?: string;
  readonly summary?: string;
  readonly replyToId?: string;
  readonly attachments?: readonly { readonly contentType: string; readonly content: unknown }[];
  readonly [field: string]: unknown;
}

/** A Create Conversation request, as the fake answered it. */
export interface CreatedConversation {
  /** The request body as sent. */
  readonly parameters: {
    readonly bot?: { readonly id?: string; readonly name?: string };
    readonly members?: readonly { readonly id?: string; readonly [field: string]: unknown }[];
    readonly isGroup?: boolean;
    readonly tenantId?: string;
    readonly channelData?: { readonly tenant?: { readonly id?: string }; readonly [field: string]: unknown };
    readonly [field: string]: unknown;
  };
  readonly authorization: string | undefined;
  readonly status: number;
  /** The conversation's id (`a:…`); undefined when refused. */
  readonly id: string | undefined;
  readonly at: Date;
}

export interface FakeTeamsConnector {
  /** `http://127.0.0.1:<port>/`: the `serviceUrl` to put in activities sent to the bot. */
  readonly serviceUrl: string;
  readonly calls: readonly ConnectorCall[];
  /** The Create Conversation requests (`POST /v3/conversations`), in order; not in `calls`. */
  readonly created: readonly CreatedConversation[];
  /** The message with this id as it stands now (a PUT replaces it), if the fake accepted it. */
  message(conversationId: string, id: string): SentActivity | undefined;
  /** Every message the fake holds in a conversation, oldest first. */
  conversationMessages(conversationId: string): readonly StoredMessage[];
  /** A team Get Team Details answers for: its Bot Framework id, name, and Graph id (Microsoft 365 group). */
  addTeam(team: { readonly id: string; readonly name: string; readonly aadGroupId: string }): void;
  /** The next `count` Get Team Details are answered `status` (as a connector that is down). */
  failTeamDetails(count: number, status: number): void;
  /** The Get Team Details asked (`GET /v3/teams/{teamId}`), in order; not in `calls`. */
  readonly teamDetailReads: readonly { readonly teamId: string; readonly status: number }[];
  /** The first call matching `predicate`, already made or still to come. */
  waitFor(predicate: (call: ConnectorCall) => boolean, timeoutMs?: number): Promise<ConnectorCall>;
  /** The first Create Conversation request matching `predicate`, already made or still to come. */
  waitForCreated(
    predicate: (created: CreatedConversation) => boolean,
    timeoutMs?: number,
  ): Promise<CreatedConversation>;
  /**
   * The next `count` POSTs (Create Conversation too) are answered `status` (with these headers), as the connector answers
   * when Teams throttles (429 with Retry-After, 412) or is down (502, 504); nothing is stored.
   */
  failNext(count: number, status: number, headers?: Readonly<Record<string, string>>): void;
  /**
   * The next `count` new messages (POSTs of an activity; a Create Conversation before them is
   * answered as usual) are stored, and answered `status` all the same: the 500 or 502 a connector
   * can give after Teams took the message.
   */
  acceptThenFailNext(count: number, status: number): void;
  /** The next `count` new messages are stored and never answered (the call stays open until close). */
  hangNext(count: number): void;
  /** The next `count` PUTs (a card replaced in place) are answered `status`; the message stays as it was. */
  failNextUpdates(count: number, status: number): void;
  close(): Promise<void>;
  /** The people of a conversation (a team by its id, a chat by its) in a Teams tenant, as Get Paged Members answers them. */
  setMembers(conversationId: string, tenantId: string, members: readonly RosterMember[]): void;
  /** The roster reads made (`GET …/pagedmembers`), in order; not in `calls`. */
  readonly rosterReads: readonly RosterRead[];
  /** The next `count` roster reads are answered `status` (as a connector that is down). */
  failRosterReads(count: number, status: number): void;
}

/** Someone in a conversation's roster: a TeamsChannelAccount as the Bot Framework sends it. */
export interface RosterMember {
  /** `29:…` */
  readonly id: string;
  readonly name: string;
  /** Absent for anonymous guests. */
  readonly aadObjectId?: string;
  readonly email?: string;
  readonly userRole?: "user" | "guest" | "anonymous";
}

export interface RosterRead {
  readonly conversationId: string;
  readonly pageSize: number;
  readonly continuationToken: string | null;
  readonly status: number;
}

export async function startFakeTeamsConnector(): Promise<FakeTeamsConnector> {
  const fake = new FakeConnector();
  await fake.listen();
  return fake;
}

const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What the connector (or Teams behind it) refuses in an activity, or undefined. */
function activityProblem(activity: unknown): string | undefined {
  if (!isRecord(activity)) return "The request body is not an activity";
  if (typeof activity.type !== "string") return "Activity type is required";
  if (activity.type !== "message") return undefined;
  const attachments = activity.attachments;
  if (attachments !== undefined && !Array.isArray(attachments)) return "attachments must be an array";
  if (!activity.text && (!Array.isArray(attachments) || attachments.length === 0)) {
    return "A message needs text or an attachment";
  }
  for (const attachment of Array.isArray(attachments) ? attachments : []) {
    if (!isRecord(attachment) || typeof attachment.contentType !== "string") return "attachment without contentType";
    if (attachment.contentType !== ADAPTIVE_CARD) continue;
    const card = attachment.content;
    if (!isRecord(card) || card.type !== "AdaptiveCard") return "an Adaptive Card's type must be AdaptiveCard";
    if (typeof card.version !== "string") return "an Adaptive Card needs a version";
    if (card.body !== undefined && !Array.isArray(card.body)) return "an Adaptive Card's body must be an array";
  }
  return undefined;
}

/** What the connector (or Teams behind it) refuses in Create Conversation's parameters, or undefined. */
function conversationProblem(parameters: unknown): string | undefined {
  if (!isRecord(parameters)) return "The request body is not conversation parameters";
  if (!isRecord(parameters.bot) || typeof parameters.bot.id !== "string") return "bot.id is required";
  const members = parameters.members;
  if (!Array.isArray(members) || members.length === 0) return "members are required";
  if (!members.every((member) => isRecord(member) && typeof member.id === "string" && member.id)) {
    return "every member needs an id";
  }
  if (parameters.isGroup !== true && members.length !== 1) return "a 1:1 conversation has exactly one member";
  const channelData = isRecord(parameters.channelData) ? parameters.channelData : {};
  const tenant = isRecord(channelData.tenant) ? channelData.tenant.id : undefined;
  if (typeof parameters.tenantId !== "string" && typeof tenant !== "string") return "Tenant Id is required";
  return undefined;
}

const CREATE_ROUTE = /^\/v3\/conversations\/?$/;
const TEAM_ROUTE = /^\/v3\/teams\/([^/]+)\/?$/;
/**
 * The first of `seen` matching `predicate`, or the next one announced to `listeners`; rejected with
 * `failure()` after `timeoutMs`. A predicate that throws (reading a part a call lacks) doesn't match.
 */
export function awaitOne<T>(
  seen: readonly T[],
  listeners: Set<(item: T) => void>,
  predicate: (item: T) => boolean,
  timeoutMs: number,
  failure: () => string,
): Promise<T> {
  const matches = (item: T) => {
    try {
      return predicate(item);
    } catch {
      return false;
    }
  };
  const found = seen.find(matches);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const listener = (item: T) => {
      if (!matches(item)) return;
      clearTimeout(timer);
      listeners.delete(listener);
      resolve(item);
    };
    const timer = setTimeout(() => {
      listeners.delete(listener);
      reject(new Error(failure()));
    }, timeoutMs);
    listeners.add(listener);
  });
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

class FakeConnector implements FakeTeamsConnector {
  readonly calls: ConnectorCall[] = [];
  readonly created: CreatedConversation[] = [];
  private readonly createdListeners = new Set<(created: CreatedConversation) => void>();
  /** 1:1 conversations by member id: Teams answers the same chat for the same person. */
  private readonly personal = new Map<string, string>();
  private readonly server: Server;
  private readonly messages = new Map<string, StoredMessage>();
  private readonly teams = new Map<string, { id: string; name: string; aadGroupId: string }>();
  private readonly teamDetailFailures: number[] = [];
  readonly teamDetailReads: { readonly teamId: string; readonly status: number }[] = [];
  private readonly listeners = new Set<(call: ConnectorCall) => void>();
  private origin = "";
  private lastId = 0;
  private lastStoredAt = 0;
  private readonly failures: Fault[] = [];
  private readonly updateFailures: { readonly status: number }[] = [];
  private readonly roster = new RosterBook();

  constructor() {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" }).end(`fake connector failed: ${String(error)}`);
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
  }

  get serviceUrl(): string {
    return `${this.origin}/`;
  }

  message(conversationId: string, id: string): SentActivity | undefined {
    return this.messages.get(`${conversationId}\n${id}`)?.activity;
  }

  conversationMessages(conversationId: string): readonly StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.conversationId === conversationId);
  }

  addTeam(team: { readonly id: string; readonly name: string; readonly aadGroupId: string }): void {
    this.teams.set(team.id, { ...team });
  }

  failTeamDetails(count: number, status: number): void {
    for (let i = 0; i < count; i++) this.teamDetailFailures.push(status);
  }

  waitFor(predicate: (call: ConnectorCall) => boolean, timeoutMs = 5000): Promise<ConnectorCall> {
    return awaitOne(this.calls, this.listeners, predicate, timeoutMs, () => {
      const made = this.calls.map((c) => `${c.method} ${c.path}`).slice(-10);
      return `waitFor: no matching connector call within ${timeoutMs} ms; last calls: [${made.join(", ")}]`;
    });
  }

  waitForCreated(predicate: (created: CreatedConversation) => boolean, timeoutMs = 5000): Promise<CreatedConversation> {
    return awaitOne(
      this.created,
      this.createdListeners,
      predicate,
      timeoutMs,
      () => `waitForCreated: no matching Create Conversation within ${timeoutMs} ms`,
    );
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  setMembers(conversationId: string, tenantId: string, members: readonly RosterMember[]): void {
    this.roster.members.set(conversationId, { tenantId, members });
  }

  get rosterReads(): readonly RosterRead[] {
    return this.roster.reads;
  }

  failRosterReads(count: number, status: number): void {
    for (let i = 0; i < count; i++) this.roster.failures.push(status);
  }

  private pagedMembers(conversationId: string, url: URL, answer: (status: number, body: unknown) => void): void {
    const { status, body, pageSize, continuationToken } = this.roster.answer(conversationId, url);
    this.roster.reads.push({ conversationId, pageSize, continuationToken, status });
    answer(status, body);
  }

  failNext(count: number, status: number, headers: Readonly<Record<string, string>> = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ kind: "refuse", status, headers });
  }

  acceptThenFailNext(count: number, status: number): void {
    for (let i = 0; i < count; i++) this.failures.push({ kind: "accept", status, headers: {} });
  }

  hangNext(count: number): void {
    for (let i = 0; i < count; i++) this.failures.push({ kind: "hang", status: 0, headers: {} });
  }

  failNextUpdates(count: number, status: number): void {
    for (let i = 0; i < count; i++) this.updateFailures.push({ status });
  }

  /** Teams message ids are millisecond timestamps; these are too, unique and increasing. */
  private nextId(): string {
    this.lastId = Math.max(Date.now(), this.lastId + 1);
    return String(this.lastId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.origin);
    const route = ROUTE.exec(url.pathname);
    const method = req.method === "POST" || req.method === "PUT" ? req.method : undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = (status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void => {
      res
        .writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers })
        .end(JSON.stringify(body));
    };
    const roster = PAGED_MEMBERS_ROUTE.exec(url.pathname);
    if (req.method === "GET" && roster?.[1]) return this.pagedMembers(decodeURIComponent(roster[1]), url, answer);
    if (req.method === "POST" && CREATE_ROUTE.test(url.pathname)) {
      return this.createConversation(req, Buffer.concat(chunks), answer);
    }
    const team = req.method === "GET" ? TEAM_ROUTE.exec(url.pathname)?.[1] : undefined;
    if (team !== undefined) return this.teamDetails(decodeURIComponent(team), answer);
    if (!route?.[1] || !method || (method === "PUT" && !route[2])) {
      return answer(404, { error: { code: "NotFound", message: `no connector route ${req.method} ${url.pathname}` } });
    }
    const conversationId = decodeURIComponent(route[1]);
    const activityId = route[2] === undefined ? undefined : decodeURIComponent(route[2]);
    const activity = jsonOrUndefined(Buffer.concat(chunks));

    let status = 200;
    let id: string | undefined;
    const problem = activityProblem(activity);
    const failure = problem ? undefined : method === "POST" ? this.failures.shift() : this.updateFailures.shift();
    if (failure && "kind" in failure && failure.kind !== "refuse") {
      // Taken, as Teams takes it; then an error, or no answer at all.
      id = this.nextId();
      this.store(conversationId, id, activityId, activity as SentActivity);
      status = failure.status;
      if (failure.kind === "accept") answerFailure(answer, failure);
    } else if (failure) {
      status = failure.status;
      answerFailure(answer, failure);
    } else if (problem) {
      status = 400;
      answer(status, { error: { code: "BadArgument", message: problem } });
    } else if (method === "PUT" && activityId && !this.messages.has(`${conversationId}\n${activityId}`)) {
      status = 404;
      answer(status, { error: { code: "NotFound", message: `no message ${activityId} in this conversation` } });
    } else {
      const stored = method === "PUT" && activityId ? activityId : this.nextId();
      id = stored;
      this.store(conversationId, stored, method === "POST" ? activityId : undefined, activity as SentActivity);
      answer(status, { id });
    }
    const call: ConnectorCall = {
      method,
      path: url.pathname,
      conversationId,
      replyToId: method === "POST" ? activityId : undefined,
      updatesId: method === "PUT" ? activityId : undefined,
      activity: (isRecord(activity) ? activity : {}) as SentActivity,
      authorization: req.headers.authorization,
      status,
      id,
      at: new Date(),
    };
    this.calls.push(call);
    for (const listener of [...this.listeners]) listener(call);
  }

  /** Keeps a message; a PUT keeps when and what it first replied to. */
  private store(conversationId: string, id: string, replyToId: string | undefined, activity: SentActivity): void {
    const key = `${conversationId}\n${id}`;
    const before = this.messages.get(key);
    // Strictly later than the last change, as Graph's lastModifiedDateTime orders them: two stores
    // in one millisecond would otherwise list in either order.
    this.lastStoredAt = Math.max(Date.now(), this.lastStoredAt + 1);
    const now = new Date();
    this.messages.set(key, {
      conversationId,
      id,
      replyToId: before ? before.replyToId : replyToId,
      activity,
      createdAt: before?.createdAt ?? now,
      modifiedAt: new Date(this.lastStoredAt),
    });
  }

  private teamDetails(
    teamId: string,
    answer: (status: number, body: unknown, headers?: Readonly<Record<string, string>>) => void,
  ): void {
    const team = this.teams.get(teamId);
    const failure = this.teamDetailFailures.shift();
    const status = failure ?? (team ? 200 : 404);
    this.teamDetailReads.push({ teamId, status });
    if (failure) answer(failure, { error: { code: "ServiceError", message: `HTTP ${failure}` } });
    else if (team) answer(200, { ...team, type: "standard", channelCount: 1, memberCount: 2 });
    else answer(404, { error: { code: "NotFound", message: `no team ${teamId} for this bot` } });
  }

  private createConversation(
    req: IncomingMessage,
    body: Buffer,
    answer: (status: number, body: unknown, headers?: Readonly<Record<string, string>>) => void,
  ): void {
    const parameters = jsonOrUndefined(body);
    let status = 201;
    let id: string | undefined;
    const problem = conversationProblem(parameters);
    // Taking a message and failing are for messages: those faults wait for the card that follows.
    const failure = problem || this.failures[0]?.kind !== "refuse" ? undefined : this.failures.shift();
    if (failure) {
      status = failure.status;
      answerFailure(answer, failure);
    } else if (problem) {
      status = 400;
      answer(status, { error: { code: "BadArgument", message: problem } });
    } else {
      const p = parameters as { members: { id: string }[]; isGroup?: boolean };
      const member = p.isGroup === true ? undefined : p.members[0]?.id;
      id = (member && this.personal.get(member)) ?? `a:${Buffer.from(`chat-${this.nextId()}`).toString("base64url")}`;
      if (member) this.personal.set(member, id);
      answer(status, { id, serviceUrl: this.serviceUrl, activityId: this.nextId() });
    }
    const created: CreatedConversation = {
      parameters: (isRecord(parameters) ? parameters : {}) as CreatedConversation["parameters"],
      authorization: req.headers.authorization,
      status,
      id,
      at: new Date(),
    };
    this.created.push(created);
    for (const listener of [...this.createdListeners]) listener(created);
  }
}

/** A fault the fake was told to give: refuse (nothing stored), accept and still fail, or accept and hang. */
interface Fault {
  readonly kind: "refuse" | "accept" | "hang";
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------------------------------------
// The roster: Get Paged Members

const PAGED_MEMBERS_ROUTE = /^\/v3\/conversations\/([^/]+)\/pagedmembers\/?$/;

/** The roster's state and answers, kept apart from the activities' so each can change alone. */
class RosterBook {
  readonly members = new Map<string, { readonly tenantId: string; readonly members: readonly RosterMember[] }>();
  readonly reads: RosterRead[] = [];
  readonly failures: number[] = [];

  /** Answers one page: pageSize clamped to Teams' 50 to 500, the token an opaque offset. */
  answer(
    conversationId: string,
    url: URL,
  ): { readonly status: number; readonly body: unknown } & Pick<RosterRead, "pageSize" | "continuationToken"> {
    const asked = Number(url.searchParams.get("pageSize") ?? "200");
    const pageSize = Math.min(500, Math.max(50, Number.isFinite(asked) ? Math.trunc(asked) : 200));
    const continuationToken = url.searchParams.get("continuationToken");
    const failure = this.failures.shift();
    if (failure !== undefined) {
      return {
        status: failure,
        pageSize,
        continuationToken,
        body: { error: { code: "ServiceError", message: `HTTP ${failure}` } },
      };
    }
    const known = this.members.get(conversationId);
    if (!known) {
      const body = { error: { code: "ConversationNotFound", message: "Conversation not found." } };
      return { status: 404, pageSize, continuationToken, body };
    }
    const offset =
      continuationToken === null ? 0 : Number(Buffer.from(continuationToken, "base64url").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0) {
      const body = { error: { code: "BadArgument", message: "Invalid continuation token." } };
      return { status: 400, pageSize, continuationToken, body };
    }
    const { tenantId, members: everyone } = known;
    const page = everyone.slice(offset, offset + pageSize).map((member) => ({
      ...member,
      givenName: member.name.split(" ")[0],
      surname: member.name.split(" ").slice(1).join(" ") || undefined,
      userPrincipalName: member.email,
      tenantId,
      userRole: member.userRole ?? "user",
    }));
    const next =
      offset + pageSize < everyone.length ? Buffer.from(String(offset + pageSize)).toString("base64url") : undefined;
    return {
      status: 200,
      pageSize,
      continuationToken,
      body: { ...(next && { continuationToken: next }), members: page },
    };
  }
}

function jsonOrUndefined(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** A failure it was told to give, as the Bot Framework words it. */
function answerFailure(
  answer: (status: number, body: unknown, headers?: Readonly<Record<string, string>>) => void,
  failure: { readonly status: number; readonly headers?: Readonly<Record<string, string>> },
): void {
  const code = failure.status === 429 ? "Throttled" : "ServiceError";
  answer(failure.status, { error: { code, message: `HTTP ${failure.status}` } }, failure.headers);
}
