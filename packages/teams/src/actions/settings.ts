import { type AdminChanges, changeSettings, type Logger, type TenantPatch, viewSettings } from "@touchpoint/core";
import {
  CADENCE_INPUT,
  SETTINGS_INPUTS,
  SHOWN_ADMINS,
  settingsAdminsOnly,
  settingsForm,
  settingsSaved,
  THIS_CHANNEL,
} from "../cards/settings.js";
import { problem } from "../cards/touch.js";
import { channelOf } from "../deps.js";
import { adminCandidates, statusOf } from "../handlers/settings.js";
import { findPeople } from "../roster.js";
import { recordSaved } from "../saved.js";
import type { Turn } from "../turn.js";
import { type ActionHandler, type CardActionValue, field, otherTenant } from "./value.js";

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

/** A multi-select's value ("a,b,c"; absent when nothing is ticked) as ids. */
function idsOf(value: CardActionValue, name: string): string[] {
  return [
    ...new Set(
      field(value, name)
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * Who the form grants and revokes: an admin it listed and left unticked is revoked (and no one it
 * did not list: one granted since stays); the people picked are granted, each looked up among the
 * people of this conversation, which gives their name and refuses anyone the form didn't offer.
 * Undefined when the form had no admin inputs; a string says what was wrong.
 */
async function adminChangesOf(
  logger: Logger,
  turn: Turn,
  value: CardActionValue,
): Promise<AdminChanges | undefined | string> {
  if (!(SHOWN_ADMINS in value) && !(SETTINGS_INPUTS.newAdmins in value)) return undefined;
  const kept = new Set(idsOf(value, SETTINGS_INPUTS.admins));
  const picked = idsOf(value, SETTINGS_INPUTS.newAdmins);
  const revoke = idsOf(value, SHOWN_ADMINS).filter((id) => !kept.has(id) && !picked.includes(id));
  if (picked.length === 0) return { grant: [], revoke };
  let found: Awaited<ReturnType<typeof findPeople>>;
  try {
    found = await findPeople(turn.context, new Set(picked));
  } catch (error) {
    logger.warn({ statusCode: statusOf(error) }, "could not check a Teams conversation's members");
    return "I couldn't check who is in this conversation just now, so nothing was saved; please try again.";
  }
  if (picked.some((id) => !found.has(id))) {
    return "Someone picked as an admin is not in this conversation (any more), so nothing was saved. Ask for settings again to see who is.";
  }
  return { grant: picked.map((id) => ({ platformUserId: id, displayName: found.get(id)?.name ?? null })), revoke };
}

/** Save on the settings form: checked and saved by the core (admins only), the form replaced by what was saved. */
export const settingsSaveAction: ActionHandler = async (deps, turn, value) => {
  const foreign = otherTenant(turn, value, "settings");
  if (foreign) return foreign;
  const before = await viewSettings(deps, { tenantId: turn.tenantId, actorId: turn.userId });
  // Checked again by the core, under the roles' lock; here so a member's press asks Teams nothing.
  if (!before.canEdit) return { reply: settingsAdminsOnly(before.admins) };
  const admins = await adminChangesOf(deps.logger, turn, value);
  if (typeof admins === "string") return { reply: problem(admins) };
  const here = channelOf(turn.context.activity);
  const useHere = field(value, SETTINGS_INPUTS.channel) === THIS_CHANNEL && here !== null;
  const cadenceBySegment = cadencesOf(value);
  const patch: TenantPatch = {
    nudgeTime: field(value, SETTINGS_INPUTS.time),
    timeZone: field(value, SETTINGS_INPUTS.timeZone),
    ...(useHere && { nudgeChannel: here }),
    ...(Object.keys(cadenceBySegment).length > 0 && { settings: { cadenceBySegment } }),
  };
  const changed = await changeSettings(deps, {
    tenantId: turn.tenantId,
    actorId: turn.userId,
    patch,
    ...(admins && { admins }),
  });
  if (!changed.ok) {
    if (changed.error.kind === "not_admin") {
      const view = await viewSettings(deps, { tenantId: turn.tenantId, actorId: turn.userId });
      return { reply: settingsAdminsOnly(view.admins) };
    }
    return { reply: problem(`${changed.error.message} Nothing was saved.`) };
  }
  // Committed: said as saved from here on, whatever fails after (the read for the card among them).
  recordSaved(turn, { said: "Your settings were saved" });
  const view = await viewSettings(deps, { tenantId: turn.tenantId, actorId: turn.userId });
  if (admins) {
    deps.logger.info(
      { tenantId: turn.tenantId, granted: admins.grant.length, revoked: admins.revoke.length },
      "Touchpoint admins changed in Teams",
    );
  }
  return { replace: settingsSaved(view, here) };
};

/** Edit on the saved settings: the form again, for admins. */
export const settingsEditAction: ActionHandler = async (deps, turn, value) => {
  const foreign = otherTenant(turn, value, "settings");
  if (foreign) return foreign;
  const view = await viewSettings(deps, { tenantId: turn.tenantId, actorId: turn.userId });
  if (!view.canEdit) return { reply: settingsAdminsOnly(view.admins) };
  const admins = new Set(view.admins.map((a) => a.platformUserId));
  const candidates = await adminCandidates(turn.context, admins, deps.logger);
  return { replace: settingsForm(view, channelOf(turn.context.activity), candidates) };
};
