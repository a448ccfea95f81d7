import type { RespondFn } from "@slack/bolt";
import { type Block, message, type SlackMessage, section } from "../../blocks/text.js";
import { problem } from "../../blocks/touch.js";
import type { SlackDeps } from "../../deps.js";

type Ephemeral = { response_type: "ephemeral"; text: string; blocks: Block[] };

/** A slash command's answer, seen only by whoever typed it. */
export function ephemeral(reply: SlackMessage): Ephemeral {
  return { response_type: "ephemeral", text: reply.text, blocks: reply.blocks };
}

/** Slack gives a command 3 seconds; past this, answer "on it" and send the result when it's ready. */
const ANSWER_WITHIN_MS = 2500;

/**
 * Runs a command's work and acks with its answer, so what the answer confirms is committed first.
 * Should the work outlast Slack's patience, the ack says it is still saving and the answer
 * follows through response_url: a slow database never makes someone retype (and log) it twice.
 */
export async function answer(
  deps: SlackDeps,
  slack: { ack: (reply?: Ephemeral) => Promise<void>; respond: RespondFn },
  work: () => Promise<SlackMessage>,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ANSWER_WITHIN_MS);
  });
  const result = work().catch((error: unknown) => {
    deps.logger.error({ err: error }, "a Slack command failed");
    return problem("Something went wrong and nothing was saved; please try again in a minute.");
  });
  const first = await Promise.race([result, late]);
  clearTimeout(timer);
  if (first !== "late") return slack.ack(ephemeral(first));
  await slack.ack(ephemeral(message("Saving…", [section(":hourglass_flowing_sand: Saving…")])));
  await slack.respond({ replace_original: true, ...ephemeral(await result) });
}
