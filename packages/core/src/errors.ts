import type { Contact } from "./domain/contact.js";
import { formatIdentity, type Identity } from "./domain/identity.js";

/**
 * The expected failures of the core, each a value with a message a person can act on.
 * `kind` lets adapters switch exhaustively without instanceof across package boundaries.
 */
abstract class DomainError {
  abstract readonly kind: string;
  constructor(readonly message: string) {}
}

export class ValidationError extends DomainError {
  readonly kind = "validation";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class UnknownContact extends DomainError {
  readonly kind = "unknown_contact";
  constructor(readonly who: string) {
    super(`No contact matches ${who}.`);
  }
}

export class AmbiguousContact extends DomainError {
  readonly kind = "ambiguous_contact";
  constructor(
    readonly who: string,
    readonly candidates: readonly Contact[],
  ) {
    super(
      candidates.length === 1
        ? `No contact is exactly ${who}; did you mean ${candidates[0]?.name}?`
        : `${candidates.length} contacts match ${who}; choose one.`,
    );
  }
}

export class IdentityTaken extends DomainError {
  readonly kind = "identity_taken";
  constructor(
    readonly identity: Pick<Identity, "platform" | "handle">,
    readonly owner: Pick<Contact, "id" | "name">,
  ) {
    super(`${formatIdentity(identity)} already belongs to ${owner.name}.`);
  }
}

export class UnknownTenant extends DomainError {
  readonly kind = "unknown_tenant";
  constructor(readonly ref: string) {
    super(`No tenant has the id or external id "${ref}".`);
  }
}

export class TenantExists extends DomainError {
  readonly kind = "tenant_exists";
  constructor(
    readonly platform: string,
    readonly externalId: string,
  ) {
    super(`A ${platform} tenant with external id "${externalId}" already exists.`);
  }
}

export class UnknownTouchpoint extends DomainError {
  readonly kind = "unknown_touchpoint";
  constructor(readonly touchpointId: string) {
    super("That touchpoint no longer exists.");
  }
}

export class NotAdmin extends DomainError {
  readonly kind = "not_admin";
  constructor(readonly userId: string) {
    super("Only Touchpoint admins can change settings; ask an admin to add you in the Touchpoint app's Home tab.");
  }
}

export class UnknownMention extends DomainError {
  readonly kind = "unknown_mention";
  constructor(readonly mentionId: string) {
    super("That mention is no longer here.");
  }
}

export class AlreadyHandled extends DomainError {
  readonly kind = "already_handled";
  constructor() {
    super("Someone already handled this; nothing was done twice.");
  }
}

export type ContactLookupError = UnknownContact | AmbiguousContact;

/** Connecting an account failed at the platform: the handle, the credentials, or the platform itself. */
export class ConnectFailed extends DomainError {
  readonly kind = "connect_failed";
  constructor(
    readonly reason: "not_found" | "unauthorized" | "rate_limited" | "unavailable",
    message: string,
  ) {
    super(message);
  }
}
