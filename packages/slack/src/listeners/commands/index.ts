import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { type Routes, routes } from "../route.js";
import { contactCommand } from "./contact.js";
import { nudgesCommand } from "./nudges.js";
import { touchCommand } from "./touch.js";
import { touchpointCommand } from "./touchpoint.js";

export type CommandListener = (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => Promise<void>;

/** The slash commands, by name. */
export function commandListeners(deps: SlackDeps): Routes<CommandListener> {
  return routes<CommandListener>({
    "/touch": touchCommand(deps),
    "/contact": contactCommand(deps),
    "/nudges": nudgesCommand(deps),
    "/touchpoint": touchpointCommand(deps),
  });
}
