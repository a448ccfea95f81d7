import type { AdaptiveCard } from "../cards/card.js";
import { problem } from "../cards/touch.js";
import type { TeamsDeps } from "../deps.js";
import type { Turn } from "../turn.js";

/** An Action.Submit's `value`: the button's data, and the card's inputs beside it. */
export type CardActionValue = { readonly action: string } & Readonly<Record<string, unknown>>;

export function isCardAction(value: unknown): value is CardActionValue {
  return typeof value === "object" && value !== null && typeof (value as { action?: unknown }).action === "string";
}

/** A string field of the value, trimmed ("" when absent or not a string: inputs left empty are absent). */
export function field(value: CardActionValue, name: string): string {
  const raw = value[name];
  return typeof raw === "string" ? raw.trim() : "";
}

/**
 * What a button press says: in place of the card pressed, or beside it (the card stays as it was),
 * or both (the card refreshed in place, and a word beside it: a stale press on the nudge).
 */
export type ActionAnswer =
  | { readonly replace: AdaptiveCard; readonly reply?: AdaptiveCard }
  | { readonly reply: AdaptiveCard };

export type ActionHandler = (deps: TeamsDeps, turn: Turn, value: CardActionValue) => Promise<ActionAnswer>;

/**
 * A card from another organization's conversation (or forged) changes nothing here: its tenant id
 * must be the turn's. `what` names the card in the refusal ("settings", "Connect X").
 */
export function otherTenant(turn: Turn, value: CardActionValue, what: string): ActionAnswer | undefined {
  if (field(value, "tenantId") === turn.tenantId) return undefined;
  return { reply: problem(`This ${what} card is not for your organization; nothing was changed.`) };
}
