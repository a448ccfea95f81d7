/**
 * The one rule for text Touchpoint stores, wherever it comes from.
 *
 * - NUL (U+0000): PostgreSQL's `text` cannot hold it; the whole statement fails (SQLSTATE 22021),
 *   and with it a whole CSV import or a whole page of X posts.
 * - A lone UTF-16 surrogate (half of an emoji, from a string cut in the wrong place): JavaScript
 *   holds it, UTF-8 cannot. postgres.js and PGlite both encode it as U+FFFD without a word, so what
 *   comes back is not what was sent, and in jsonb it fails outright.
 * - The other control characters (Unicode's Cc: U+0001–U+001F, U+007F–U+009F), except tab, line
 *   feed and carriage return: PostgreSQL stores them, but they are invisible where people read
 *   them, and printed by the CLI an escape (U+001B) drives the terminal. None has a meaning in a
 *   name, a note or a tag.
 *
 * Where a person typed the text and can fix it (a CSV row, a chat command, a form), it is refused
 * with a message that names the field and where the character is; where nobody can (an X post, an
 * author's profile), the characters are stripped and the rest is kept.
 */

export type UnstorableKind = "nul" | "lone_surrogate" | "control";

/** The first character of a text that Touchpoint does not store. */
export interface UnstorableCharacter {
  readonly kind: UnstorableKind;
  /** Its code point (for a lone surrogate, the surrogate's own code unit). */
  readonly codePoint: number;
  /** Where it is, in UTF-16 code units from the start. */
  readonly index: number;
}

const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;
const isControl = (unit: number) => unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f);

/** What is wrong with the code unit at `index`, and how many units it spans (a pair is two). */
function classify(text: string, index: number): { kind: UnstorableKind | null; width: 1 | 2 } {
  const unit = text.charCodeAt(index);
  if (unit === 0) return { kind: "nul", width: 1 };
  if (unit === TAB || unit === LINE_FEED || unit === CARRIAGE_RETURN) return { kind: null, width: 1 };
  if (isControl(unit)) return { kind: "control", width: 1 };
  if (isHighSurrogate(unit)) {
    return isLowSurrogate(text.charCodeAt(index + 1)) ? { kind: null, width: 2 } : { kind: "lone_surrogate", width: 1 };
  }
  if (isLowSurrogate(unit)) return { kind: "lone_surrogate", width: 1 };
  return { kind: null, width: 1 };
}

/** The first character Touchpoint does not store, or undefined when the text is fine. */
export function findUnstorable(text: string): UnstorableCharacter | undefined {
  for (let index = 0; index < text.length; ) {
    const { kind, width } = classify(text, index);
    if (kind !== null) return { kind, codePoint: text.charCodeAt(index), index };
    index += width;
  }
  return undefined;
}

/** The text without the characters Touchpoint does not store: for text nobody can correct. */
export function stripUnstorable(text: string): string {
  // Most text is clean: hand it back as it is, without building a copy.
  if (findUnstorable(text) === undefined) return text;
  let kept = "";
  for (let index = 0; index < text.length; ) {
    const { kind, width } = classify(text, index);
    if (kind === null) kept += text.slice(index, index + width);
    index += width;
  }
  return kept;
}

/** How much of the text before the character is quoted, so a person can find what they can't see. */
const CONTEXT_LENGTH = 20;

const codePointLabel = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * 'a NUL character (U+0000) after “Met at the gala”': the first character Touchpoint does not store,
 * and where to look for it (it may be invisible); undefined when the text is fine. Each entry point
 * puts it in its own sentence: "line 12: the notes column holds …", "The note holds …".
 */
export function describeUnstorable(text: string): string | undefined {
  const found = findUnstorable(text);
  if (found === undefined) return undefined;
  const label = codePointLabel(found.codePoint);
  const what = {
    nul: `a NUL character (${label})`,
    lone_surrogate: `a broken character (half of a UTF-16 surrogate pair, ${label})`,
    control: `an invisible control character (${label})`,
  }[found.kind];
  const before = Array.from(text.slice(0, found.index).replace(/\s+/g, " ").trimStart());
  if (before.length === 0) return `${what} at the start`;
  const context = before.slice(-CONTEXT_LENGTH).join("");
  // Curly quotes: what is quoted may hold straight ones ("add "Jane" would not read).
  return `${what} after “${before.length > CONTEXT_LENGTH ? "…" : ""}${context}”`;
}

/**
 * At most `max` UTF-16 code units, ending in `ellipsis` when cut, and never cut between the two
 * halves of a surrogate pair (that would leave the lone half this module refuses).
 */
export function truncateText(text: string, max: number, ellipsis = "…"): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - ellipsis.length);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1)) && isLowSurrogate(text.charCodeAt(end))) end--;
  return `${text.slice(0, end)}${ellipsis}`;
}
