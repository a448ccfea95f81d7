import { connectXAccount, viewSettings } from "@touchpoint/core";
import { CONNECT_X_INPUTS, connectXAdminsOnly, connectXForm, xConnected } from "../cards/connect-x.js";
import { problem } from "../cards/touch.js";
import { X_NOT_SET_UP } from "../handlers/connect-x.js";
import { recordSaved } from "../saved.js";
import { type ActionHandler, field, otherTenant } from "./value.js";

/**
 * Connect on the connect-x form: checked with X (the handle must exist, the token must work) by the
 * core before anything is stored, admins only. Success replaces the form with a confirmation; a
 * problem replaces it with the form again, saying what was wrong.
 */
export const connectXSaveAction: ActionHandler = async (deps, turn, value) => {
  const foreign = otherTenant(turn, value, "Connect X");
  if (foreign) return foreign;
  if (!deps.openXSource) return { reply: problem(X_NOT_SET_UP) };
  const handle = field(value, CONNECT_X_INPUTS.handle);
  const connected = await connectXAccount(
    { storage: deps.storage, openSource: deps.openXSource },
    { tenantId: turn.tenantId, handle, bearerToken: field(value, CONNECT_X_INPUTS.token), actorId: turn.userId },
  );
  if (!connected.ok) {
    if (connected.error.kind === "not_admin") {
      const view = await viewSettings(deps, { tenantId: turn.tenantId, actorId: turn.userId });
      return { reply: connectXAdminsOnly(view.admins) };
    }
    const accounts = await deps.storage.withTenant(turn.tenantId, (r) => r.socialAccounts.list());
    return {
      replace: connectXForm(
        accounts.find((a) => a.platform === "x"),
        turn.tenantId,
        { handle, problem: connected.error.message },
      ),
    };
  }
  recordSaved(turn, { said: `@${connected.value.handle} was connected` });
  const tenant = await deps.storage.tenants.get(turn.tenantId);
  deps.logger.info(
    { tenantId: turn.tenantId, handle: connected.value.handle, by: turn.userId },
    "X account connected from Teams",
  );
  return { replace: xConnected(connected.value, tenant?.name ?? "your organization") };
};
