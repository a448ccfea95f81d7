import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { logTouch, parseCommand, type TouchCommand } from "@touchpoint/core";
import { chooseContact, commandProblem, problem, touchLogged, unknownContact } from "../../blocks/touch.js";
import { PENDING_FOR_MS, type SlackDeps, tenantOf } from "../../deps.js";
import { ephemeral } from "./reply.js";

/** A touch waiting for "which Jane?" or "Create contact": everything needed to log it later. */
export interface PendingTouch {
  readonly command: TouchCommand;
  readonly sourceRef: string;
  readonly responseUrl: string;
}
export const PENDING_TOUCH = "slack_touch";

/**
 * `/touch <who> [note]`. The touch is committed before the confirmation is sent, so a confirmed
 * touch is never lost; the trigger id makes a redelivered command log nothing twice.
 */
export function touchCommand(deps: SlackDeps) {
  return async ({ command, ack, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const tenantId = tenantOf(context);
    const parsed = parseCommand("/touch", command.text);
    if (!parsed.ok) return ack(ephemeral(commandProblem(parsed.error)));
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
    if (logged.ok) return ack(ephemeral(touchLogged(logged.value, deps.clock.now(), logged.value.timeZone)));

    const error = logged.error;
    if (error.kind === "validation") return ack(ephemeral(problem(error.message)));
    const pending: PendingTouch = { command: touch, sourceRef, responseUrl: command.response_url };
    const pendingId = await deps.storage.withTenant(tenantId, (repos) =>
      repos.pendingActions.put(PENDING_TOUCH, pending, new Date(deps.clock.now().getTime() + PENDING_FOR_MS)),
    );
    return ack(
      ephemeral(
        error.kind === "unknown_contact"
          ? unknownContact(touch.who.raw, pendingId, touch.who)
          : chooseContact(touch.who.raw, error.candidates, pendingId),
      ),
    );
  };
}
