import { USAGE, WHO_HELP } from "@touchpoint/core";
import { type AdaptiveCard, card, heading, subtle, text } from "./card.js";
import { withoutSlash } from "./touch.js";

/** `help`: the commands Teams answers today, written the way they are typed in Teams. */
export function help(): AdaptiveCard {
  return card("Touchpoint help", [
    heading("Touchpoint"),
    text(
      "Keeps track of every interaction with your donors, influencers and supporters. Write to me here, or @mention me in a channel:",
    ),
    text(`- ${withoutSlash(USAGE.touch)}`),
    subtle(
      "The note's first word picks the channel (called, emailed, met/coffee/lunch, dm, donated) or say via:<channel>; a date word (yesterday, a weekday, YYYY-MM-DD) says when.",
    ),
    subtle(WHO_HELP),
    text(`- ${withoutSlash(USAGE.contactAdd)}`),
    text(`- ${withoutSlash(USAGE.contactShow)}`),
    text(`- ${withoutSlash(USAGE.contactFind)}`),
    text(`- ${withoutSlash(USAGE.contactTag)}`),
    text(`- ${withoutSlash(USAGE.contactOwner)}`),
    text(`- ${withoutSlash(USAGE.contactCadence)}`),
    text(`- ${withoutSlash(USAGE.nudges)} (in our personal chat)`),
    text("- settings — the nudge's channel, time, time zone and cadences (admins)"),
    text("- connect-x — connect the organization's X account, so mentions of your contacts come in (admins)"),
    text("- import — how to import your contact list from a CSV file"),
    text("- help — this card"),
  ]);
}

/** A command the shared grammar knows that Teams does not answer yet. */
export function notInTeamsYet(command: string): AdaptiveCard {
  const line = `${command} is not available in Teams yet; for now Teams answers touch, contact, nudges, settings, connect-x, import and help.`;
  return card(line, [text(`ℹ️ ${line}`), subtle(withoutSlash(USAGE.touch))]);
}
