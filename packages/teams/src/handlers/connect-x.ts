import { viewSettings } from "@touchpoint/core";
import type { AdaptiveCard } from "../cards/card.js";
import { connectXAdminsOnly, connectXForm, importHelp } from "../cards/connect-x.js";
import { problem } from "../cards/touch.js";
import type { TeamsDeps } from "../deps.js";
import type { Turn } from "../turn.js";

/** Said when the server was started without a way to ask X. */
export const X_NOT_SET_UP = "X is not set up on this Touchpoint server; ask whoever runs it. Nothing was changed.";

/** `connect-x`: the form for the organization's X handle and bearer token, for admins only. */
export async function connectX(deps: TeamsDeps, turn: Turn): Promise<AdaptiveCard> {
  const view = await viewSettings(deps, { tenantId: turn.tenantId, actorId: turn.userId });
  if (!view.canEdit) return connectXAdminsOnly(view.admins);
  if (!deps.openXSource) return problem(X_NOT_SET_UP);
  const accounts = await deps.storage.withTenant(turn.tenantId, (r) => r.socialAccounts.list());
  return connectXForm(
    accounts.find((a) => a.platform === "x"),
    turn.tenantId,
  );
}

/** `import`: how a contact list comes in, as Slack's /touchpoint import explains it. */
export async function importContacts(_deps: TeamsDeps, turn: Turn): Promise<AdaptiveCard> {
  return importHelp(turn.teamsTenantId);
}
