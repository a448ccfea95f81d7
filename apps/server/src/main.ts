import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { type Clock, DEFAULT_DELIVERY_SETTINGS, DEFAULT_POLL_SETTINGS, systemClock } from "@touchpoint/core";
import { createSlackNotifier } from "@touchpoint/slack";
import { createXSource } from "@touchpoint/x";
import { logDatabaseEvents, type OpenDatabase, openDatabase } from "./database.js";
import { type Env, EnvError, loadEnv } from "./env.js";
import { createMetrics } from "./http/metrics.js";
import { operationsRoutes } from "./http/operations.js";
import { type HttpServer, startHttpServer } from "./http/server.js";
import { byPlatform } from "./jobs/notifiers.js";
import { createNudgeJobs, type NudgeJobs } from "./jobs/nudges.js";
import { createMentionPoller, type MentionPoller } from "./jobs/poll-mentions.js";
import { createLogger, type Logger } from "./logger.js";
import { slackFromEnv } from "./slack.js";
import { teamsFromEnv } from "./teams.js";

/** How long a check with X from chat may take: Slack wants a modal's answer within 3 s. */
const CHAT_X_TIMEOUT_MS = 2_000;

export interface RunningServer {
  readonly http: HttpServer;
  /** The X poller, when the scheduler runs here; tests drive a round with tick() rather than wait for one. */
  readonly poller: MentionPoller | undefined;
  /** The nudge scheduler and sender, when the scheduler runs here and a chat platform is on. */
  readonly nudges: NudgeJobs | undefined;
  stop(): Promise<void>;
}

/**
 * The composition root: database, HTTP routes (and, as they arrive, Slack, Teams and the scheduler).
 * A database handed in (tests) stays open when the server stops; one opened here is closed.
 */
export async function startServer(
  env: Env,
  logger: Logger,
  options: {
    readonly database?: OpenDatabase;
    readonly clock?: Clock;
    /** Tests: 0, so a Web API failure shows at once. */
    readonly slackWebApiRetries?: number;
  } = {},
): Promise<RunningServer> {
  const database = options.database ?? (await openDatabase(env, logDatabaseEvents(logger)));
  const closeDatabase = options.database ? async () => {} : () => database.close();
  try {
    const metrics = createMetrics();
    const deps = { storage: database.storage, clock: options.clock ?? systemClock, logger };
    // A modal waits 3 s for its answer, so chat checks X with a short timeout; the poller waits longer.
    const chatDeps = { ...deps, openXSource: createXSource({ apiUrl: env.X_API_URL, timeoutMs: CHAT_X_TIMEOUT_MS }) };
    const slack = slackFromEnv(env, chatDeps, { webApiRetries: options.slackWebApiRetries });
    await slack?.start();
    const teams = teamsFromEnv(env, chatDeps);
    const routes = new Map([
      ...operationsRoutes({ database: database.handle, metrics, logger }),
      ...(slack?.routes ?? []),
      ...(teams?.app.routes ?? []),
    ]);
    const http = await startHttpServer({ routes, host: env.HOST, port: env.PORT, logger, metrics });
    // The scheduler's jobs run in every replica unless it is HTTP-only; leases keep them apart.
    const poller =
      env.TOUCHPOINT_SCHEDULER === "on"
        ? createMentionPoller({
            ...deps,
            openSource: createXSource({ apiUrl: env.X_API_URL }),
            settings: { ...DEFAULT_POLL_SETTINGS, minIntervalSeconds: env.X_POLL_INTERVAL },
            // The first nudge, with the end of a newly connected account's backfill; the sender posts it.
            welcomeOnBackfill: true,
            ...(slack && { tellAdmins: slack.tellAdmins }),
          })
        : undefined;
    // Accounts are checked for being due every few seconds; each is polled at most every X_POLL_INTERVAL.
    poller?.start(Math.min(env.X_POLL_INTERVAL, 15) * 1000);
    const nudges =
      env.TOUCHPOINT_SCHEDULER === "on" && (slack || teams)
        ? createNudgeJobs({
            ...deps,
            notifier: byPlatform(database.storage, {
              ...(slack && {
                slack: createSlackNotifier({ storage: database.storage, logger, apiUrl: env.SLACK_API_URL }),
              }),
              ...(teams && { teams: teams.notifier }),
            }),
            settings: { ...DEFAULT_DELIVERY_SETTINGS, retrySeconds: env.TOUCHPOINT_DELIVERY_RETRY_SECONDS },
            onOutcome: (outcome) => metrics.nudgeDeliveries.inc({ outcome: outcome.kind }),
          })
        : undefined;
    // Due deliveries are looked for every second: a partial index makes the look cheap.
    nudges?.start(1000);
    logger.info(
      {
        url: http.url,
        database: database.description,
        publicUrl: env.PUBLIC_URL,
        slack: slack ? "on" : "off",
        teams: teams ? (env.TEAMS_APP_ID ? "on" : "on, unauthenticated") : "off",
        scheduler: env.TOUCHPOINT_SCHEDULER,
      },
      "touchpoint is serving",
    );
    return {
      http,
      poller,
      nudges,
      stop: async () => {
        await Promise.all([poller?.stop(), nudges?.stop()]);
        await http.close();
        await slack?.stop();
        await closeDatabase();
      },
    };
  } catch (error) {
    await closeDatabase();
    throw error;
  }
}

/** `pnpm start` / `touchpoint serve`: run until SIGINT or SIGTERM, then drain and exit. */
export async function serve(env: Env, logger: Logger): Promise<void> {
  // Listening for the signal before starting: one that arrives as the server comes up (a
  // supervisor that is quick to stop it) drains it once it is up, instead of killing it mid-start.
  // A second signal (Ctrl-C again, a start that hangs) ends the process at once.
  let signalled: (signal: NodeJS.Signals) => void = () => {};
  const stopping = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(signal === "SIGINT" ? 130 : 143);
    signalled(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const server = await startServer(env, logger);
    const signal = await stopping;
    logger.info({ signal }, "shutting down");
    await server.stop().catch((error: unknown) => logger.error({ err: error }, "shutdown failed"));
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

// `node apps/server/dist/main.js` runs the server directly: the production form of `pnpm start`.
const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  try {
    const env = loadEnv();
    await serve(env, createLogger({ level: env.LOG_LEVEL }));
  } catch (error) {
    // The message only: some errors carry the values (URLs, tokens) that caused them.
    console.error(
      `touchpoint: ${error instanceof EnvError ? `the environment needs fixing:\n  ${error.lines.join("\n  ")}` : (error as Error).message}`,
    );
    process.exitCode = error instanceof EnvError ? 2 : 1;
  }
}
