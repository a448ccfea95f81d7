/**
 * Adaptive Cards 1.5, the subset Touchpoint draws with: text, facts and Action.Submit buttons. Teams
 * renders them on every client; the builders keep every card inside the documented schema, so a
 * card a person sees is never one Teams refused.
 */

export const CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
export const CARD_VERSION = "1.5";
export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

export interface TextBlock {
  readonly type: "TextBlock";
  readonly text: string;
  readonly wrap: true;
  readonly weight?: "Bolder";
  readonly size?: "Medium" | "Large";
  readonly color?: "Attention" | "Good" | "Warning";
  readonly isSubtle?: true;
  readonly spacing?: "Small" | "Medium";
}

export interface FactSet {
  readonly type: "FactSet";
  readonly facts: readonly { readonly title: string; readonly value: string }[];
}

export interface TextInput {
  readonly type: "Input.Text";
  readonly id: string;
  readonly label: string;
  readonly placeholder?: string;
  readonly value?: string;
  readonly isRequired?: true;
  readonly errorMessage?: string;
  readonly maxLength?: number;
}

export type CardElement = TextBlock | FactSet | TextInput;

export interface SubmitAction {
  readonly type: "Action.Submit";
  readonly title: string;
  /** Comes back as the activity's `value`, with the card's inputs beside it. */
  readonly data: { readonly action: string } & Readonly<Record<string, string>>;
  readonly style?: "positive" | "destructive";
}

export interface AdaptiveCard {
  readonly type: "AdaptiveCard";
  readonly $schema: typeof CARD_SCHEMA;
  readonly version: typeof CARD_VERSION;
  /** What notifications and screen readers say for the card. */
  readonly fallbackText: string;
  readonly body: readonly CardElement[];
  readonly actions?: readonly SubmitAction[];
}

/** Teams' practical limits: a message is at most about 28 KB, and a card this size is unreadable long before. */
export const LIMITS = { text: 2000, fact: 500, actions: 6, title: 60 } as const;

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function card(fallbackText: string, body: CardElement[], actions: SubmitAction[] = []): AdaptiveCard {
  return {
    type: "AdaptiveCard",
    $schema: CARD_SCHEMA,
    version: CARD_VERSION,
    fallbackText: truncate(fallbackText, LIMITS.text),
    body,
    ...(actions.length > 0 && { actions: actions.slice(0, LIMITS.actions) }),
  };
}

export function text(value: string, style: Omit<TextBlock, "type" | "text" | "wrap"> = {}): TextBlock {
  return { type: "TextBlock", text: truncate(value, LIMITS.text), wrap: true, ...style };
}

export function heading(value: string): TextBlock {
  return text(value, { weight: "Bolder", size: "Medium" });
}

export function subtle(value: string): TextBlock {
  return text(value, { isSubtle: true, spacing: "Small" });
}

/** Facts with an empty value are left out: a card says what is known, not "none". */
export function facts(entries: readonly (readonly [string, string | null | undefined])[]): FactSet {
  return {
    type: "FactSet",
    facts: entries
      .filter((entry): entry is readonly [string, string] => Boolean(entry[1]))
      .map(([title, value]) => ({ title, value: truncate(value, LIMITS.fact) })),
  };
}

export function submit(title: string, data: SubmitAction["data"], style?: SubmitAction["style"]): SubmitAction {
  return { type: "Action.Submit", title: truncate(title, LIMITS.title), data, ...(style && { style }) };
}

export function textInput(input: Omit<TextInput, "type">): TextInput {
  return { type: "Input.Text", ...input };
}

/** A quoted note, one line, short enough to scan on a phone. */
export function quoteNote(note: string | null, max = 300): string {
  if (!note) return "";
  return ` “${truncate(note.replace(/\s+/g, " "), max)}”`;
}
