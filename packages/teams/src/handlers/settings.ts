import { viewSettings } from "@touchpoint/core";
import type { AdaptiveCard } from "../cards/card.js";
import { settingsAdminsOnly, settingsForm } from "../cards/settings.js";
import { channelOf, type TeamsDeps } from "../deps.js";
import type { Turn } from "../turn.js";

/**
 * `settings`: the organization's settings as a form, for admins only (the installer is the first).
 * Asked in a channel, the form offers that channel for the nudge.
 */
export async function settings(deps: TeamsDeps, turn: Turn): Promise<AdaptiveCard> {
  const view = await viewSettings(deps, { tenantId: turn.tenantId, actorId: turn.userId });
  if (!view.canEdit) return settingsAdminsOnly(view.admins);
  return settingsForm(view, channelOf(turn.context.activity));
}
