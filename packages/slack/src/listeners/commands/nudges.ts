import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { composeDigest, parseCommand } from "@touchpoint/core";
import { digestMessage } from "../../blocks/digest.js";
import { commandProblem, problem } from "../../blocks/touch.js";
import { fromSlack, type SlackDeps, tenantOf } from "../../deps.js";
import { answer, typist } from "./reply.js";

/** `/nudges`: today's nudge, privately, now, from the same composer as the morning post. */
export function nudgesCommand(deps: SlackDeps) {
  return async ({ command, ack, respond, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) =>
    answer(deps, { ack, respond, typist: typist(context, command.user_id) }, async () => {
      const parsed = parseCommand("/nudges", fromSlack(command.text));
      if (!parsed.ok) return commandProblem(parsed.error);
      const digest = await composeDigest(deps, { tenantId: tenantOf(context) });
      return digest.ok ? digestMessage(digest.value) : problem(digest.error.message);
    });
}
