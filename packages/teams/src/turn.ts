import type { TurnContext } from "botbuilder";
import type { AdaptiveCard } from "./cards/card.js";
import { noTenant, notInstalled } from "./cards/install.js";
import { type TeamsDeps, teamsTenantId, teamsUserId } from "./deps.js";

/** One message's work, for one Touchpoint tenant: the one its Teams tenant installed. */
export interface Turn {
  readonly context: TurnContext;
  readonly tenantId: string;
  readonly teamsTenantId: string;
  /** Who wrote the message or pressed the button (teamsUserId). */
  readonly userId: string;
}

/**
 * Finds the tenant an activity works for. The installation is read on every message rather than
 * cached: an uninstall processed by any replica then stops work in all of them at once.
 */
export async function tenantTurn(
  deps: TeamsDeps,
  context: TurnContext,
): Promise<{ readonly ok: true; readonly turn: Turn } | { readonly ok: false; readonly reply: AdaptiveCard }> {
  const { activity } = context;
  const teamsTenant = teamsTenantId(activity);
  if (!teamsTenant) return { ok: false, reply: noTenant() };
  const installation = await deps.storage.installations.find("teams", teamsTenant);
  if (!installation) return { ok: false, reply: notInstalled() };
  return {
    ok: true,
    turn: { context, tenantId: installation.tenantId, teamsTenantId: teamsTenant, userId: teamsUserId(activity) },
  };
}
