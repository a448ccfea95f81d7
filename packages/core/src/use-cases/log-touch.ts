import type { WhoRef } from "../commands/parse-command.js";
import type { Contact } from "../domain/contact.js";
import { describeUnstorable } from "../domain/text.js";
import {
  type Direction,
  MAX_NOTE_LENGTH,
  type TouchChannel,
  type Touchpoint,
  type TouchSource,
} from "../domain/touchpoint.js";
import { resolveWhen, type WhenSpec } from "../domain/when.js";
import { type ContactLookupError, ValidationError } from "../errors.js";
import type { Clock, Storage, TenantRepositories } from "../ports.js";
import { err, ok, type Result } from "../result.js";
import { resolveContact } from "./resolve-contact.js";

export interface LogTouchInput {
  readonly tenantId: string;
  readonly who: WhoRef;
  readonly channel: TouchChannel;
  readonly direction: Direction;
  readonly note: string | null;
  /** A date word from chat, resolved in the tenant's time zone; or `occurredAt` when known exactly. */
  readonly when?: WhenSpec | null;
  readonly occurredAt?: Date;
  readonly loggedBy: string;
  readonly source: TouchSource;
  /** Makes re-delivery harmless: a second call with the same ref returns the first touch. */
  readonly sourceRef: string;
}

export interface LoggedTouch {
  readonly touchpoint: Touchpoint;
  readonly contact: Contact;
  /** The touch before this one, for "last: call on 23 Sep". */
  readonly previous: Touchpoint | null;
  /** False when this sourceRef was already logged: nothing new was written. */
  readonly created: boolean;
  /** The organization's time zone, to say "yesterday" in the right place. */
  readonly timeZone: string;
}

export async function logTouch(
  deps: { readonly storage: Storage; readonly clock: Clock },
  input: LogTouchInput,
): Promise<Result<LoggedTouch, ContactLookupError | ValidationError>> {
  // A touch is short and idempotent by its sourceRef: under load, touches share transactions.
  return deps.storage.withTenantShared(input.tenantId, (repos) => logTouchIn(repos, deps.clock, input));
}

/** logTouch inside a transaction the caller holds (so it can commit or roll back with other work). */
export async function logTouchIn(
  repos: TenantRepositories,
  clock: Clock,
  input: LogTouchInput,
): Promise<Result<LoggedTouch, ContactLookupError | ValidationError>> {
  const unstorable = input.note === null ? undefined : describeUnstorable(input.note);
  if (unstorable !== undefined) {
    return err(new ValidationError("note", `The note holds ${unstorable}; remove it and try again.`));
  }
  if (input.note !== null && input.note.length > MAX_NOTE_LENGTH) {
    return err(new ValidationError("note", `A note is at most ${MAX_NOTE_LENGTH.toLocaleString("en-US")} characters.`));
  }
  if (input.sourceRef.trim() === "") throw new Error("logTouch needs a sourceRef");

  // Independent reads go out together: on PostgreSQL they share one round trip.
  const [{ timeZone }, contact] = await Promise.all([repos.tenant.get(), resolveContact(repos.contacts, input.who)]);

  /** What was stored for this sourceRef the first time, as a redelivery's answer. */
  const replay = async (stored: Touchpoint): Promise<LoggedTouch | undefined> => {
    const storedContact =
      contact.ok && contact.value.id === stored.contactId ? contact.value : await repos.contacts.get(stored.contactId);
    if (!storedContact) return undefined;
    const previous = await repos.touchpoints.latest(storedContact.id, { excluding: stored.id });
    return { touchpoint: stored, contact: storedContact, previous: previous ?? null, created: false, timeZone };
  };

  if (!contact.ok) {
    // A redelivery answers with what was logged the first time, even if "who" no longer
    // resolves (the contact archived, a namesake added since).
    const stored = await repos.touchpoints.findBySourceRef(input.sourceRef);
    const replayed = stored && (await replay(stored));
    return replayed ? ok(replayed) : contact;
  }

  let occurredAt = input.occurredAt;
  if (occurredAt === undefined) {
    const resolved = resolveWhen(input.when ?? null, clock.now(), timeZone);
    if (!resolved.ok) return err(new ValidationError("when", resolved.error));
    occurredAt = resolved.value;
  }

  // The previous touch is read just before the insert, in the same round trip.
  const [previous, recorded] = await Promise.all([
    repos.touchpoints.latest(contact.value.id),
    repos.touchpoints.record({
      contactId: contact.value.id,
      occurredAt,
      channel: input.channel,
      direction: input.direction,
      note: input.note,
      loggedBy: input.loggedBy,
      source: input.source,
      sourceRef: input.sourceRef,
    }),
  ]);
  if (recorded.created) {
    return ok({
      touchpoint: recorded.touchpoint,
      contact: contact.value,
      previous: previous ?? null,
      created: true,
      timeZone,
    });
  }
  const replayed = await replay(recorded.touchpoint);
  if (!replayed) throw new Error(`touchpoint ${recorded.touchpoint.id} names a contact that does not exist`);
  return ok(replayed);
}
