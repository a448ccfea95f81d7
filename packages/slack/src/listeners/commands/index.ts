import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { routes } from "../route.js";
import { contactCommand } from "./contact.js";
import { nudgesCommand } from "./nudges.js";
import { touchCommand } from "./touch.js";
import { touchpointCommand } from "./touchpoint.js";

export function registerCommands(app: App, deps: SlackDeps): void {
  const commands = routes({
    "/touch": touchCommand(deps),
    "/contact": contactCommand(deps),
    "/nudges": nudgesCommand(deps),
    "/touchpoint": touchpointCommand(deps),
  });
  app.command(commands.pattern, (args) => commands.handler(args.command.command)(args));
}
