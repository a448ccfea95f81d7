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
  type CardElement,
  card,
  choiceSet,
  facts,
  heading,
  numberInput,
  oneLine,
  submit,
  subtle,
  text,
  textInput,
  timeInput,
} from "./card.js";

/** The form's input ids; a cadence's is CADENCE_INPUT and the segment. */
export const SETTINGS_INPUTS = { channel: "channel", time: "time", timeZone: "timeZone" } as const;
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

function summary(tenant: Tenant, admins: readonly Member[], here: string | null): CardElement[] {
  return [
    facts([
      ["Nudge channel", channelLabel(tenant.nudgeChannel, here)],
      ["Nudge time", tenant.nudgeTime],
      ["Time zone", tenant.timeZone],
      ...segmentsOf(tenant).map(
        (segment) => [`Days between touches: ${segment}`, String(cadenceOf(tenant, segment))] as const,
      ),
      ["Admins", adminNames(admins)],
    ]),
  ];
}

/**
 * `settings` for an admin: nudge channel, time, time zone and cadence per segment, saved with one
 * button. `here` is the channel the form was asked for in (null in a personal or group chat).
 */
export function settingsForm(settings: SettingsView, here: string | null): AdaptiveCard {
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
      subtle(`Admins: ${adminNames(settings.admins)}`),
    ],
    [submit("Save", { action: SETTINGS_SAVE, tenantId: tenant.id }, "positive")],
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
  return card(line, [text(`ℹ️ ${line}`), subtle(`Ask an admin: ${adminNames(admins)}.`)]);
}
