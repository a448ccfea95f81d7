import { USAGE } from "@touchpoint/core";
import { type AdaptiveCard, card, heading, subtle, text } from "./card.js";
import { withoutSlash } from "./touch.js";

/** Posted where the app was added, once, when the install created the organization. */
export function welcome(): AdaptiveCard {
  return card("Touchpoint is ready", [
    heading("👋 Touchpoint is ready"),
    text(
      "Log every call, email and meeting with your donors and supporters. Write to me, or @mention me in a channel:",
    ),
    text(withoutSlash(USAGE.touch)),
    subtle("Whoever added the app is its first Touchpoint admin. Write help to see what I understand."),
  ]);
}

/** A message from a Teams organization Touchpoint is not installed for: nothing is written. */
export function notInstalled(): AdaptiveCard {
  const line =
    "Touchpoint isn't installed for your organization, or it was removed. Ask whoever manages Teams apps to add Touchpoint, then write to me again.";
  return card(line, [text(`⚠️ ${line}`, { color: "Attention" })]);
}

/** The activity named no Teams tenant (the Bot Framework Emulator, another channel): nothing is written. */
export function noTenant(): AdaptiveCard {
  const line =
    "I can't tell which organization this came from, so nothing was saved. Write to me from Microsoft Teams.";
  return card(line, [text(`⚠️ ${line}`, { color: "Attention" })]);
}
