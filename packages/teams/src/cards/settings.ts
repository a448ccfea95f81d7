import {
  DEFAULT_CADENCE_BY_SEGMENT,
  FALLBACK_CADENCE_DAYS,
  MAX_CADENCE_DAYS,
  type Member,
  type SettingsView,
  type Tenant,
} from "@touchpoint/core";
import { SETTINGS_EDIT, SETTINGS_SAVE } from "../actions/action-ids.js";
import {
  type AdaptiveCard,
  CARD_BUDGET_BYTES,
  type CardElement,
  type ChoiceSetInput,
  card,
  choiceSet,
  heading,
  literalFacts,
  literalSubtle,
  messageBytes,
  numberInput,
  oneLine,
  submit,
  subtle,
  text,
  textInput,
  timeInput,
  truncate,
} from "./card.js";

/**
 * The form's input ids; a cadence's is CADENCE_INPUT and the segment. `admins` holds the admins
 * left ticked, `newAdmins` the people picked to become admins (each a comma-separated list).
 */
export const SETTINGS_INPUTS = {
  channel: "channel",
  time: "time",
  timeZone: "timeZone",
  admins: "admins",
  newAdmins: "newAdmins",
} as const;
/** In Save's data: the admins the form listed, so one left unticked is revoked and no one else is. */
export const SHOWN_ADMINS = "shownAdmins";
export const CADENCE_INPUT = "cadence:";
/** The channel choices: the one set now, or the channel the form is in. */
export const KEEP_CHANNEL = "keep";
export const THIS_CHANNEL = "here";

/** Segments shown: the usual ones, then any the organization has given its own cadence (at most 20 in all). */
function segmentsOf(tenant: Tenant): string[] {
  return [
    ...new Set([...Object.keys(DEFAULT_CADENCE_BY_SEGMENT), ...Object.keys(tenant.settings.cadenceBySegment)]),
  ].slice(0, 20);
}

function cadenceOf(tenant: Tenant, segment: string): number {
  return tenant.settings.cadenceBySegment[segment] ?? DEFAULT_CADENCE_BY_SEGMENT[segment] ?? FALLBACK_CADENCE_DAYS;
}

/** Where the nudge goes, as a person reads it: Teams conversation ids mean nothing to them. */
function channelLabel(channel: string | null, here: string | null): string {
  if (channel === null) return "no channel yet";
  return channel === here ? "this channel" : "the channel chosen before";
}

function adminNames(admins: readonly Member[]): string {
  return admins.map((a) => oneLine(a.displayName ?? "") || "an admin without a name").join(", ") || "none yet";
}

/** A name as a choice shows it: one line, short enough for a phone. */
const CHOICE_TITLE_MAX = 80;

/** A person as a choice on the form: the name Teams gave them. */
function personChoice(id: string, name: string | null, unnamed: string) {
  return { title: truncate(oneLine(name ?? "") || unnamed, CHOICE_TITLE_MAX), value: id };
}

/** A ChoiceSet that takes several (card.ts draws single choices); Teams sends it back as "a,b,c". */
type MultiChoiceSet = ChoiceSetInput & { readonly isMultiSelect: true };

function multiChoiceSet(input: Omit<ChoiceSetInput, "type">): MultiChoiceSet {
  return { ...choiceSet(input), isMultiSelect: true };
}

/** The people who could be made admins where the form was asked for. */
export interface AdminCandidates {
  /** People of this team or chat who are not admins yet; null when Teams could not say just now. */
  readonly people: readonly { readonly id: string; readonly name: string | null }[] | null;
  /** More people there than the form offers. */
  readonly more: boolean;
  /** Asked in a personal chat: nobody else is there to pick. */
  readonly personalChat: boolean;
}

/** Most people a form offers: a card is at most about 28 KB. */
export const MOST_CANDIDATES = 100;

function adminInputs(admins: readonly Member[], candidates: AdminCandidates): CardElement[] {
  const people = candidates.people ?? [];
  const hint = candidates.personalChat
    ? "To make someone else an admin, @mention me with settings in a team channel or group chat they are in."
    : candidates.people === null
      ? "I couldn't read who is in this conversation just now; ask for settings again to make someone an admin."
      : people.length === 0
        ? "Everyone here is an admin already."
        : candidates.more
          ? `Showing the first ${people.length} people here who are not admins.`
          : null;
  return [
    multiChoiceSet({
      id: SETTINGS_INPUTS.admins,
      label: "Touchpoint admins (untick someone to revoke)",
      choices: admins.map((a) => personChoice(a.platformUserId, a.displayName, "An admin without a name")),
      value: admins.map((a) => a.platformUserId).join(","),
      style: "expanded",
    }),
    ...(people.length > 0
      ? [
          multiChoiceSet({
            id: SETTINGS_INPUTS.newAdmins,
            label: "Make admin (people in this conversation)",
            choices: people.map((p) => personChoice(p.id, p.name, "Someone without a name")),
            style: "compact",
          }),
        ]
      : []),
    ...(hint ? [subtle(hint)] : []),
  ];
}

function summary(tenant: Tenant, admins: readonly Member[], here: string | null): CardElement[] {
  // Segments and admins' names are what people typed or are called: shown as written, never as markdown.
  const lines = literalFacts([
    ["Nudge channel", channelLabel(tenant.nudgeChannel, here)],
    ["Nudge time", tenant.nudgeTime],
    ["Time zone", tenant.timeZone],
    ...segmentsOf(tenant).map(
      (segment) => [`Days between touches: ${segment}`, String(cadenceOf(tenant, segment))] as const,
    ),
    ["Admins", adminNames(admins)],
  ]);
  return lines ? [lines] : [];
}

/**
 * `settings` for an admin: nudge channel, time, time zone, cadence per segment and who is admin,
 * saved with one button. `here` is the channel the form was asked for in (null in a personal or
 * group chat); `candidates`, the people there who could be made admins.
 */
export function settingsForm(settings: SettingsView, here: string | null, candidates: AdminCandidates): AdaptiveCard {
  // Fewer people offered until the card fits a Teams message (long names, a big team); the rest are counted as more.
  let offered = candidates;
  for (;;) {
    const form = drawSettingsForm(settings, here, offered);
    const people = offered.people ?? [];
    if (messageBytes(form) <= CARD_BUDGET_BYTES || people.length === 0) return form;
    offered = { ...offered, people: people.slice(0, Math.floor(people.length * 0.8)), more: true };
  }
}

function drawSettingsForm(settings: SettingsView, here: string | null, candidates: AdminCandidates): AdaptiveCard {
  const { tenant } = settings;
  const current = channelLabel(tenant.nudgeChannel, here);
  const channels = [
    { title: tenant.nudgeChannel === null ? "No channel yet" : `Keep ${current}`, value: KEEP_CHANNEL },
    ...(here !== null && here !== tenant.nudgeChannel ? [{ title: "This channel", value: THIS_CHANNEL }] : []),
  ];
  return card(
    "Touchpoint settings",
    [
      heading("Touchpoint settings"),
      choiceSet({
        id: SETTINGS_INPUTS.channel,
        label: "Daily nudge channel",
        choices: channels,
        value: KEEP_CHANNEL,
        style: "expanded",
        isRequired: true,
      }),
      ...(here === null ? [subtle("To send the nudge to a channel, @mention me with settings in that channel.")] : []),
      timeInput({
        id: SETTINGS_INPUTS.time,
        label: "Nudge time (24-hour)",
        value: tenant.nudgeTime,
        isRequired: true,
        errorMessage: "A time of day, like 09:00.",
      }),
      textInput({
        id: SETTINGS_INPUTS.timeZone,
        label: "Time zone",
        value: tenant.timeZone,
        placeholder: "America/New_York",
        isRequired: true,
        maxLength: 100,
        errorMessage: "A place name from the IANA list, like America/New_York or Europe/London.",
      }),
      ...segmentsOf(tenant).map((segment) =>
        numberInput({
          id: `${CADENCE_INPUT}${segment}`,
          label: `Days between touches: ${segment}`,
          value: cadenceOf(tenant, segment),
          min: 1,
          max: MAX_CADENCE_DAYS,
          isRequired: true,
          errorMessage: `Whole days, 1 to ${MAX_CADENCE_DAYS}.`,
        }),
      ),
      ...adminInputs(settings.admins, candidates),
    ],
    [
      submit(
        "Save",
        {
          action: SETTINGS_SAVE,
          tenantId: tenant.id,
          [SHOWN_ADMINS]: settings.admins.map((a) => a.platformUserId).join(","),
        },
        "positive",
      ),
    ],
  );
}

/** The settings as saved, in place of the form. */
export function settingsSaved(settings: SettingsView, here: string | null): AdaptiveCard {
  return card(
    "Touchpoint settings saved",
    [text("✅ Settings saved.", { weight: "Bolder" }), ...summary(settings.tenant, settings.admins, here)],
    [submit("Edit settings", { action: SETTINGS_EDIT, tenantId: settings.tenant.id })],
  );
}

/** Someone who isn't an admin asked for the settings or pressed Save: nothing changes. */
export function settingsAdminsOnly(admins: readonly Member[]): AdaptiveCard {
  const line = "Only Touchpoint admins can change settings; nothing was changed.";
  return card(line, [text(`ℹ️ ${line}`), literalSubtle(`Ask an admin: ${adminNames(admins)}.`)]);
}
