import { CONTACT_CSV_COLUMNS, type Member, type SocialAccount } from "@touchpoint/core";
import { CONNECT_X_SAVE } from "../actions/action-ids.js";
import {
  type AdaptiveCard,
  card,
  heading,
  literal,
  literalSubtle,
  oneLine,
  submit,
  subtle,
  text,
  textInput,
  truncate,
} from "./card.js";

/** The connect-x form's input ids. */
export const CONNECT_X_INPUTS = { handle: "x_connect_handle", token: "x_connect_token" } as const;

function adminNames(admins: readonly Member[]): string {
  return admins.map((a) => oneLine(a.displayName ?? "") || "an admin without a name").join(", ") || "none yet";
}

/**
 * `connect-x` for an admin: the organization's X handle and its app bearer token, checked with X
 * before anything is stored. `problem` is what X or the core said of the last try (the token is
 * never written back into the card).
 */
export function connectXForm(
  current: SocialAccount | undefined,
  tenantId: string,
  options: { readonly handle?: string; readonly problem?: string } = {},
): AdaptiveCard {
  const handle = truncate(oneLine(options.handle ?? (current ? `@${current.handle}` : "")), 100);
  return card(
    "Connect X",
    [
      heading("Connect X"),
      ...(options.problem ? [literal(`⚠️ ${options.problem} Nothing was saved.`, { color: "Attention" })] : []),
      ...(current
        ? [
            literalSubtle(
              current.status === "active"
                ? `Connected now: @${truncate(oneLine(current.handle), 100)}. Connecting again replaces its token.`
                : `@${truncate(oneLine(current.handle), 100)} is paused: X refused its token. Connect it again with a new one.`,
            ),
          ]
        : []),
      textInput({
        id: CONNECT_X_INPUTS.handle,
        label: "Your organization's X handle",
        placeholder: "@riversidefood",
        ...(handle && { value: handle }),
        isRequired: true,
        maxLength: 100,
        errorMessage: "The organization's X handle, like @riversidefood.",
      }),
      textInput({
        id: CONNECT_X_INPUTS.token,
        label: "App bearer token",
        placeholder: "AAAAAAAAAAAAAAAAAAAAA…",
        style: "Password",
        isRequired: true,
        maxLength: 1000,
        errorMessage: "The bearer token from the X developer portal.",
      }),
      subtle(
        "From the X developer portal: your app's Keys and tokens page. It is checked with X, then stored encrypted.",
      ),
    ],
    [submit("Connect", { action: CONNECT_X_SAVE, tenantId }, "positive")],
  );
}

/** What the connect-x form turns into once X has confirmed the account. */
export function xConnected(account: SocialAccount, tenantName: string): AdaptiveCard {
  const line = `✅ Connected @${oneLine(account.handle)} to ${oneLine(tenantName)}. The last week of mentions is read at the next poll, then new ones as they come.`;
  return card(`Connected @${oneLine(account.handle)}`, [literal(line)]);
}

/** Someone who isn't an admin asked for connect-x or pressed Connect: nothing changes. */
export function connectXAdminsOnly(admins: readonly Member[]): AdaptiveCard {
  const line = "Only Touchpoint admins can connect the organization's X account; nothing was changed.";
  return card(line, [text(`ℹ️ ${line}`), literalSubtle(`Ask an admin: ${adminNames(admins)}.`)]);
}

/** `import`: contacts come in from a CSV file, through the command line of whoever runs Touchpoint. */
export function importHelp(teamsTenantId: string): AdaptiveCard {
  return card("Importing contacts", [
    heading("Importing contacts"),
    text("**Import your contact list** from a CSV file with these columns:"),
    text(`\`${CONTACT_CSV_COLUMNS.join(",")}\``),
    text(
      `Whoever runs Touchpoint imports it with \`touchpoint import-contacts --tenant ${teamsTenantId} contacts.csv\` (add \`--dry-run\` to check it first). Importing the same file again changes nothing.`,
    ),
  ]);
}
