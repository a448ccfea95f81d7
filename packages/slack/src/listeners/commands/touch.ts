import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { holdPendingTouch, logTouch, parseCommand, savedTouch } from "@touchpoint/core";
import { chooseContact, commandProblem, problem, touchLogged, unknownContact } from "../../blocks/touch.js";
import { fromSlack, type SlackDeps, tenantOf } from "../../deps.js";
import { answer, typist } from "./reply.js";

/**
 * `/touch <who> [note]`. The touch is committed before the confirmation is sent, so a confirmed
 * touch is never lost; the trigger id makes a redelivered command log nothing twice.
 */
export function touchCommand(deps: SlackDeps) {
  return async ({ command, ack, respond, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) =>
    answer(deps, { ack, respond, typist: typist(context, command.user_id) }, async (recordSaved) => {
      const tenantId = tenantOf(context);
      const parsed = parseCommand("/touch", fromSlack(command.text));
      if (!parsed.ok) return commandProblem(parsed.error);
      if (parsed.value.kind !== "touch") throw new Error("/touch parsed as something else");
      const touch = parsed.value;
      const sourceRef = `slack:${command.team_id}:${command.trigger_id}`;

      const logged = await logTouch(deps, {
        tenantId,
        ...touch,
        loggedBy: command.user_id,
        source: "slack",
        sourceRef,
      });
      if (logged.ok) {
        recordSaved(savedTouch(logged.value.touchpoint, logged.value.contact));
        return touchLogged(logged.value, deps.clock.now(), logged.value.timeZone);
      }
      const error = logged.error;
      if (error.kind === "validation") return problem(error.message);

      const pendingId = await holdPendingTouch(deps, {
        tenantId,
        pending: { command: touch, sourceRef, replyTo: command.response_url },
      });
      return error.kind === "unknown_contact"
        ? unknownContact(touch.who.raw, pendingId, touch.who)
        : chooseContact(touch.who.raw, error.candidates, pendingId);
    });
}
