/**
 * A loopback fake of the Slack Web API for tests. It speaks Slack's wire format — `POST /api/<method>`
 * with a form or JSON body, the token as `Authorization: Bearer` or a `token` field, HTTP 200 with
 * `{"ok":true,...}` or `{"ok":false,"error":"..."}` — so the real `@slack/web-api` client and Bolt
 * can be pointed at it with `slackApiUrl: fake.apiUrl`. It records every call, can be told to fail
 * the next calls to a method (429 with Retry-After, 5xx, or a Slack error), and rejects Block Kit
 * payloads that break the limits Slack enforces.
 *
 * ```ts
 * const fake = await startFakeSlack();
 * fake.addWorkspace({ teamId: "T1", teamName: "Riverside", botToken: "xoxb-1", botUserId: "U0BOT", botId: "B1" });
 * const client = new WebClient("xoxb-1", { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
 * ```
 */
import { randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  authTestBody,
  botUserObject,
  channelObject,
  type FakeChannel,
  type FakeUser,
  type FakeWorkspace,
  imChannelObject,
  oauthV2AccessBody,
  type StoredMessage,
  userObject,
  viewObject,
} from "./slack-fixtures.js";

export type { FakeChannel, FakeUser, FakeWorkspace, StoredMessage } from "./slack-fixtures.js";

export interface FakeSlackOptions {
  /** The app id oauth.v2.access and views report. Default `A0TOUCHPT1`. */
  readonly appId?: string;
  /** When set, oauth.v2.access checks the client id and secret (form fields or HTTP Basic), as Slack does. */
  readonly clientId?: string;
  readonly clientSecret?: string;
}

export interface OAuthGrant {
  /** A workspace added with `addWorkspace`; its bot token is what the code exchanges for. */
  readonly teamId: string;
  /** The installing user (`authed_user.id`). */
  readonly userId: string;
  readonly scopes: readonly string[];
  readonly isEnterpriseInstall?: boolean;
}

export type Failure =
  | { readonly status: 429; readonly retryAfter: number }
  | { readonly status: 500 | 502 | 503 | 504 }
  | { readonly status: 200; readonly error: string };

export interface SlackBody {
  readonly ok: boolean;
  readonly error?: string;
  readonly [field: string]: unknown;
}

export interface RecordedCall {
  /** `chat.postMessage`, …, or `response_url` for a POST to a `responseUrl(id)`. */
  readonly method: string;
  /** The request path, e.g. `/api/chat.postMessage` or `/response/abc`. */
  readonly path: string;
  readonly token: string | undefined;
  /** The workspace the token (or, for oauth.v2.access, the code) belongs to, revoked or not. */
  readonly teamId: string | undefined;
  /** The parsed body and query, without `token`; `blocks`, `attachments`, `view`, `metadata` decoded from JSON. */
  readonly args: Readonly<Record<string, unknown>>;
  readonly at: Date;
  /** What the fake answered. */
  readonly status: number;
  readonly response: SlackBody;
}

export interface FakeSlack {
  /** `http://127.0.0.1:<port>/api/`: the `slackApiUrl` for WebClient and Bolt. */
  readonly apiUrl: string;
  /** Every request, in arrival order. */
  readonly calls: readonly RecordedCall[];
  addWorkspace(workspace: FakeWorkspace): void;
  addOAuthCode(code: string, grant: OAuthGrant): void;
  /** Later calls with this token answer `token_revoked`. */
  revokeToken(token: string): void;
  /** apps.connections.open with this app-level token answers this Socket Mode URL. */
  addSocketModeApp(appToken: string, url: string): void;
  /** A URL on this fake to use as an interaction's `response_url`; POSTs to it are recorded as `response_url`. */
  responseUrl(id: string): string;
  callsTo(method: string): RecordedCall[];
  /** The first call to `method` matching `predicate`, already made or still to come. */
  waitFor(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** The next `times` calls to `method` answer with `failure` and have no effect. */
  failNext(method: string, failure: Failure, times?: number): void;
  /**
   * The next call to `method` takes effect (a message is posted) but its answer is held until
   * `release()`: a caller that dies meanwhile never learns it succeeded.
   */
  holdNext(method: string): { readonly reached: Promise<RecordedCall>; release(): void };
  /**
   * Every later call to `method` is done at once (a post stored) but answered only after `delayMs()`
   * milliseconds: the window in which a client that dies leaves a message it never heard of.
   */
  delayAnswers(method: string, delayMs: () => number): void;
  close(): Promise<void>;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlackServer(options);
  await fake.listen();
  return fake;
}

// ---------------------------------------------------------------------------------------------
// State

type Args = Record<string, unknown>;

interface Team {
  readonly ws: FakeWorkspace;
  readonly users: Map<string, FakeUser>;
  readonly channels: Map<string, FakeChannel>;
  /** Direct-message channel id → user id, opened by posting to a user id. */
  readonly ims: Map<string, string>;
}

interface View {
  readonly teamId: string;
  body: ReturnType<typeof viewObject>;
}

class State {
  readonly teams = new Map<string, Team>();
  readonly tokens = new Map<string, string>();
  readonly revoked = new Set<string>();
  readonly codes = new Map<string, OAuthGrant>();
  /** App-level tokens (xapp-…) → the Socket Mode WebSocket URL apps.connections.open hands out. */
  readonly socketModeUrls = new Map<string, string>();
  readonly messages: { teamId: string; channel: string; message: StoredMessage }[] = [];
  readonly views = new Map<string, View>();
  readonly homeViews = new Map<string, string>();
  private lastTs = 0n;

  constructor(readonly options: FakeSlackOptions) {}

  get appId(): string {
    return this.options.appId ?? "A0TOUCHPT1";
  }

  /** Slack's "1503435956.000247": seconds and microseconds, unique and increasing. */
  nextTs(): string {
    const now = BigInt(Date.now()) * 1000n;
    this.lastTs = now > this.lastTs ? now : this.lastTs + 1n;
    return `${this.lastTs / 1_000_000n}.${String(this.lastTs % 1_000_000n).padStart(6, "0")}`;
  }

  findMessage(teamId: string, channel: string, ts: string | undefined) {
    return this.messages.find((m) => m.teamId === teamId && m.channel === channel && m.message.ts === ts);
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const fail = (error: string, extra: Args = {}): SlackBody => ({ ok: false, error, ...extra });

function str(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return typeof value === "number" ? String(value) : undefined;
}

function flag(value: unknown): boolean {
  return value === true || value === 1 || value === "true" || value === "1";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "1503435956.000247" → microseconds, for comparing timestamps exactly. */
function micros(ts: string | undefined): bigint | undefined {
  const match = ts === undefined ? null : /^(\d+)(?:\.(\d{0,6}))?$/.exec(ts);
  if (!match) return undefined;
  return BigInt(match[1] ?? "0") * 1_000_000n + BigInt((match[2] ?? "").padEnd(6, "0"));
}

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
function randomId(length: number): string {
  return Array.from({ length }, () => ID_CHARS[randomInt(ID_CHARS.length)]).join("");
}

function newViewIds(rootViewId?: string, previousViewId?: string | null) {
  const id = `V${randomId(10)}`;
  return { id, hash: `${Math.floor(Date.now() / 1000)}.${randomId(8)}`, rootViewId: rootViewId ?? id, previousViewId };
}

// ---------------------------------------------------------------------------------------------
// Block Kit limits (docs.slack.dev/reference/block-kit): Slack rejects the whole payload and
// names each violation with a JSON pointer, e.g. "must be less than 3001 characters
// [json-pointer:/blocks/0/text/text]".

const MAX_MESSAGE_BLOCKS = 50;
const MAX_VIEW_BLOCKS = 100;

function tooLong(value: unknown, max: number, pointer: string, problems: string[]): void {
  if (typeof value === "string" && value.length > max) {
    problems.push(`must be less than ${max + 1} characters [json-pointer:${pointer}]`);
  }
}

/** Option objects (in selects, overflow menus, radio buttons, checkboxes) have `text` and `value` and no `type`. */
function isOption(node: Record<string, unknown>): boolean {
  return node.type === undefined && "text" in node && "value" in node;
}

/** The longest text a text object under `node[key]` may carry. */
function textLimit(node: Record<string, unknown>, key: string): number {
  if (key === "text" && (node.type === "button" || isOption(node))) return 75;
  if (key === "text" && node.type === "header") return 150;
  if (key === "fields") return 2000;
  return 3000;
}

function walkBlocks(node: unknown, pointer: string, maxText: number, problems: string[]): void {
  if (Array.isArray(node)) {
    for (const [i, child] of node.entries()) walkBlocks(child, `${pointer}/${i}`, maxText, problems);
    return;
  }
  if (!isRecord(node)) return;
  const isText = node.type === "plain_text" || node.type === "mrkdwn";
  if (isText) tooLong(node.text, maxText, `${pointer}/text`, problems);
  tooLong(node.action_id, 255, `${pointer}/action_id`, problems);
  tooLong(node.block_id, 255, `${pointer}/block_id`, problems);
  if (node.type === "button") tooLong(node.value, 2000, `${pointer}/value`, problems);
  if (isOption(node)) tooLong(node.value, 150, `${pointer}/value`, problems);
  for (const [key, child] of Object.entries(node)) {
    if (!(isText && key === "text")) walkBlocks(child, `${pointer}/${key}`, textLimit(node, key), problems);
  }
}

/** What Slack would refuse in these blocks (exported so tests can check a slash command's HTTP answer too). */
export function blockProblems(blocks: unknown, pointer = "/blocks", maxBlocks = MAX_MESSAGE_BLOCKS): string[] {
  const problems: string[] = [];
  if (Array.isArray(blocks) && blocks.length > maxBlocks) {
    problems.push(`no more than ${maxBlocks} items allowed [json-pointer:${pointer}]`);
  }
  walkBlocks(blocks, pointer, 3000, problems);
  return problems;
}

/** What chat.postMessage / chat.update / chat.postEphemeral / response_url refuse, or undefined. */
function messageProblem(args: Args): SlackBody | undefined {
  const { text, blocks, attachments, metadata } = args;
  if (blocks !== undefined && !Array.isArray(blocks)) return fail("invalid_blocks_format");
  if (metadata !== undefined && !(isRecord(metadata) && typeof metadata.event_type === "string")) {
    return fail("invalid_metadata_format");
  }
  if (!str(text) && blocks === undefined && attachments === undefined) return fail("no_text");
  if ((str(text)?.length ?? 0) > 40_000) return fail("msg_too_long");
  const problems = blockProblems(blocks, "/blocks", MAX_MESSAGE_BLOCKS);
  if (problems.length === 0) return undefined;
  return fail("invalid_blocks", {
    errors: problems,
    response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
  });
}

/** views.* answer schema violations with `invalid_arguments`, pointing into `/view`. */
function viewProblem(view: unknown): SlackBody | undefined {
  if (!isRecord(view)) return invalidArguments("missing required field: view [json-pointer:/view]");
  const problems = blockProblems(view.blocks, "/view/blocks", MAX_VIEW_BLOCKS);
  for (const key of ["title", "submit", "close"]) {
    const part = view[key];
    if (isRecord(part)) tooLong(part.text, 24, `/view/${key}/text`, problems);
  }
  tooLong(view.private_metadata, 3000, "/view/private_metadata", problems);
  tooLong(view.callback_id, 255, "/view/callback_id", problems);
  tooLong(view.external_id, 255, "/view/external_id", problems);
  return problems.length === 0 ? undefined : invalidArguments(...problems);
}

function invalidArguments(...problems: string[]): SlackBody {
  return fail("invalid_arguments", { response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });
}

// ---------------------------------------------------------------------------------------------
// Methods

interface Ctx {
  readonly s: State;
  readonly args: Args;
  readonly team: Team;
}

/** A channel id or name (`general`, `#general`), or a user id, which opens a direct message. */
function resolveChannel(team: Team, ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  if (team.channels.has(ref) || team.ims.has(ref)) return ref;
  const byName = [...team.channels.values()].find((c) => c.name === ref.replace(/^#/, ""));
  if (byName) return byName.id;
  if (!team.users.has(ref)) return undefined;
  const imId = `D${ref.slice(1)}`;
  team.ims.set(imId, ref);
  return imId;
}

/** The fields of a message that the arguments set. */
function messageFields(args: Args): Partial<StoredMessage> {
  const fields: Partial<StoredMessage> = {};
  const text = str(args.text);
  if (text !== undefined) fields.text = text;
  if (args.blocks !== undefined) fields.blocks = args.blocks;
  if (args.attachments !== undefined) fields.attachments = args.attachments;
  if (isRecord(args.metadata)) {
    fields.metadata = {
      event_type: String(args.metadata.event_type),
      event_payload: args.metadata.event_payload ?? {},
    };
  }
  return fields;
}

function openView(c: Ctx, rootViewId?: string, previousViewId?: string): SlackBody {
  if (!str(c.args.trigger_id) && !str(c.args.interactivity_pointer)) {
    return invalidArguments("missing required field: trigger_id");
  }
  const problem = viewProblem(c.args.view);
  if (problem) return problem;
  const ids = newViewIds(rootViewId, previousViewId);
  const body = viewObject(c.team.ws, c.s.appId, ids, c.args.view as Args);
  c.s.views.set(ids.id, { teamId: c.team.ws.teamId, body });
  return { ok: true, view: body };
}

const methods = new Map<string, (c: Ctx) => SlackBody>(
  Object.entries({
    "auth.test": (c: Ctx) => authTestBody(c.team.ws),

    "chat.postMessage": (c: Ctx) => {
      const channel = resolveChannel(c.team, str(c.args.channel));
      if (!channel) return fail("channel_not_found");
      const problem = messageProblem(c.args);
      if (problem) return problem;
      const { ws } = c.team;
      const threadTs = str(c.args.thread_ts);
      const message: StoredMessage = {
        type: "message",
        text: "",
        user: ws.botUserId,
        bot_id: ws.botId,
        app_id: c.s.appId,
        team: ws.teamId,
        ...messageFields(c.args),
        ts: c.s.nextTs(),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      };
      c.s.messages.push({ teamId: ws.teamId, channel, message });
      return { ok: true, channel, ts: message.ts, message };
    },

    "chat.update": (c: Ctx) => {
      const channel = resolveChannel(c.team, str(c.args.channel));
      if (!channel) return fail("channel_not_found");
      const stored = c.s.findMessage(c.team.ws.teamId, channel, str(c.args.ts));
      if (!stored) return fail("message_not_found");
      const problem = messageProblem({ text: stored.message.text, ...c.args });
      if (problem) return problem;
      Object.assign(stored.message, messageFields(c.args), { edited: { user: c.team.ws.botUserId, ts: c.s.nextTs() } });
      const { message } = stored;
      return { ok: true, channel, ts: message.ts, text: message.text, message };
    },

    "chat.delete": (c: Ctx) => {
      const channel = resolveChannel(c.team, str(c.args.channel));
      if (!channel) return fail("channel_not_found");
      const stored = c.s.findMessage(c.team.ws.teamId, channel, str(c.args.ts));
      if (!stored) return fail("message_not_found");
      c.s.messages.splice(c.s.messages.indexOf(stored), 1);
      return { ok: true, channel, ts: stored.message.ts };
    },

    "chat.postEphemeral": (c: Ctx) => {
      const channel = resolveChannel(c.team, str(c.args.channel));
      if (!channel) return fail("channel_not_found");
      const user = str(c.args.user);
      if (!user || !c.team.users.has(user)) return fail("user_not_in_channel");
      return messageProblem(c.args) ?? { ok: true, message_ts: c.s.nextTs() };
    },

    "views.open": (c: Ctx) => openView(c),

    "views.push": (c: Ctx) => {
      const current = [...c.s.views.entries()].filter(([, v]) => v.teamId === c.team.ws.teamId).at(-1);
      return openView(c, current?.[1].body.root_view_id, current?.[0]);
    },

    "views.publish": (c: Ctx) => {
      const userId = str(c.args.user_id);
      if (!userId || !c.team.users.has(userId)) return invalidArguments("invalid `user_id`");
      const problem = viewProblem(c.args.view);
      if (problem) return problem;
      const key = `${c.team.ws.teamId}:${userId}`;
      const existing = c.s.views.get(c.s.homeViews.get(key) ?? "");
      const hash = str(c.args.hash);
      if (existing && hash && hash !== existing.body.hash) return fail("hash_conflict");
      const ids = { ...newViewIds(), ...(existing ? { id: existing.body.id, rootViewId: existing.body.id } : {}) };
      const body = viewObject(c.team.ws, c.s.appId, ids, { type: "home", ...(c.args.view as Args) });
      c.s.views.set(ids.id, { teamId: c.team.ws.teamId, body });
      c.s.homeViews.set(key, ids.id);
      return { ok: true, view: body };
    },

    "views.update": (c: Ctx) => {
      const viewId = str(c.args.view_id);
      const externalId = str(c.args.external_id);
      if (!viewId && !externalId) return invalidArguments("must provide either `view_id` or `external_id`");
      const existing = [...c.s.views.values()].find(
        (v) => v.teamId === c.team.ws.teamId && (viewId ? v.body.id === viewId : v.body.external_id === externalId),
      );
      if (!existing) return fail("not_found");
      const hash = str(c.args.hash);
      if (hash && hash !== existing.body.hash) return fail("hash_conflict");
      const problem = viewProblem(c.args.view);
      if (problem) return problem;
      const { id, root_view_id, previous_view_id } = existing.body;
      const ids = { ...newViewIds(root_view_id, previous_view_id), id };
      existing.body = viewObject(c.team.ws, c.s.appId, ids, c.args.view as Args);
      return { ok: true, view: existing.body };
    },

    "users.info": (c: Ctx) => {
      const userId = str(c.args.user);
      const { ws } = c.team;
      if (userId === ws.botUserId) return { ok: true, user: botUserObject(ws, c.s.appId) };
      const user = userId === undefined ? undefined : c.team.users.get(userId);
      return user ? { ok: true, user: userObject(ws, user) } : fail("user_not_found");
    },

    "conversations.info": (c: Ctx) => {
      const id = str(c.args.channel) ?? "";
      const channel = c.team.channels.get(id);
      if (channel) return { ok: true, channel: channelObject(c.team.ws, channel) };
      const imUser = c.team.ims.get(id);
      return imUser ? { ok: true, channel: imChannelObject(id, imUser) } : fail("channel_not_found");
    },

    "conversations.open": (c: Ctx) => {
      // One user: their direct message with the bot (a user id resolves to it, as chat.postMessage does).
      const users = (str(c.args.users) ?? "").split(",").filter(Boolean);
      if (users.length !== 1) return fail(users.length === 0 ? "users_list_not_supplied" : "not_supported");
      const id = resolveChannel(c.team, users[0]);
      return id?.startsWith("D") ? { ok: true, channel: { id } } : fail("user_not_found");
    },

    "conversations.history": (c: Ctx) => {
      const channel = str(c.args.channel) ?? "";
      if (!c.team.channels.has(channel) && !c.team.ims.has(channel)) return fail("channel_not_found");
      const inclusive = flag(c.args.inclusive);
      const oldest = micros(str(c.args.oldest));
      const latest = micros(str(c.args.latest));
      const cursor = micros(
        Buffer.from(str(c.args.cursor) ?? "", "base64")
          .toString()
          .replace(/^next_ts:/, ""),
      );
      const limit = Math.min(Math.max(Number(str(c.args.limit) ?? 100) || 100, 1), 999);
      const matching = c.s.messages
        .filter((m) => m.teamId === c.team.ws.teamId && m.channel === channel)
        .map((m) => ({ message: m.message, at: micros(m.message.ts) ?? 0n }))
        .filter(({ at }) => oldest === undefined || at > oldest || (inclusive && at === oldest))
        .filter(({ at }) => latest === undefined || at < latest || (inclusive && at === latest))
        .filter(({ at }) => cursor === undefined || at <= cursor)
        .reverse();
      const page = matching.slice(0, limit);
      const next = matching[limit];
      const withMetadata = flag(c.args.include_all_metadata);
      return {
        ok: true,
        messages: page.map(({ message: { metadata, ...rest } }) =>
          withMetadata && metadata ? { ...rest, metadata } : rest,
        ),
        has_more: next !== undefined,
        pin_count: 0,
        ...(next
          ? { response_metadata: { next_cursor: Buffer.from(`next_ts:${next.message.ts}`).toString("base64") } }
          : {}),
      };
    },
  }),
);

/** oauth.v2.access needs no token: the code and the app's client credentials are the authentication. */
function oauthV2Access(s: State, args: Args, basicAuth: string | undefined): SlackBody {
  const [basicId, basicSecret] = basicAuth ? Buffer.from(basicAuth, "base64").toString().split(":") : [];
  if (s.options.clientId && (basicId ?? str(args.client_id)) !== s.options.clientId) return fail("invalid_client_id");
  if (s.options.clientSecret && (basicSecret ?? str(args.client_secret)) !== s.options.clientSecret) {
    return fail("bad_client_secret");
  }
  const code = str(args.code) ?? "";
  const grant = s.codes.get(code);
  const team = grant && s.teams.get(grant.teamId);
  if (!grant || !team) return fail("invalid_code");
  s.codes.delete(code); // codes are single-use
  return oauthV2AccessBody(team.ws, s.appId, grant);
}

// ---------------------------------------------------------------------------------------------
// HTTP

const JSON_FIELDS = ["blocks", "attachments", "view", "metadata"];

function parseArgs(contentType: string | undefined, raw: string, query: URLSearchParams): Args {
  const args: Args = Object.fromEntries(query);
  if (contentType?.split(";")[0]?.trim().toLowerCase() === "application/json") {
    const body: unknown = raw ? JSON.parse(raw) : {};
    if (!isRecord(body)) throw new SyntaxError("not a JSON object");
    Object.assign(args, body);
  } else {
    Object.assign(args, Object.fromEntries(new URLSearchParams(raw)));
  }
  for (const key of JSON_FIELDS) {
    const value = args[key];
    if (typeof value !== "string") continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      // left as the string it was: the method answers the *_format error Slack gives
    }
  }
  return args;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

class FakeSlackServer implements FakeSlack {
  readonly calls: RecordedCall[] = [];
  private readonly state: State;
  private readonly server: Server;
  private readonly failures = new Map<string, Failure[]>();
  private readonly holds = new Map<string, { reached: (call: RecordedCall) => void; released: Promise<void> }[]>();
  private readonly delays = new Map<string, () => number>();
  private readonly listeners = new Set<(call: RecordedCall) => void>();
  private origin = "";

  constructor(options: FakeSlackOptions) {
    this.state = new State(options);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" }).end(`fake Slack failed: ${String(error)}`);
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
  }

  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  addWorkspace(ws: FakeWorkspace): void {
    this.state.teams.set(ws.teamId, {
      ws,
      users: new Map((ws.users ?? []).map((u) => [u.id, u])),
      channels: new Map((ws.channels ?? []).map((c) => [c.id, c])),
      ims: new Map(),
    });
    this.state.tokens.set(ws.botToken, ws.teamId);
    this.state.revoked.delete(ws.botToken);
  }

  addOAuthCode(code: string, grant: OAuthGrant): void {
    if (!this.state.teams.has(grant.teamId)) throw new Error(`addOAuthCode: add workspace ${grant.teamId} first`);
    this.state.codes.set(code, grant);
  }

  revokeToken(token: string): void {
    this.state.revoked.add(token);
  }

  addSocketModeApp(appToken: string, url: string): void {
    this.state.socketModeUrls.set(appToken, url);
  }

  responseUrl(id: string): string {
    return `${this.origin}/response/${encodeURIComponent(id)}`;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  waitFor(method: string, predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = 5000) {
    const matches = (call: RecordedCall) => {
      try {
        return call.method === method && predicate(call);
      } catch {
        return false;
      }
    };
    const seen = this.calls.find(matches);
    if (seen) return Promise.resolve(seen);
    return new Promise<RecordedCall>((resolve, reject) => {
      const listener = (call: RecordedCall) => {
        if (!matches(call)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(call);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        const made = this.callsTo(method).map((call) => JSON.stringify(call.args).slice(0, 200));
        reject(
          new Error(`waitFor(${method}): no matching call within ${timeoutMs} ms; calls to it: [${made.join(", ")}]`),
        );
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }

  failNext(method: string, failure: Failure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(...Array.from({ length: times }, () => failure));
    this.failures.set(method, queue);
  }

  holdNext(method: string) {
    let reached: (call: RecordedCall) => void = () => {};
    let release: () => void = () => {};
    const hold = {
      reached: new Promise<RecordedCall>((resolve) => (reached = resolve)),
      released: new Promise<void>((resolve) => (release = resolve)),
    };
    this.holds.set(method, [...(this.holds.get(method) ?? []), { reached, released: hold.released }]);
    return { reached: hold.reached, release };
  }

  delayAnswers(method: string, delayMs: () => number): void {
    this.delays.set(method, delayMs);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.origin);
    const method = url.pathname.startsWith("/api/")
      ? decodeURIComponent(url.pathname.slice("/api/".length))
      : url.pathname.startsWith("/response/")
        ? "response_url"
        : undefined;
    if (!method) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not a Slack URL");
      return;
    }
    const raw = await readBody(req);
    const authorization = req.headers.authorization ?? "";
    let args: Args = {};
    let parsed = true;
    try {
      args = parseArgs(req.headers["content-type"], raw, url.searchParams);
    } catch {
      parsed = false;
    }
    const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1] ?? str(args.token);
    delete args.token;
    const teamId =
      (token && this.state.tokens.get(token)) ||
      (method === "oauth.v2.access" ? this.state.codes.get(str(args.code) ?? "")?.teamId : undefined);

    const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
    const failure = this.failures.get(method)?.shift();
    let status = 200;
    let response: SlackBody;
    if (!parsed) {
      response = fail("invalid_json");
    } else if (failure?.status === 429) {
      [status, response] = [429, fail("ratelimited")];
      headers["retry-after"] = String(failure.retryAfter);
    } else if (failure && failure.status !== 200) {
      [status, response] = [failure.status, fail("internal_error")];
    } else if (failure) {
      response = fail(failure.error);
    } else {
      response = this.answer(method, args, token, authorization);
    }
    const call: RecordedCall = { method, path: url.pathname, token, teamId, args, at: new Date(), status, response };
    const hold = this.holds.get(method)?.shift();
    if (hold) {
      this.calls.push(call);
      for (const listener of [...this.listeners]) listener(call);
      hold.reached(call);
      await hold.released;
      if (!res.destroyed) res.writeHead(status, headers).end(JSON.stringify(response));
      return;
    }
    const delay = this.delays.get(method)?.() ?? 0;
    if (delay > 0) {
      this.calls.push(call);
      for (const listener of [...this.listeners]) listener(call);
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (!res.destroyed) res.writeHead(status, headers).end(JSON.stringify(response));
      return;
    }
    res.writeHead(status, headers).end(JSON.stringify(response));
    this.calls.push(call);
    for (const listener of [...this.listeners]) listener(call);
  }

  private answer(method: string, args: Args, token: string | undefined, authorization: string): SlackBody {
    if (method === "response_url") return messageProblem(args) ?? { ok: true };
    if (method === "apps.connections.open") {
      // Called with the app-level token, which belongs to the app, not to a workspace.
      const url = token ? this.state.socketModeUrls.get(token) : undefined;
      return url ? { ok: true, url } : fail(token ? "invalid_auth" : "not_authed");
    }
    if (method === "oauth.v2.access") {
      return oauthV2Access(this.state, args, /^Basic\s+(.+)$/i.exec(authorization)?.[1]);
    }
    const run = methods.get(method);
    if (!run) return fail("unknown_method");
    if (!token) return fail("not_authed");
    if (this.state.revoked.has(token)) return fail("token_revoked");
    const team = this.state.teams.get(this.state.tokens.get(token) ?? "");
    if (!team) return fail("invalid_auth");
    return run({ s: this.state, args, team });
  }
}
