import type { ChatCommand } from "@touchpoint/core";
import type { AdaptiveCard } from "../cards/card.js";
import { help } from "../cards/help.js";
import type { TeamsDeps } from "../deps.js";
import type { Turn } from "../turn.js";
import { connectX, importContacts } from "./connect-x.js";
import { contactAdd, contactFind, contactShow, contactUpdate } from "./contact.js";
import { nudges } from "./nudges.js";
import { settings } from "./settings.js";
import { touch } from "./touch.js";

type Kind = ChatCommand["kind"];
export type CommandHandler<K extends Kind> = (
  deps: TeamsDeps,
  turn: Turn,
  command: Extract<ChatCommand, { kind: K }>,
) => Promise<AdaptiveCard>;

/** The commands Teams answers, by the kind the core's parser gives; the rest are not in Teams yet. */
export const COMMANDS: { readonly [K in Kind]?: CommandHandler<K> } = {
  touch,
  contact_add: contactAdd,
  contact_show: contactShow,
  contact_find: contactFind,
  contact_tag: contactUpdate,
  contact_owner: contactUpdate,
  contact_cadence: contactUpdate,
  nudges,
  settings,
  connect_x: connectX,
  import: importContacts,
  help: async () => help(),
};

/** What a command kind is called where people type it, for "… is not available in Teams yet". */
export function commandName(kind: Kind): string {
  if (kind.startsWith("contact_")) return `contact ${kind.slice("contact_".length)}`;
  return kind === "connect_x" ? "connect-x" : kind;
}
