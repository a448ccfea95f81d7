import type { types } from "@slack/bolt";

export type Block = types.KnownBlock;
export type Button = types.Button;

/** Slack's documented limits; the renderers never exceed them, whatever a note or a list holds. */
export const LIMITS = {
  blocks: 50,
  viewBlocks: 100,
  text: 3000,
  buttonText: 75,
  value: 2000,
  actionsPerBlock: 25,
  fallbackText: 3000,
} as const;

/** mrkdwn treats &, < and > as markup; people's text must show as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * A link in mrkdwn, `<url|text>`: the URL may hold none of <, > or | (they would end the link or
 * start markup), so those are percent-encoded; the text is escaped like any other.
 */
export function link(url: string, text: string): string {
  const safe = url.replace(/[<>|]/g, (c) => encodeURIComponent(c));
  return `<${safe}|${escapeMrkdwn(text).replace(/\|/g, "¦")}>`;
}

/** `<@U0123>` for a Slack user id; anything else is shown as typed, never as markup. */
export function userMention(userId: string): string {
  return /^[UW][A-Z0-9]{8,}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A section of mrkdwn, cut to Slack's limit (the escaping is applied before cutting). */
export function section(markdown: string): Block {
  return { type: "section", text: { type: "mrkdwn", text: truncate(markdown, LIMITS.text) } };
}

export function context(markdown: string): Block {
  return { type: "context", elements: [{ type: "mrkdwn", text: truncate(markdown, LIMITS.text) }] };
}

export function button(actionId: string, text: string, value: string, style?: "primary" | "danger"): Button {
  if (value.length > LIMITS.value) throw new Error(`button value over ${LIMITS.value} characters`);
  return {
    type: "button",
    action_id: actionId,
    text: { type: "plain_text", text: truncate(text, LIMITS.buttonText), emoji: true },
    value,
    ...(style && { style }),
  };
}

export function actions(elements: Button[], blockId?: string): Block {
  return {
    type: "actions",
    ...(blockId && { block_id: blockId }),
    elements: elements.slice(0, LIMITS.actionsPerBlock),
  };
}

/** A quoted note, one line, short enough to scan on a phone. */
export function quoteNote(note: string | null, max = 300): string {
  if (!note) return "";
  return ` “${escapeMrkdwn(truncate(note.replace(/\s+/g, " "), max))}”`;
}

/** A message for chat.postMessage/respond/ack: the blocks plus the notification text Slack requires. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: Block[];
}

/** `text` is the notification and screen-reader text; Slack reads it as mrkdwn too, so it is escaped. */
export function message(text: string, blocks: Block[]): SlackMessage {
  return { text: truncate(escapeMrkdwn(text), LIMITS.fallbackText), blocks: blocks.slice(0, LIMITS.blocks) };
}
