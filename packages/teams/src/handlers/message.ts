import { type ChatCommand, parseMessage } from "@touchpoint/core";
import { TurnContext } from "botbuilder";
import { cardAction, isCardAction } from "../actions/index.js";
import type { AdaptiveCard } from "../cards/card.js";
import { notInTeamsYet } from "../cards/help.js";
import { replyWith } from "../cards/send.js";
import { commandProblem } from "../cards/touch.js";
import { commandText, type TeamsDeps } from "../deps.js";
import { deliverAnswer, takeEarlierSaves } from "../saved.js";
import { type Turn, tenantTurn } from "../turn.js";
import { COMMANDS, type CommandHandler, commandName } from "./commands.js";

/**
 * A message to the bot: a command typed in a personal chat or after an @mention in a channel, or a
 * card's button pressed (Action.Submit arrives as a message with a `value` and no text). Messages
 * from an organization that hasn't installed Touchpoint are answered and nothing is written.
 * Whatever a handler saves it records (saved.ts) before the answer is sent, so a failed answer
 * is apologized for as saved, never as "nothing was saved".
 */
export async function onMessage(deps: TeamsDeps, context: TurnContext): Promise<void> {
  const found = await tenantTurn(deps, context);
  if (!found.ok) return replyWith(context, found.reply);
  const { turn } = found;
  // What an earlier message saved but couldn't say: this answer leads with it.
  await takeEarlierSaves(deps, turn);
  const { value } = context.activity;
  const answer = isCardAction(value)
    ? await cardAction(deps, turn, value)
    : { replies: [await runCommand(deps, turn)] };
  await deliverAnswer(turn, answer);
}

async function runCommand(deps: TeamsDeps, turn: Turn): Promise<AdaptiveCard> {
  const text = commandText(turn.context.activity, (activity) => TurnContext.removeRecipientMention(activity));
  const parsed = parseMessage(text);
  if (!parsed.ok) return commandProblem(parsed.error);
  const command = parsed.value;
  const handler = COMMANDS[command.kind] as CommandHandler<ChatCommand["kind"]> | undefined;
  return handler ? handler(deps, turn, command) : notInTeamsYet(commandName(command.kind));
}
