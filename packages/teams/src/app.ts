import type { Activity, TurnContext } from "botbuilder";
import { createAdapter, type TeamsCredentials } from "./adapter.js";
import { TouchpointBot } from "./bot.js";
import type { TeamsDeps } from "./deps.js";
import { messagesRoute, type RouteHandler } from "./http.js";
import { apologize } from "./saved.js";

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
  // Replies are sent once each and given up after 10 s, as nudges are: a 500 after Teams took a
  // confirmation must not post it again (botbuilder's pipeline would, up to three times), and a
  // connector that never answers must not hold the turn. saved.ts tells the person what a failed
  // reply had saved.
  const adapter = createAdapter(options.credentials);
  const bot = new TouchpointBot(deps, {
    // env.ts allows unauthenticated Teams only in development or tests, on a loopback address.
    acceptEmulator: options.credentials.kind === "unauthenticated",
  });

  // A turn that throws (a handler, or a reply the connector refused) is logged and the person
  // told what it saved, if anything (saved.ts): each use case commits whole or not at all, and
  // a save whose confirmation failed is said as saved, so nobody sends it again.
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const activity: Partial<Activity> = context.activity;
    deps.logger.error({ err: error, activityType: activity.type, activityId: activity.id }, "a Teams handler failed");
    if (activity.type !== "message") return;
    await apologize(deps, context);
  };

  const route = messagesRoute(
    (req, res, logic) => adapter.process(req, res, logic),
    (context) => bot.run(context),
  );
  return { routes: new Map([[`POST ${MESSAGES_PATH}`, route]]) };
}
