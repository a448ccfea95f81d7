import type { Context, RespondFn } from "@slack/bolt";
import { NOTHING_SAVED, nothingOfThisSaved, type SavedWork, takeUnconfirmedSaves } from "@touchpoint/core";
import { type Block, message, type SlackMessage, section } from "../../blocks/text.js";
import { ledBy, problem, unconfirmedSaves, unconfirmedSavesBlocks } from "../../blocks/touch.js";
import type { SlackDeps } from "../../deps.js";
import { confirmOrKeep, failureOf, keepForNextCommand } from "../saved.js";

type Ephemeral = { response_type: "ephemeral"; text: string; blocks: Block[] };

/** A slash command's answer, seen only by whoever typed it. */
export function ephemeral(reply: SlackMessage): Ephemeral {
  return { response_type: "ephemeral", text: reply.text, blocks: reply.blocks };
}

/** Slack gives a command 3 seconds; past this, answer "on it" and send the result when it's ready. */
const ANSWER_WITHIN_MS = 2500;

/** What a command's work records as it commits, for the answer to say should the rest fail. */
export type RecordSaved = (...saved: SavedWork[]) => void;

/** Who typed the command: the tenant (unknown when the installation isn't) and the Slack user. */
export interface Typist {
  readonly tenantId: string | undefined;
  readonly userId: string;
}

export function typist(context: Context, userId: string): Typist {
  return { tenantId: typeof context.tenantId === "string" ? context.tenantId : undefined, userId };
}

/**
 * The answer, and what it says was saved (so that, should it not arrive, the saves are kept):
 * led by earlier saves whose confirmation never arrived; a failure after a save said as saved,
 * never as "nothing was saved".
 */
function answerOf(
  reply: SlackMessage | undefined,
  earlier: readonly SavedWork[],
  saved: readonly SavedWork[],
): SlackMessage {
  if (reply) return ledBy(earlier, reply);
  const unconfirmed = [...earlier, ...saved];
  if (saved.length > 0) return unconfirmedSaves(unconfirmed);
  const failed = problem(earlier.length > 0 ? nothingOfThisSaved("command") : NOTHING_SAVED);
  return earlier.length > 0 ? message(failed.text, [...unconfirmedSavesBlocks(earlier), ...failed.blocks]) : failed;
}

/**
 * Runs a command's work and acks with its answer, so what the answer confirms is committed first.
 * Should the work outlast Slack's patience, the ack says it is still saving and the answer
 * follows through response_url: a slow database never makes someone retype (and log) it twice.
 * The answer leads with saves of earlier commands whose confirmation never arrived; if this one's
 * can't be delivered, what it saved (and those) are kept for the next.
 */
export async function answer(
  deps: SlackDeps,
  slack: { ack: (reply?: Ephemeral) => Promise<void>; respond: RespondFn; typist: Typist },
  work: (recordSaved: RecordSaved) => Promise<SlackMessage>,
): Promise<void> {
  const { tenantId, userId } = slack.typist;
  const saved: SavedWork[] = [];
  const earlier: Promise<readonly SavedWork[]> = tenantId
    ? takeUnconfirmedSaves(deps, { tenantId, userId }).catch((error: unknown) => {
        deps.logger.warn({ err: error }, "could not read a Slack user's unconfirmed saves");
        return [];
      })
    : Promise.resolve([]);
  const result = Promise.all([
    work((...more) => saved.push(...more)).catch((error: unknown) => {
      deps.logger.error({ err: error, unconfirmedSaves: saved.length }, "a Slack command failed");
      return undefined;
    }),
    earlier,
  ]).then(([reply, before]) => ({ reply: answerOf(reply, before, saved), unconfirmed: [...before, ...saved] }));

  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ANSWER_WITHIN_MS);
  });
  const first = await Promise.race([result, late]);
  clearTimeout(timer);
  const person = tenantId ? { tenantId, userId } : undefined;
  const deliver = async (done: Awaited<typeof result>, send: () => Promise<unknown>): Promise<void> => {
    if (person) return confirmOrKeep(deps, person, done.unconfirmed, send);
    await send();
  };
  if (first !== "late") return deliver(first, () => slack.ack(ephemeral(first.reply)));
  try {
    await slack.ack(ephemeral(message("Saving…", [section(":hourglass_flowing_sand: Saving…")])));
  } catch (error) {
    // Slack never heard back: keep whatever the work saves, for the next command to say.
    deps.logger.warn({ failure: failureOf(error) }, "could not ack a Slack command");
    const done = await result;
    if (person) await keepForNextCommand(deps, person, done.unconfirmed);
    throw error;
  }
  const done = await result;
  await deliver(done, () => slack.respond({ replace_original: true, ...ephemeral(done.reply) }));
}
