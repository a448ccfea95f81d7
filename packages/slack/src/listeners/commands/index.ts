import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { contactCommand } from "./contact.js";
import { nudgesCommand } from "./nudges.js";
import { touchCommand } from "./touch.js";
import { touchpointCommand } from "./touchpoint.js";

export function registerCommands(app: App, deps: SlackDeps): void {
  app.command("/touch", touchCommand(deps));
  app.command("/contact", contactCommand(deps));
  app.command("/nudges", nudgesCommand(deps));
  app.command("/touchpoint", touchpointCommand(deps));
}
