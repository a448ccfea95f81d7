export const TOUCH_CHANNELS = [
  "x_mention",
  "x_reply",
  "x_quote",
  "x_dm",
  "call",
  "email",
  "meeting",
  "event",
  "donation",
  "note",
] as const;
export type TouchChannel = (typeof TOUCH_CHANNELS)[number];

export const DIRECTIONS = ["inbound", "outbound"] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Where a touchpoint came from; with `sourceRef` it makes re-delivery harmless. */
export const TOUCH_SOURCES = ["slack", "teams", "x", "cli", "import", "demo"] as const;
export type TouchSource = (typeof TOUCH_SOURCES)[number];

export interface Touchpoint {
  readonly id: string;
  readonly tenantId: string;
  readonly contactId: string;
  readonly occurredAt: Date;
  readonly channel: TouchChannel;
  readonly direction: Direction;
  readonly note: string | null;
  /** A member's platform user id, or "system" for ingested touches. */
  readonly loggedBy: string;
  readonly source: TouchSource;
  /** Unique per tenant: the same Slack retry or the same X post never makes two touchpoints. */
  readonly sourceRef: string;
  readonly createdAt: Date;
  readonly undoneAt: Date | null;
}

export type NewTouchpoint = Omit<Touchpoint, "id" | "tenantId" | "createdAt" | "undoneAt">;

export const MAX_NOTE_LENGTH = 10_000;

/** The note's first word picks the channel: "called about the gala" is a call. */
const CHANNEL_WORDS: Readonly<Record<string, TouchChannel>> = {
  called: "call",
  call: "call",
  phoned: "call",
  rang: "call",
  emailed: "email",
  email: "email",
  mailed: "email",
  met: "meeting",
  meeting: "meeting",
  coffee: "meeting",
  lunch: "meeting",
  breakfast: "meeting",
  dinner: "meeting",
  visited: "meeting",
  dm: "x_dm",
  dmed: "x_dm",
  "dm'd": "x_dm",
  donated: "donation",
  gave: "donation",
  attended: "event",
};

export function channelForWord(word: string | undefined): TouchChannel | undefined {
  if (word === undefined) return undefined;
  return CHANNEL_WORDS[word.toLowerCase().replace(/[.,:;!?]+$/, "")];
}

export function isTouchChannel(value: string): value is TouchChannel {
  return (TOUCH_CHANNELS as readonly string[]).includes(value);
}

/** Staff log what they did; what the supporter did (gave, mentioned us) comes in. */
export function defaultDirection(channel: TouchChannel): Direction {
  switch (channel) {
    case "donation":
    case "x_mention":
    case "x_quote":
      return "inbound";
    default:
      return "outbound";
  }
}

const CHANNEL_LABELS: Readonly<Record<TouchChannel, string>> = {
  x_mention: "X mention",
  x_reply: "X reply",
  x_quote: "X quote",
  x_dm: "X DM",
  call: "call",
  email: "email",
  meeting: "meeting",
  event: "event",
  donation: "donation",
  note: "note",
};

/** The channels a person logs by hand (X mentions, replies and quotes are logged from X itself). */
export const HAND_LOGGED_CHANNELS: readonly TouchChannel[] = TOUCH_CHANNELS.filter(
  (channel) => !channel.startsWith("x_") || channel === "x_dm",
);

export function channelLabel(channel: TouchChannel): string {
  return CHANNEL_LABELS[channel];
}

/** "an email", "an X DM", "a call": by how the label is said, not spelled. */
export function channelArticle(channel: TouchChannel): "a" | "an" {
  return channel.startsWith("x_") || channel === "email" || channel === "event" ? "an" : "a";
}
