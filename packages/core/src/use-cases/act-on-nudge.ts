import type { Contact } from "../domain/contact.js";
import type { Mention } from "../domain/mention.js";
import { type NudgeAction, type NudgeRef, type NudgeView, nudgeItemKey } from "../domain/nudge.js";
import { channelLabel, type TouchChannel, type TouchSource } from "../domain/touchpoint.js";
import { type ContactLookupError, type IdentityTaken, UnknownMention, type ValidationError } from "../errors.js";
import type { Clock, Storage, TenantRepositories } from "../ports.js";
import { err, ok, type Result } from "../result.js";
import { addContactIn } from "./add-contact.js";
import { type LoggedTouch, logTouchIn } from "./log-touch.js";

async function recorded(
  r: TenantRepositories,
  nudge: NudgeRef | null,
  key: string,
  action: NudgeAction,
): Promise<NudgeView | undefined> {
  if (nudge === null) return undefined;
  await r.nudges.recordAction(nudge, key, action);
  return r.nudges.get(nudge);
}

/**
 * Log touch on a nudge's going-cold contact (from its modal): the touch, logged as /touch would,
 * and noted on the day's nudge, in one transaction.
 */
export async function logTouchFromNudge(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: {
    readonly tenantId: string;
    readonly contactId: string;
    readonly channel: TouchChannel;
    readonly note: string | null;
    readonly by: string;
    /** The nudge it was pressed on, if any. */
    readonly nudge: NudgeRef | null;
    /** Where it was pressed (Slack, Teams). */
    readonly source: TouchSource;
    /** The modal submission's id: a resubmission logs nothing twice. */
    readonly sourceRef: string;
  },
): Promise<
  Result<{ readonly logged: LoggedTouch; readonly nudge: NudgeView | undefined }, ContactLookupError | ValidationError>
> {
  return deps.storage.withTenant(input.tenantId, async (r) => {
    const logged = await logTouchIn(r, deps.clock, {
      tenantId: input.tenantId,
      who: { kind: "contact", contactId: input.contactId, raw: input.contactId },
      channel: input.channel,
      direction: "outbound",
      note: input.note,
      loggedBy: input.by,
      source: input.source,
      sourceRef: input.sourceRef,
    });
    if (!logged.ok) return logged;
    const action: NudgeAction = {
      kind: "touched",
      by: input.by,
      at: deps.clock.now().toISOString(),
      detail: `(${channelLabel(input.channel)})`,
    };
    const nudge = await recorded(r, input.nudge, nudgeItemKey({ contactId: input.contactId }), action);
    return ok({ logged: logged.value, nudge });
  });
}

/**
 * Add as contact on a nudge's new voice (from its modal, prefilled from the X author): the
 * contact, with the author's X handle and user id, and every mention of theirs so far attached to
 * it; noted on the day's nudge; one transaction.
 */
export async function addContactFromMention(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: {
    readonly tenantId: string;
    readonly mentionId: string;
    readonly name: string;
    readonly segment: string | null;
    readonly email: string | null;
    readonly by: string;
    /** The nudge it was pressed on, if any. */
    readonly nudge: NudgeRef | null;
  },
): Promise<
  Result<
    { readonly contact: Contact; readonly mentions: number; readonly nudge: NudgeView | undefined },
    UnknownMention | ValidationError | IdentityTaken
  >
> {
  return deps.storage.withTenant(input.tenantId, async (r) => {
    const mention = await r.mentions.get(input.mentionId);
    if (!mention) return err(new UnknownMention(input.mentionId));
    const { author } = mention;
    const added = await addContactIn(r, {
      name: input.name,
      segment: input.segment,
      identities: [
        { platform: mention.platform, handle: author.handle.toLowerCase(), externalUserId: author.externalUserId },
        ...(input.email ? [{ platform: "email" as const, handle: input.email, externalUserId: null }] : []),
      ],
    });
    if (!added.ok) return added;
    const mentions = await r.mentions.attachAuthor(mention.platform, author.externalUserId, added.value.id);
    const action: NudgeAction = { kind: "added", by: input.by, at: deps.clock.now().toISOString() };
    const nudge = await recorded(r, input.nudge, nudgeItemKey({ mentionId: mention.id }), action);
    return ok({ contact: added.value, mentions, nudge });
  });
}

/** The mention a nudge's button names (Add as contact prefills its modal from the author). */
export function mentionFor(
  deps: { readonly storage: Storage },
  input: { readonly tenantId: string; readonly mentionId: string },
): Promise<Mention | undefined> {
  return deps.storage.withTenant(input.tenantId, (r) => r.mentions.get(input.mentionId));
}
