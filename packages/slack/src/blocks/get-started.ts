import { escapeMrkdwn, message, type SlackMessage, section } from "./text.js";

/** The first DM to whoever installed Touchpoint: the three things that make the first nudge useful. */
export function getStarted(organization: string): SlackMessage {
  return message(`Touchpoint is installed in ${organization}`, [
    section(
      [
        `:wave: Touchpoint is installed for *${escapeMrkdwn(organization)}*. Three steps and tomorrow's nudge is worth reading:`,
        "1. *Pick a channel* for the daily nudge: open Touchpoint's *Home* tab and press *Edit settings*.",
        "2. *Connect X* so mentions are tracked: `/touchpoint connect-x`.",
        "3. *Import your contacts* (name, email, X handle, segment…): `/touchpoint import`.",
        "Then log what happens off social media: `/touch @janedoe called about the gala`.",
      ].join("\n"),
    ),
  ]);
}
