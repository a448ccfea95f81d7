import {
  completePendingTouch,
  type Identity,
  normalizeEmail,
  normalizeXHandle,
  savedContact,
  savedTouch,
} from "@touchpoint/core";
import { alreadyHandled, problem, touchLogged } from "../cards/touch.js";
import { recordSaved } from "../saved.js";
import { type ActionHandler, field } from "./value.js";

/**
 * The Create contact form submitted: the contact is created and the touch that waited for it
 * logged, together. A bad field is answered beside the form, which stays to be corrected.
 */
export const createContactAction: ActionHandler = async (deps, turn, value) => {
  const identities: Identity[] = [];
  const problems: string[] = [];
  const x = field(value, "x_handle");
  if (x !== "") {
    const handle = normalizeXHandle(x);
    if (handle.ok) identities.push({ platform: "x", handle: handle.value, externalUserId: null });
    else problems.push(`X handle: ${handle.error}`);
  }
  const email = field(value, "email");
  if (email !== "") {
    const address = normalizeEmail(email);
    if (address.ok) identities.push({ platform: "email", handle: address.value, externalUserId: null });
    else problems.push(`Email: ${address.error}`);
  }
  if (problems.length > 0)
    return { reply: problem(`${problems.join(" ")} Nothing was saved; correct it and press Create and log again.`) };

  const done = await completePendingTouch(deps, {
    tenantId: turn.tenantId,
    pendingId: field(value, "pendingId"),
    contact: {
      kind: "new",
      contact: { name: field(value, "name"), segment: field(value, "segment") || null, identities },
    },
    loggedBy: turn.userId,
    source: "teams",
  });
  if (done.ok) {
    const { logged } = done.value;
    recordSaved(turn, savedContact("added", logged.contact), savedTouch(logged.touchpoint, logged.contact));
    return { replace: touchLogged(logged, deps.clock.now(), logged.timeZone) };
  }
  if (done.error.kind === "already_handled") return { reply: alreadyHandled() };
  return { reply: problem(`${done.error.message} Nothing was saved.`) };
};
