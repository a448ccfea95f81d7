import { normalizeXHandle } from "../domain/identity.js";
import type { SocialAccount } from "../domain/social-account.js";
import { findUnstorable, stripUnstorable } from "../domain/text.js";
import { ConnectFailed, NotAdmin, ValidationError } from "../errors.js";
import type { OpenMentionSource, Storage } from "../ports.js";
import { err, ok, type Result } from "../result.js";

/**
 * Connects the organization's X account: the handle and an app bearer token, checked with X (the
 * user must exist and the token must work) before anything is saved. Reconnecting replaces the
 * credentials and resumes a paused account where it stopped. `actorId` null is the operator (CLI);
 * from chat, only an admin may connect.
 */
export async function connectXAccount(
  deps: { readonly storage: Storage; readonly openSource: OpenMentionSource },
  input: {
    readonly tenantId: string;
    readonly handle: string;
    readonly bearerToken: string;
    readonly actorId: string | null;
  },
): Promise<Result<SocialAccount, ValidationError | NotAdmin | ConnectFailed>> {
  const handle = normalizeXHandle(input.handle);
  if (!handle.ok) return err(new ValidationError("handle", handle.error));
  const token = input.bearerToken.trim();
  // No quote of where: the reply would carry part of the secret.
  if (token === "" || /\s/.test(token) || findUnstorable(token) !== undefined) {
    return err(new ValidationError("token", "The bearer token is one word, as the X developer portal shows it."));
  }
  if (input.actorId !== null) {
    const actorId = input.actorId;
    const role = await deps.storage.withTenant(input.tenantId, async (r) => (await r.members.get(actorId))?.role);
    if (role !== "admin") return err(new NotAdmin(actorId));
  }

  const found = await deps.openSource(token).findUser(handle.value);
  if (!found.ok) {
    const failure = found.error;
    const message = {
      not_found: `X has no account @${handle.value}.`,
      unauthorized: "X refused that bearer token; copy it again from the X developer portal.",
      rate_limited: "X asks us to wait a few minutes; try again shortly.",
      unavailable: "X did not answer properly; try again in a minute.",
    }[failure.kind];
    return err(new ConnectFailed(failure.kind, message));
  }
  const user = found.value;
  const account = await deps.storage.withTenant(input.tenantId, (r) =>
    r.socialAccounts.connect({
      platform: "x",
      // X's words, not the admin's: what can't be stored is dropped, not refused.
      handle: stripUnstorable(user.handle).toLowerCase(),
      externalUserId: user.externalUserId,
      credentials: token,
    }),
  );
  return ok(account);
}
