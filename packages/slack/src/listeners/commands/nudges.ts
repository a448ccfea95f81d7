import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { listRelationships, parseCommand } from "@touchpoint/core";
import { relationshipsDue } from "../../blocks/contact.js";
import { commandProblem } from "../../blocks/touch.js";
import { type SlackDeps, tenantOf } from "../../deps.js";
import { ephemeral } from "./reply.js";

/** `/nudges`: who is going cold, privately, now (the full daily nudge replaces this when it exists). */
export function nudgesCommand(deps: SlackDeps) {
  return async ({ command, ack, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const parsed = parseCommand("/nudges", command.text);
    if (!parsed.ok) return ack(ephemeral(commandProblem(parsed.error)));
    const overview = await listRelationships(deps, { tenantId: tenantOf(context) });
    return ack(ephemeral(relationshipsDue(overview, deps.clock.now())));
  };
}
