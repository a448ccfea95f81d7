import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { App, type Context, HTTPReceiver, type Installation, type LogLevel, SocketModeReceiver } from "@slack/bolt";
import { installApp } from "@touchpoint/core";
import { getStarted } from "./blocks/get-started.js";
import { escapeMrkdwn, message, section } from "./blocks/text.js";
import { installationKey, type SlackDeps } from "./deps.js";
import { slackInstallationStore, type TenantCache } from "./installation-store.js";
import { touchpointListeners } from "./listeners/index.js";
import { boltLogger } from "./logger.js";

/** Exactly the bot scopes the listeners use; the manifest asks for these and no more. */
/**
 * chat:write posts (to a user id: their direct message); the history scopes, and im:write to find an
 * owner's direct message, let the nudge sender find its own message before it posts again.
 */
export const BOT_SCOPES = [
  "commands",
  "chat:write",
  "users:read",
  "channels:history",
  "groups:history",
  "im:history",
  "im:write",
] as const;
export const SLASH_COMMANDS = ["/touch", "/contact", "/nudges", "/touchpoint"] as const;
export const BOT_EVENTS = ["app_home_opened", "app_uninstalled", "tokens_revoked"] as const;

export const EVENTS_PATH = "/slack/events";
export const INSTALL_PATH = "/slack/install";
export const REDIRECT_PATH = "/slack/oauth_redirect";

/** Slack's payloads are a few kilobytes; anything near this is not Slack. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface SlackAppOptions {
  readonly signingSecret: string;
  /** The Web API base (SLACK_API_URL): Slack's, a proxy's, or a test's fake. */
  readonly apiUrl: string;
  readonly credentials:
    | {
        readonly kind: "oauth";
        readonly clientId: string;
        readonly clientSecret: string;
        readonly stateSecret: string;
        readonly redirectUri: string;
      }
    | { readonly kind: "token"; readonly botToken: string };
  /** Socket Mode (SLACK_APP_TOKEN), for local development without a public URL; with a bot token only. */
  readonly appToken?: string;
  readonly deps: SlackDeps;
  /** Web API retries; tests set 0 so a failure shows at once. */
  readonly webApiRetries?: number;
  /** Bolt's and the SDKs' level (their debug lines are per request, so they are skipped unless asked for). */
  readonly logLevel?: LogLevel;
}

export interface SlackApp {
  readonly app: App;
  /** "POST /slack/events" and, with OAuth, the install routes: for the server to mount. Empty in Socket Mode. */
  readonly routes: ReadonlyMap<string, RequestListener>;
  /** Direct-messages each Touchpoint admin of a Slack tenant (nothing when it isn't installed in Slack). */
  tellAdmins(tenantId: string, text: string): Promise<void>;
  /** Single-workspace mode records its workspace; Socket Mode connects. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Slack face of Touchpoint: Bolt's own request handling (signature checks, OAuth, acks) with
 * Touchpoint's listeners, over the core's ports. The server mounts its routes on its HTTP server.
 */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { deps, credentials } = options;
  const logger = boltLogger(deps.logger, options.logLevel);
  const clientOptions = {
    slackApiUrl: options.apiUrl,
    // Someone is waiting on most calls; the delivery outbox retries on its own schedule.
    retryConfig: { retries: options.webApiRetries ?? 2 },
    logger,
  };
  const tenants: TenantCache = new Map();
  /** The bot's ids, learned at start() in single-workspace mode. */
  let bot: { botId?: string; botUserId?: string } = {};

  const oauth =
    credentials.kind === "oauth"
      ? {
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          stateSecret: credentials.stateSecret,
          redirectUri: credentials.redirectUri,
          scopes: [...BOT_SCOPES],
          installationStore: slackInstallationStore({
            storage: deps.storage,
            tenants,
            onFirstInstall: (installation, organization) => welcome(installation, organization),
          }),
          installerOptions: {
            installPath: INSTALL_PATH,
            redirectUriPath: REDIRECT_PATH,
            clientOptions,
          },
        }
      : {};
  const receiver = options.appToken
    ? // Socket Mode is for one workspace (env.ts refuses it with OAuth): no install routes to serve.
      new SocketModeReceiver({
        appToken: options.appToken,
        logger,
        autoReconnectEnabled: true,
        installerOptions: { clientOptions },
      })
    : new HTTPReceiver({
        signingSecret: options.signingSecret,
        endpoints: EVENTS_PATH,
        logger,
        ...oauth,
      });

  const app = new App({
    receiver,
    logger,
    clientOptions,
    // No listener keeps conversation state; Bolt's default store would cost every request a lookup.
    convoStore: false,
    // One workspace: the bot's identity comes from start()'s own auth.test (Bolt's `token` option
    // would call auth.test again, on every request when its verification is off).
    ...(credentials.kind === "token" && {
      authorize: async ({ teamId, enterpriseId }) => ({
        botToken: credentials.botToken,
        ...bot,
        ...(teamId && { teamId }),
        ...(enterpriseId && { enterpriseId }),
      }),
    }),
  });

  async function welcome(installation: Installation, organization: string): Promise<void> {
    const token = installation.bot?.token;
    if (!token) return;
    try {
      await app.client.chat.postMessage({ token, channel: installation.user.id, ...getStarted(organization) });
    } catch (error) {
      // The install itself succeeded; a lost welcome is worth a log line, not a failed install.
      deps.logger.warn({ err: error, installer: installation.user.id }, "could not send the get-started DM");
    }
  }

  /** The tenant a workspace's (or Grid organization's) installation belongs to; every listener runs for one. */
  async function tenantFor(context: Context): Promise<string | undefined> {
    const key = installationKey(context);
    if (!key) return undefined;
    let tenantId = tenants.get(key);
    if (!tenantId) {
      tenantId = (await deps.storage.installations.find("slack", key))?.tenantId;
      if (tenantId) tenants.set(key, tenantId);
    }
    return tenantId;
  }
  app.use(touchpointListeners(deps, tenantFor));
  app.error(async (error) => {
    deps.logger.error({ err: error.original ?? error, code: error.code }, "a Slack listener failed");
  });

  const routes = new Map<string, RequestListener>();
  if (receiver instanceof HTTPReceiver) {
    const handle = receiver.requestListener;
    routes.set(`POST ${EVENTS_PATH}`, refuseOversized(handle));
    if (credentials.kind === "oauth") {
      routes.set(`GET ${INSTALL_PATH}`, handle);
      routes.set(`GET ${REDIRECT_PATH}`, handle);
    }
  }

  async function tellAdmins(tenantId: string, text: string): Promise<void> {
    const tenant = await deps.storage.tenants.get(tenantId);
    if (tenant?.platform !== "slack") return;
    const installation = await deps.storage.installations.find("slack", tenant.externalId);
    let token: string | undefined;
    try {
      token = installation && (JSON.parse(installation.secret) as Installation).bot?.token;
    } catch (error) {
      deps.logger.error({ err: error, tenantId }, "a Slack installation's secret does not read");
    }
    // Uninstalled: the tokens are gone and so is anyone to tell.
    if (!token) return;
    const members = await deps.storage.withTenant(tenantId, (r) => r.members.list());
    for (const admin of members.filter((m) => m.role === "admin")) {
      try {
        const reply = message(text, [section(escapeMrkdwn(text))]);
        await app.client.chat.postMessage({ token, channel: admin.platformUserId, ...reply });
      } catch (error) {
        deps.logger.warn({ err: error, tenantId, admin: admin.platformUserId }, "could not tell an admin");
      }
    }
  }

  return {
    app,
    routes,
    tellAdmins,
    async start() {
      if (credentials.kind === "token") bot = await registerWorkspace(app, deps, credentials.botToken, tenants);
      if (receiver instanceof SocketModeReceiver) await app.start();
    },
    async stop() {
      if (receiver instanceof SocketModeReceiver) await app.stop();
    },
  };
}

/** Single-workspace mode has no install flow: the bot token names its workspace, which becomes the tenant. */
async function registerWorkspace(
  app: App,
  deps: SlackDeps,
  botToken: string,
  tenants: TenantCache,
): Promise<{ botId?: string; botUserId?: string }> {
  const auth = await app.client.auth.test({ token: botToken }).catch((error: { data?: { error?: string } }) => {
    throw new Error(`SLACK_BOT_TOKEN: Slack refused it (${error.data?.error ?? String(error)})`);
  });
  const teamId = auth.team_id;
  if (!teamId) throw new Error("SLACK_BOT_TOKEN: Slack's auth.test named no workspace");
  const isEnterpriseInstall = auth.is_enterprise_install === true;
  const key = isEnterpriseInstall && auth.enterprise_id ? auth.enterprise_id : teamId;
  const installed = await installApp(deps, {
    installation: {
      platform: "slack",
      key,
      enterpriseId: auth.enterprise_id ?? null,
      teamId,
      isEnterpriseInstall,
      botUserId: auth.user_id ?? null,
      installedBy: null,
      secret: JSON.stringify({ team: { id: teamId }, bot: { token: botToken, userId: auth.user_id, id: auth.bot_id } }),
    },
    organizationName: auth.team ?? teamId,
    installer: null,
  });
  if (!installed.ok) throw new Error(installed.error.message);
  tenants.set(key, installed.value.tenant.id);
  return { ...(auth.bot_id && { botId: auth.bot_id }), ...(auth.user_id && { botUserId: auth.user_id }) };
}

/** Bolt buffers a request body whole, with no limit; Slack always says how long its bodies are. */
function refuseOversized(handle: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const declared = req.headers["content-length"];
    const length = Number(declared);
    if (declared === undefined || !Number.isInteger(length) || length > MAX_BODY_BYTES) {
      const status = declared === undefined ? 411 : 413;
      res.writeHead(status, { "content-type": "text/plain", connection: "close" });
      res.end(status === 411 ? "Content-Length is required" : `Slack requests are at most ${MAX_BODY_BYTES} bytes`);
      req.resume();
      return;
    }
    handle(req, res);
  };
}
