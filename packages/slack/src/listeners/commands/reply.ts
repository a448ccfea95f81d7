import type { Block, SlackMessage } from "../../blocks/text.js";

/** A slash command's answer, seen only by whoever typed it. */
export function ephemeral(reply: SlackMessage): { response_type: "ephemeral"; text: string; blocks: Block[] } {
  return { response_type: "ephemeral", text: reply.text, blocks: reply.blocks };
}
