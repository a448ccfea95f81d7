/**
 * Adaptive Cards 1.5, the subset Touchpoint draws with: text, facts and Action.Submit buttons. Teams
 * renders them on every client; the builders keep every card inside the documented schema, so a
 * card a person sees is never one Teams refused.
 */

export const CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
export const CARD_VERSION = "1.5";
export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

export type Spacing = "None" | "Small" | "Medium" | "Large";

/** Text that Teams reads as a markdown subset: for what Touchpoint writes, not what others wrote. */
export interface TextBlock {
  readonly type: "TextBlock";
  readonly text: string;
  readonly wrap: true;
  readonly weight?: "Bolder";
  readonly size?: "Medium" | "Large";
  readonly color?: "Attention" | "Good" | "Warning";
  readonly isSubtle?: true;
  readonly spacing?: Spacing;
  readonly separator?: true;
}

export interface OpenUrlAction {
  readonly type: "Action.OpenUrl";
  readonly url: string;
}

/** A run of plain text: never read as markdown, so what someone else wrote shows as written. */
export interface TextRun {
  readonly type: "TextRun";
  readonly text: string;
  readonly weight?: "Bolder";
  readonly size?: "Medium" | "Large";
  readonly italic?: true;
  readonly isSubtle?: true;
  readonly color?: "Attention" | "Good" | "Warning";
  readonly selectAction?: OpenUrlAction;
}

export interface RichTextBlock {
  readonly type: "RichTextBlock";
  readonly inlines: readonly TextRun[];
  readonly spacing?: Spacing;
  readonly separator?: true;
}

export interface FactSet {
  readonly type: "FactSet";
  readonly facts: readonly { readonly title: string; readonly value: string }[];
}

export interface TextInput {
  readonly type: "Input.Text";
  readonly id: string;
  readonly label?: string;
  readonly placeholder?: string;
  readonly value?: string;
  readonly isRequired?: true;
  readonly errorMessage?: string;
  readonly maxLength?: number;
  /** "Password" masks what is typed (Adaptive Cards 1.5). */
  readonly style?: "Text" | "Password";
  /** Hidden: not shown, but sent back with every Action.Submit on the card like any input. */
  readonly isVisible?: false;
}

/** A choice of values (a drop-down when compact); its value is sent back like a text input's. */
export interface ChoiceSetInput {
  readonly type: "Input.ChoiceSet";
  readonly id: string;
  readonly choices: readonly { readonly title: string; readonly value: string }[];
  readonly label?: string;
  readonly value?: string;
  readonly style?: "compact" | "expanded";
  readonly isRequired?: true;
  readonly errorMessage?: string;
}

/** A whole number within bounds; Teams sends it back as a string. */
export interface NumberInput {
  readonly type: "Input.Number";
  readonly id: string;
  readonly label?: string;
  readonly value?: number;
  readonly min?: number;
  readonly max?: number;
  readonly isRequired?: true;
  readonly errorMessage?: string;
}

/** A time of day, sent back as "HH:MM". */
export interface TimeInput {
  readonly type: "Input.Time";
  readonly id: string;
  readonly label?: string;
  readonly value?: string;
  readonly isRequired?: true;
  readonly errorMessage?: string;
}

export interface Container {
  readonly type: "Container";
  readonly items: readonly CardElement[];
  readonly spacing?: Spacing;
  readonly separator?: true;
}

/** Buttons inside the body, under what they act on (the card's own `actions` come last). */
export interface ActionSet {
  readonly type: "ActionSet";
  readonly actions: readonly SubmitAction[];
  readonly spacing?: Spacing;
}

export type CardElement =
  | TextBlock
  | FactSet
  | TextInput
  | ChoiceSetInput
  | NumberInput
  | TimeInput
  | RichTextBlock
  | Container
  | ActionSet;

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

/**
 * A message Teams takes: "about 28 KB", counting the message itself, its mentions and reactions
 * (Microsoft's "Limits and specifications for Microsoft Teams"; the same figure for incoming
 * webhooks and for the Teams connector's "post a card"). Measured here as the UTF-8 JSON of the
 * activity Touchpoint sends.
 */
export const MESSAGE_MAX_BYTES = 28 * 1024;
/** What a card may take of that: the Bot Framework adds the conversation, sender and ids on the way. */
export const CARD_BUDGET_BYTES = MESSAGE_MAX_BYTES - 2 * 1024;

/** The card as Teams receives it: the message activity's JSON, in UTF-8 bytes (without what the connector adds). */
export function messageBytes(card: AdaptiveCard): number {
  const activity = {
    type: "message",
    attachmentLayout: "list",
    attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }],
    inputHint: "acceptingInput",
    summary: card.fallbackText,
  };
  return Buffer.byteLength(JSON.stringify(activity), "utf8");
}

/** At most `max` UTF-16 units, "…" included; never cuts an emoji (a surrogate pair) in half. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
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

export function choiceSet(input: Omit<ChoiceSetInput, "type">): ChoiceSetInput {
  return { type: "Input.ChoiceSet", ...input };
}

export function numberInput(input: Omit<NumberInput, "type">): NumberInput {
  return { type: "Input.Number", ...input };
}

export function timeInput(input: Omit<TimeInput, "type">): TimeInput {
  return { type: "Input.Time", ...input };
}

/** A quoted note, one line, short enough to scan on a phone. */
export function quoteNote(note: string | null, max = 300): string {
  if (!note) return "";
  return ` “${truncate(note.replace(/\s+/g, " "), max)}”`;
}

/** One line, whatever it held: line breaks, tabs and control characters become single spaces. */
export function oneLine(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return value.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, " ").trim();
}

export function run(value: string, style: Omit<TextRun, "type" | "text"> = {}): TextRun {
  return { type: "TextRun", text: truncate(value, LIMITS.text), ...style };
}

/** A run that opens `url` (only http and https; anything else is shown as plain text). */
export function linkRun(value: string, url: string): TextRun {
  return /^https?:\/\/[^\s]+$/i.test(url) && url.length <= LIMITS.text
    ? run(value, { selectAction: { type: "Action.OpenUrl", url } })
    : run(value);
}

export function richText(
  inlines: readonly TextRun[],
  style: Omit<RichTextBlock, "type" | "inlines"> = {},
): RichTextBlock {
  return { type: "RichTextBlock", inlines: inlines.filter((inline) => inline.text !== ""), ...style };
}

/** How a line of literal text looks: a TextBlock's styles, worn by its one run. */
export type LiteralStyle = Omit<TextRun, "type" | "text" | "selectAction"> & Omit<RichTextBlock, "type" | "inlines">;

/**
 * A line that holds what someone typed (a name, a note, a command read back): one TextRun, which
 * Teams never reads as markdown, so `*Jane*`, `# heading` and `[x](http://…)` show as typed. It
 * looks as text() would with the same styles.
 */
export function literal(value: string, style: LiteralStyle = {}): RichTextBlock {
  const { spacing, separator, ...runStyle } = style;
  return richText([run(value, runStyle)], { ...(spacing && { spacing }), ...(separator && { separator }) });
}

export function literalHeading(value: string): RichTextBlock {
  return literal(value, { weight: "Bolder", size: "Medium" });
}

export function literalSubtle(value: string): RichTextBlock {
  return literal(value, { isSubtle: true, spacing: "Small" });
}

/**
 * Facts that hold what people typed (names, segments, notes, tags): a FactSet reads its values as
 * markdown, so each is a line of runs, "Title: value", instead. Empty values are left out, as in
 * facts(); undefined when none is left.
 */
export function literalFacts(
  entries: readonly (readonly [string, string | null | undefined])[],
): Container | undefined {
  const lines = entries
    .filter((entry): entry is readonly [string, string] => Boolean(entry[1]))
    .map(([title, value], n) =>
      richText([run(`${title}: `, { weight: "Bolder" }), run(truncate(oneLine(value), LIMITS.fact))], {
        ...(n > 0 && { spacing: "None" as const }),
      }),
    );
  return lines.length > 0 ? container(lines) : undefined;
}

export function container(items: CardElement[], style: Omit<Container, "type" | "items"> = {}): Container {
  return { type: "Container", items, ...style };
}

export function actionSet(actions: SubmitAction[], style: Omit<ActionSet, "type" | "actions"> = {}): ActionSet {
  return { type: "ActionSet", actions: actions.slice(0, LIMITS.actions), ...style };
}
