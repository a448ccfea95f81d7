import { type Activity, CardFactory, MessageFactory, type TurnContext } from "botbuilder";
import type { AdaptiveCard } from "./card.js";

/** The message activity that carries a card; `summary` is what notifications show. */
export function cardActivity(card: AdaptiveCard): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  // Notifications and the chat list show `summary` for a card-only message.
  activity.summary = card.fallbackText;
  return activity;
}

/** Answers in the conversation (in a channel, in the thread of the message it answers). */
export async function replyWith(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity(cardActivity(card));
}

/** Several cards in one message, one under another: they arrive together or not at all. */
export async function replyWithCards(context: TurnContext, cards: readonly AdaptiveCard[]): Promise<void> {
  const [first] = cards;
  if (!first) return;
  if (cards.length === 1) return replyWith(context, first);
  const activity = MessageFactory.list(cards.map((card) => CardFactory.adaptiveCard(card)));
  activity.summary = first.fallbackText;
  await context.sendActivity(activity);
}

/** Replaces a card already sent (the one whose button was pressed), as Slack's replace_original does. */
export async function replaceWith(context: TurnContext, activityId: string, card: AdaptiveCard): Promise<void> {
  await context.updateActivity({ ...cardActivity(card), id: activityId });
}
