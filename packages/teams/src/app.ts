import type { Activity, TurnContext } from "botbuilder";
import { createAdapter, type TeamsCredentials } from "./adapter.js";
import { TouchpointBot } from "./bot.js";
import { replyWith } from "./cards/send.js";
import { problem } from "./cards/touch.js";
import type { TeamsDeps } from "./deps.js";
import { messagesRoute, type RouteHandler } from "./http.js";

export const MESSAGES_PATH = "/api/messages";

export interface TeamsAppOptions {
  readonly credentials: TeamsCredentials;
  readonly deps: TeamsDeps;
}

export interface TeamsApp {
  /** "POST /api/messages", for the server to mount. */
  readonly routes: ReadonlyMap<string, RouteHandler>;
}

/**
 * The Teams face of Touchpoint: botbuilder's CloudAdapter (JWT checks, replies through the
 * Bot Framework connector) running Touchpoint's bot, over the core's ports.
 */
export function createTeamsApp(options: TeamsAppOptions): TeamsApp {
  const { deps } = options;
  const adapter = createAdapter(options.credentials);
  const bot = new TouchpointBot(deps, {
    // env.ts allows unauthenticated Teams only in development or tests, on a loopback address.
    acceptEmulator: options.credentials.kind === "unauthenticated",
  });

  // A handler that throws is logged and the person told; each use case commits whole or not at all.
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const activity: Partial<Activity> = context.activity;
    deps.logger.error({ err: error, activityType: activity.type, activityId: activity.id }, "a Teams handler failed");
    if (activity.type !== "message") return;
    try {
      await replyWith(context, problem("Something went wrong and nothing was saved; please try again in a minute."));
    } catch (replyError) {
      deps.logger.warn({ err: replyError }, "could not tell a Teams user their message failed");
    }
  };

  const route = messagesRoute(
    (req, res, logic) => adapter.process(req, res, logic),
    (context) => bot.run(context),
  );
  return { routes: new Map([[`POST ${MESSAGES_PATH}`, route]]) };
}
