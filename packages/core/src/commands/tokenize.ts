import { err, ok, type Result } from "../result.js";

export interface Token {
  /** The text with quotes removed: `segment:"major donor"` reads `segment:major donor`. */
  readonly value: string;
  /** As typed, quotes included. */
  readonly raw: string;
  readonly quoted: boolean;
  readonly end: number;
}

const OPENING_QUOTES: Readonly<Record<string, string>> = { '"': '"', "“": "”", "„": "“", "«": "»" };
const CLOSING_QUOTES = new Set(['"', "”", "“", "»"]);

/**
 * Reads one shell-like token starting at `from`: whitespace separates tokens, double quotes
 * (straight or the curly ones phones type) group words. Returns undefined at the end of input.
 */
export function nextToken(text: string, from: number): Result<Token | undefined, string> {
  let i = from;
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  if (i >= text.length) return ok(undefined);
  const start = i;
  let value = "";
  let quoted = false;
  while (i < text.length && !/\s/.test(text[i] as string)) {
    const ch = text[i] as string;
    const close = OPENING_QUOTES[ch];
    if (close !== undefined) {
      quoted = true;
      let j = i + 1;
      while (j < text.length && text[j] !== close && !(close !== '"' && CLOSING_QUOTES.has(text[j] as string))) j++;
      if (j >= text.length) return err(`a quote opened at ${JSON.stringify(text.slice(i, i + 20))} is never closed`);
      value += text.slice(i + 1, j);
      i = j + 1;
    } else {
      value += ch;
      i++;
    }
  }
  return ok({ value, raw: text.slice(start, i), quoted, end: i });
}

export function tokenize(text: string): Result<Token[], string> {
  const tokens: Token[] = [];
  let at = 0;
  for (;;) {
    const next = nextToken(text, at);
    if (!next.ok) return next;
    if (next.value === undefined) return ok(tokens);
    tokens.push(next.value);
    at = next.value.end;
  }
}
