/** One line per command: its shape and an example that works. Replies to bad input end with one. */
export const USAGE = {
  touch: "/touch <who> [note] — e.g. /touch @janedoe called about the gala",
  contact: "/contact add|show|find|tag|owner|cadence … — e.g. /contact show @janedoe",
  contactAdd:
    '/contact add <name> [@x_handle] [email] [segment:<segment>] [owner:<who>] [cadence:<days>] [tags:<a,b>] — e.g. /contact add "Jane Doe" @janedoe jane@example.org segment:"major donor" cadence:30',
  contactShow: "/contact show <who> — e.g. /contact show @janedoe",
  contactFind: "/contact find <words> — e.g. /contact find gala",
  contactTag: '/contact tag <who> <tag> [-tag …] — e.g. /contact tag "Jane Doe" gala -lapsed',
  contactOwner: "/contact owner <who> <@colleague|me|none> — e.g. /contact owner @janedoe me",
  contactCadence: "/contact cadence <who> <days|default> — e.g. /contact cadence @janedoe 30",
  nudges: "/nudges — today's nudge, just for you",
  touchpoint: "/touchpoint help|settings|connect-x|import — e.g. /touchpoint help",
} as const;

export const WHO_HELP =
  '<who> is an X handle (@janedoe), an email (jane@example.org) or a name ("Jane Doe" in quotes for several words)';

export function helpText(): string {
  return [
    "*Touchpoint* keeps track of every interaction with your donors, influencers and supporters.",
    "",
    `• ${USAGE.touch}`,
    "   The note's first word picks the channel (called, emailed, met/coffee/lunch, dm, donated) or say via:<channel>;",
    "   a date word (yesterday, a weekday, YYYY-MM-DD) says when.",
    `• ${USAGE.contactAdd}`,
    `• ${USAGE.contactShow}`,
    `• ${USAGE.contactFind}`,
    `• ${USAGE.contactTag}`,
    `• ${USAGE.contactOwner}`,
    `• ${USAGE.contactCadence}`,
    `• ${USAGE.nudges}`,
    `• ${USAGE.touchpoint}`,
    "",
    WHO_HELP,
  ].join("\n");
}
