import { changeSettings, type TenantPatch, viewSettings } from "@touchpoint/core";
import {
  CADENCE_INPUT,
  SETTINGS_INPUTS,
  settingsAdminsOnly,
  settingsForm,
  settingsSaved,
  THIS_CHANNEL,
} from "../cards/settings.js";
import { problem } from "../cards/touch.js";
import { channelOf } from "../deps.js";
import type { Turn } from "../turn.js";
import { type ActionAnswer, type ActionHandler, type CardActionValue, field } from "./value.js";

/** A card from another organization's conversation (or forged) changes nothing here. */
function otherTenant(turn: Turn, value: CardActionValue): ActionAnswer | undefined {
  if (field(value, "tenantId") === turn.tenantId) return undefined;
  return { reply: problem("This settings card is not for your organization; nothing was changed.") };
}

/** The cadences the form sent: a field per segment; one left empty keeps its cadence. */
function cadencesOf(value: CardActionValue): Record<string, number> {
  const cadences: Record<string, number> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (!key.startsWith(CADENCE_INPUT)) continue;
    const days = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw.trim() : "";
    if (days !== "") cadences[key.slice(CADENCE_INPUT.length)] = Number(days);
  }
  return cadences;
}

/** Save on the settings form: checked and saved by the core (admins only), the form replaced by what was saved. */
export const settingsSaveAction: ActionHandler = async (deps, turn, value) => {
  const foreign = otherTenant(turn, value);
  if (foreign) return foreign;
  const here = channelOf(turn.context.activity);
  const useHere = field(value, SETTINGS_INPUTS.channel) === THIS_CHANNEL && here !== null;
  const cadenceBySegment = cadencesOf(value);
  const patch: TenantPatch = {
    nudgeTime: field(value, SETTINGS_INPUTS.time),
    timeZone: field(value, SETTINGS_INPUTS.timeZone),
    ...(useHere && { nudgeChannel: here }),
    ...(Object.keys(cadenceBySegment).length > 0 && { settings: { cadenceBySegment } }),
  };
  const changed = await changeSettings(deps, { tenantId: turn.tenantId, actorId: turn.userId, patch });
  const view = await viewSettings(deps, { tenantId: turn.tenantId, actorId: turn.userId });
  if (!changed.ok) {
    if (changed.error.kind === "not_admin") return { reply: settingsAdminsOnly(view.admins) };
    return { reply: problem(`${changed.error.message} Nothing was saved.`) };
  }
  return { replace: settingsSaved(view, here) };
};

/** Edit on the saved settings: the form again, for admins. */
export const settingsEditAction: ActionHandler = async (deps, turn, value) => {
  const foreign = otherTenant(turn, value);
  if (foreign) return foreign;
  const view = await viewSettings(deps, { tenantId: turn.tenantId, actorId: turn.userId });
  if (!view.canEdit) return { reply: settingsAdminsOnly(view.admins) };
  return { replace: settingsForm(view, channelOf(turn.context.activity)) };
};
