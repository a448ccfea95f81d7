import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { listRelationships, parseCommand } from "@touchpoint/core";
import { relationshipsDue } from "../../blocks/contact.js";
import { commandProblem } from "../../blocks/touch.js";
import { fromSlack, type SlackDeps, tenantOf } from "../../deps.js";
import { answer } from "./reply.js";

/** `/nudges`: who is going cold, privately, now (the full daily nudge replaces this when it exists). */
export function nudgesCommand(deps: SlackDeps) {
  return async ({ command, ack, respond, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) =>
    answer(deps, { ack, respond }, async () => {
      const parsed = parseCommand("/nudges", fromSlack(command.text));
      if (!parsed.ok) return commandProblem(parsed.error);
      return relationshipsDue(await listRelationships(deps, { tenantId: tenantOf(context) }), deps.clock.now());
    });
}
