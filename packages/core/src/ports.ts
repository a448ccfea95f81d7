import type { Contact, ContactPatch, NewContact } from "./domain/contact.js";
import type { Digest, DigestContact, MentionActivity } from "./domain/digest.js";
import type { LastTouch, RelationshipSummary, TouchCounts } from "./domain/health.js";
import type { IdentityPlatform } from "./domain/identity.js";
import type { Installation, InstallScope, NewInstallScope } from "./domain/installation.js";
import type { Mention, NewMention, OwnPost } from "./domain/mention.js";
import type {
  DeliveryFailure,
  LookupFailure,
  NudgeAction,
  NudgeCandidate,
  NudgeDelivery,
  NudgeKind,
  NudgeRef,
  NudgeTarget,
  NudgeView,
} from "./domain/nudge.js";
import type { PageRequest, PlatformUser, PostPage, RateLimit, SourceFailure } from "./domain/post.js";
import type { ConnectSocialAccount, SocialAccount, SocialPlatform } from "./domain/social-account.js";
import type { Member, MemberRole, NewTenant, Platform, Tenant, TenantPatch } from "./domain/tenant.js";
import type { NewTouchpoint, Touchpoint } from "./domain/touchpoint.js";
import type { TenantExists } from "./errors.js";
import type { Result } from "./result.js";

/**
 * Storage is reached two ways. Tenant work runs inside `withTenant`: one transaction whose every
 * query is scoped to that tenant (and, in Postgres, walled by Row-Level Security). Work that must
 * see across tenants goes through the narrow `tenants` directory and nothing else.
 */
export interface Storage {
  withTenant<T>(tenantId: string, work: (repos: TenantRepositories) => Promise<T>): Promise<T>;
  /**
   * `withTenant` for short, independent work that may share its transaction with others of the
   * same tenant arriving at the same time (group commit, see `groupCommit`). The work must be
   * safe to run again alone: every effect inside the transaction, idempotent by its own key.
   */
  withTenantShared<T>(tenantId: string, work: (repos: TenantRepositories) => Promise<T>): Promise<T>;
  readonly tenants: TenantDirectory;
  readonly installations: InstallationDirectory;
  readonly poller: PollerDirectory;
  readonly nudges: NudgeDirectory;
}

/**
 * The nudge's cross-tenant path: which tenants may be due (the scheduler decides which are), and
 * which deliveries are due (leased, so two replicas never send one at once). Claiming a day,
 * composing and sending run on the tenant path.
 */
export interface NudgeDirectory {
  /**
   * Every installed tenant with a nudge channel, with the local date of its latest morning nudge
   * (an uninstalled tenant keeps its data, but has nowhere to post).
   */
  candidates(): Promise<readonly NudgeCandidate[]>;
  /**
   * Leases up to `limit` pending deliveries due by `now` whose lease is free or expired, counting
   * the attempt as it starts (so an attempt a crash cut short still counts). `interrupted`: the
   * attempt before this one was leased and never recorded how it went (its replica crashed, or
   * lost its lease), so it may have posted.
   */
  claimDeliveries(input: {
    readonly owner: string;
    readonly now: Date;
    readonly leaseSeconds: number;
    readonly limit: number;
  }): Promise<readonly ClaimedDelivery[]>;
  /** Dead deliveries per tenant (only tenants that have any). */
  deadLetters(): Promise<ReadonlyMap<string, number>>;
  /** Deliveries whose outcome nobody can tell, per tenant (only tenants that have any). */
  unknownOutcomes(): Promise<ReadonlyMap<string, number>>;
}

/** A delivery leased for one attempt. */
export interface ClaimedDelivery {
  readonly tenantId: string;
  readonly id: string;
  /** The attempt before this one never recorded how it went: it may have posted. */
  readonly interrupted: boolean;
}

/**
 * The poller's cross-tenant path: which accounts are due (claimed with a lease, so two replicas
 * never poll one account at once), and the request budgets that tenants sharing one app's
 * credential share. Polling itself runs on the tenant path.
 */
export interface PollerDirectory {
  /** Leases up to `limit` active accounts due by `now` whose lease is free or expired. */
  claimDue(input: {
    readonly owner: string;
    readonly now: Date;
    readonly leaseSeconds: number;
    readonly limit: number;
  }): Promise<readonly { readonly tenantId: string; readonly accountId: string }[]>;
  /**
   * Takes one request from a credential's budget for an endpoint, unless that would spend more
   * than `share` of it before it resets or the platform said to wait: then says until when.
   * `observed`, what the previous response's headers said, is recorded first, in the same step
   * (as `recordBudget` would), so a page costs one trip to the budget rather than two.
   */
  reserveRequest(input: {
    readonly budgetKey: string;
    readonly endpoint: string;
    readonly now: Date;
    readonly share: number;
    readonly observed?: RateLimit | null;
  }): Promise<{ readonly allowed: true } | { readonly allowed: false; readonly until: Date }>;
  /** What the platform's headers said (and, after a 429, not before when). */
  recordBudget(input: {
    readonly budgetKey: string;
    readonly endpoint: string;
    readonly rateLimit: RateLimit | null;
    readonly blockedUntil: Date | null;
  }): Promise<void>;
}

/**
 * Installations are looked up before the tenant is known (a Slack request carries only its team
 * id), so they live on the cross-tenant path, keyed by platform and installation key.
 */
export interface InstallationDirectory {
  /** Creates or replaces the installation with this platform and key. */
  save(installation: Installation): Promise<void>;
  /**
   * Replaces the installation with this platform and key only if it is still there: false when an
   * uninstall (in another replica, say) removed it meanwhile, which this never undoes.
   */
  update(installation: Installation): Promise<boolean>;
  find(platform: Platform, key: string): Promise<Installation | undefined>;
  /** Deletes it (tokens and all); false when there was none. */
  remove(platform: Platform, key: string): Promise<boolean>;
}

export interface TenantRepositories {
  readonly tenantId: string;
  readonly tenant: TenantRepository;
  readonly members: MemberRepository;
  readonly contacts: ContactRepository;
  readonly touchpoints: TouchpointRepository;
  readonly socialAccounts: SocialAccountRepository;
  readonly mentions: MentionRepository;
  readonly ownPosts: OwnPostRepository;
  readonly pendingActions: PendingActionRepository;
  readonly nudges: NudgeRepository;
  readonly installScopes: InstallScopeRepository;
}

/**
 * The places in the organization the app was added (Teams scopes), removed ones kept and marked.
 * Adds and removals of one tenant are made one at a time (each holds the tenant until its
 * transaction ends), so what `list` shows after one of them is every scope there is: two scopes
 * removed at once cannot both see the other still there.
 */
export interface InstallScopeRepository {
  /** Records the app added in this conversation; one added before (or removed) is installed again, its reference replaced. */
  add(scope: NewInstallScope): Promise<void>;
  /** Marks it removed; false when the app was not installed there. */
  remove(conversationId: string, at: Date): Promise<boolean>;
  /** Every scope recorded, removed ones included (with `removedAt`), oldest first. */
  list(): Promise<InstallScope[]>;
}

/** The tenant's daily nudges and their deliveries (the transactional outbox). */
export interface NudgeRepository {
  /**
   * Stores the nudge composed for its local date (and kind) and queues a delivery to each target,
   * due from `at`, unless that day already has one of that kind: false then, and nothing is written. Of any number of
   * callers at once, in any number of processes, exactly one gets true.
   */
  claim(message: Digest, targets: readonly NudgeTarget[], at: Date): Promise<boolean>;
  /** Whether the day has its nudge of that kind already. */
  has(localDate: string, kind: NudgeKind): Promise<boolean>;
  /**
   * The day's nudge as composed (an owner's own view, for `owner`), and what people have done with
   * its buttons since (shared by every view: an item handled is handled everywhere).
   */
  get(ref: NudgeRef): Promise<NudgeView | undefined>;
  /** Records what someone did with an item's button (the item's key: nudgeItemKey). */
  recordAction(ref: NudgeRef, key: string, action: NudgeAction): Promise<void>;
  delivery(id: string): Promise<NudgeDelivery | undefined>;
  /** Marks a pending delivery sent with the platform's reference to it; false if it was not pending. */
  markSent(id: string, sent: { readonly ref: string; readonly at: Date }): Promise<boolean>;
  /** Sets a pending delivery's next attempt; an attempt that does not count is given back. */
  retryLater(
    id: string,
    retry: { readonly at: Date; readonly error: string; readonly countsAsAttempt: boolean },
  ): Promise<void>;
  /** Gives a pending delivery up: it stays, visible, with why. */
  markDead(id: string, error: string): Promise<void>;
  /**
   * Ends a pending delivery whose outcome cannot be told (it may have been posted, and there is no
   * way to look): not attempted again, kept visible with why.
   */
  markUnknown(id: string, error: string): Promise<void>;
  /** The day's deliveries, for the operator and the tests. */
  deliveries(localDate: string): Promise<readonly NudgeDelivery[]>;
}

/** Posts nudges to a platform. */
export interface NudgeNotifier {
  post(delivery: NudgeDelivery): Promise<Result<{ readonly ref: string }, DeliveryFailure>>;
  /**
   * The message an earlier attempt of this delivery posted, found by the metadata it carries;
   * null when there is none. Asked before re-sending an attempt whose outcome is unknown.
   */
  findPosted(delivery: NudgeDelivery): Promise<Result<{ readonly ref: string } | null, LookupFailure>>;
  /**
   * How long after a post `findPosted` can be trusted to see it, in seconds: where the look-up reads
   * a listing that lags the platform (Microsoft Graph behind the Bot Framework connector), an
   * attempt after one whose outcome is unknown waits at least this long, or it could miss the
   * message and post it twice. None, or 0: at once.
   */
  lookupSettleSeconds?(delivery: NudgeDelivery): number | Promise<number>;
}

/**
 * What a chat reply left half-done until someone presses a button: the touch waiting for "which
 * Jane?" or for "Create contact". Kept server-side because a button's value holds 2,000 characters
 * and a note may hold 10,000.
 */
export interface PendingActionRepository {
  put(kind: string, payload: unknown, expiresAt: Date): Promise<string>;
  /** Removes and returns it, once: a second press of the same button finds nothing. */
  take(id: string, kind: string, now: Date): Promise<unknown | undefined>;
  /**
   * Adds entries to the list kept under a key of the caller's choosing (one list per kind and
   * key), kept until `expiresAt`; a list that had expired by `now` starts again. Callers at once
   * all add theirs.
   */
  append(
    kind: string,
    key: string,
    entries: readonly unknown[],
    at: { readonly now: Date; readonly expiresAt: Date },
  ): Promise<void>;
  /** Removes and returns the list kept under the key, once; [] when there is none or it expired. */
  takeList(kind: string, key: string, now: Date): Promise<unknown[]>;
}

/** The cross-tenant path: finding and creating tenants. Everything else is tenant-scoped. */
export interface TenantDirectory {
  /** Creates the tenant, and its first admin when given, in one transaction. */
  create(
    tenant: NewTenant,
    options?: { readonly admin?: { readonly platformUserId: string; readonly displayName?: string | null } },
  ): Promise<Result<Tenant, TenantExists>>;
  get(id: string): Promise<Tenant | undefined>;
  findByExternalId(platform: Platform, externalId: string): Promise<Tenant | undefined>;
  list(): Promise<Tenant[]>;
}

export interface TenantRepository {
  get(): Promise<Tenant>;
  update(patch: TenantPatch): Promise<Tenant>;
}

export interface MemberRepository {
  /** Creates the member, or updates the display name (and the role, when given) of an existing one. */
  upsert(member: { platformUserId: string; role?: MemberRole; displayName?: string | null }): Promise<Member>;
  get(platformUserId: string): Promise<Member | undefined>;
  list(): Promise<Member[]>;
  /**
   * Holds the tenant's roles until the transaction ends: another transaction's lockRoles waits
   * for this one to commit, and what either reads after it is what the other committed. Changes
   * to who is admin take it first, so two admins revoking each other at once are decided one after
   * the other (PostgreSQL's READ COMMITTED would otherwise commit both).
   */
  lockRoles(): Promise<void>;
}

export interface ContactName {
  readonly id: string;
  readonly name: string;
}

export interface ContactWithLastTouch {
  readonly contact: Contact;
  readonly lastTouch: LastTouch | null;
}

export interface ContactRepository {
  create(contact: NewContact): Promise<Contact>;
  /** Bulk insert for imports; returns how many were created. */
  createMany(contacts: readonly NewContact[]): Promise<number>;
  update(id: string, patch: ContactPatch): Promise<Contact | undefined>;
  addIdentities(id: string, identities: Contact["identities"]): Promise<void>;
  get(id: string): Promise<Contact | undefined>;
  /** By the platform's user id (which survives handle changes) first, then by normalized handle. */
  findByIdentity(
    platform: IdentityPlatform,
    key: { readonly handle?: string; readonly externalUserId?: string },
  ): Promise<Contact | undefined>;
  /**
   * Who holds any of these identities on a platform, in one query: for a page of posts' authors.
   * Archived contacts included (their history still matters).
   */
  identityHolders(
    platform: IdentityPlatform,
    keys: { readonly externalUserIds: readonly string[]; readonly handles: readonly string[] },
  ): Promise<{ readonly contactId: string; readonly externalUserId: string | null; readonly handle: string | null }[]>;
  /**
   * Records the platform's user id on identities known only by handle (handles change; the id
   * does not). An id another identity already holds is left alone.
   */
  learnExternalUserIds(
    platform: IdentityPlatform,
    learned: readonly { readonly handle: string; readonly externalUserId: string }[],
  ): Promise<void>;
  /** Contacts with this normalized handle on any platform (X handles and aliases). Not archived. */
  findByHandle(handle: string): Promise<Contact[]>;
  /** Case-insensitive exact name match. Not archived. Lists of contacts come in `compareContacts` order. */
  findByName(name: string): Promise<Contact[]>;
  /** Every non-archived contact's id and name, for fuzzy matching. */
  listNames(): Promise<ContactName[]>;
  list(options?: { readonly includeArchived?: boolean }): Promise<Contact[]>;
  /** Every non-archived contact with its most recent (not undone) touch. */
  listWithLastTouch(): Promise<ContactWithLastTouch[]>;
  /**
   * Active contacts past their cadence at `now`, counted in calendar days in `timeZone`: the most
   * urgent first (how far past × the segment's weight), at most `limit`, and how many there are.
   * A contact's cadence is its own, else its segment's in `cadenceBySegment`, else `fallbackCadence`.
   * The store keeps each contact's latest touch, so this reads contacts, never their history.
   */
  goingCold(input: {
    readonly now: Date;
    readonly timeZone: string;
    readonly cadenceBySegment: Readonly<Record<string, number>>;
    readonly fallbackCadence: number;
    readonly weights: Readonly<Record<string, number>>;
    readonly fallbackWeight: number;
    readonly limit: number;
  }): Promise<{ readonly relationships: readonly RelationshipSummary[]; readonly total: number }>;
}

export interface TouchpointRepository {
  /** Inserts unless a touchpoint with the same sourceRef exists; then returns that one, `created: false`. */
  record(touch: NewTouchpoint): Promise<{ touchpoint: Touchpoint; created: boolean }>;
  /** Inserts each unless its sourceRef is already stored; returns how many were new. */
  recordMany(touches: readonly NewTouchpoint[]): Promise<number>;
  get(id: string): Promise<Touchpoint | undefined>;
  findBySourceRef(sourceRef: string): Promise<Touchpoint | undefined>;
  /** The contact's most recent touch that is not undone, optionally ignoring one. */
  latest(contactId: string, options?: { readonly excluding?: string }): Promise<Touchpoint | undefined>;
  /** Marks it undone (kept, so a late retry of the same command cannot bring it back). */
  undo(id: string, at: Date): Promise<Touchpoint | undefined>;
  countSince(contactId: string, since: Date): Promise<TouchCounts>;
  listForContact(contactId: string, limit: number): Promise<Touchpoint[]>;
}

export interface SocialAccountRepository {
  /** Connects (or reconnects, replacing the credentials of) the account with this platform user id. */
  connect(account: ConnectSocialAccount): Promise<SocialAccount>;
  list(): Promise<SocialAccount[]>;
  credentials(id: string): Promise<string | undefined>;
  /** Everything a poll needs: the account, its credentials, where each stream stopped. */
  pollState(id: string): Promise<PollState | undefined>;
  /** Where a stream stopped; saved in the transaction that stored the page it covers. */
  saveProgress(id: string, stream: PostStream, progress: StreamProgress): Promise<void>;
  /** The first nudge is owed for this account (its backfill just ended); kept until taken. */
  markWelcomeDue(id: string): Promise<void>;
  /** Clears an owed first nudge; whether one was owed (of two takers at once, one gets true). */
  takeWelcomeDue(id: string): Promise<boolean>;
  /** Ends a poll: when to poll next, and the lease let go. */
  finishPoll(id: string, input: { readonly nextPollAt: Date; readonly intervalSeconds: number }): Promise<void>;
  /** Pauses an active account; false when it already was (so admins hear of it once). */
  pause(id: string, reason: string): Promise<boolean>;
  /** Pauses every active account of the tenant; how many it paused. */
  pauseAll(reason: string): Promise<number>;
  /** Makes the accounts paused for exactly `reason` active again, due at once; how many. */
  resume(reason: string): Promise<number>;
}

export type PostStream = "mentions" | "ownPosts";

/**
 * A stream's cursor. Pages come newest first, so `sinceId` moves only when the last page of a
 * run is stored; until then `nextToken` and `pendingNewestId` say where the run is.
 */
export interface StreamProgress {
  readonly sinceId: string | null;
  readonly nextToken: string | null;
  readonly pendingNewestId: string | null;
}

export interface PollState {
  readonly account: SocialAccount;
  readonly credentials: string;
  readonly intervalSeconds: number | null;
  /** The first nudge is owed (markWelcomeDue). */
  readonly welcomeDue: boolean;
  readonly mentions: StreamProgress;
  readonly ownPosts: StreamProgress;
}

export interface MentionRepository {
  /**
   * Stores the mentions not stored yet (same platform and post id) and, in the same step, the
   * touchpoint `touches` holds for each of those by post id: a post delivered twice logs nothing
   * twice. Returns the post ids stored now and how many touchpoints were written.
   */
  insertMany(
    mentions: readonly NewMention[],
    touches?: ReadonlyMap<string, NewTouchpoint>,
  ): Promise<{ readonly stored: ReadonlySet<string>; readonly touchpoints: number }>;
  /**
   * Open mentions a reply might answer: those with one of `postIds`, or in one of the
   * conversations. The caller decides which a reply really answers.
   */
  findOpen(
    platform: SocialPlatform,
    keys: { readonly postIds: readonly string[]; readonly conversationIds: readonly string[] },
  ): Promise<Mention[]>;
  markReplied(replies: readonly { readonly id: string; readonly repliedAt: Date }[]): Promise<void>;
  /**
   * Open mentions, oldest first. With `person`, only theirs: assigned to them, or unassigned and
   * from a contact they own.
   */
  listOpen(limit: number, filter?: { readonly person: string }): Promise<Mention[]>;
  /**
   * Gives a mention to someone (a platform user id), or to no one; false if there is no such
   * mention, or (`ifUnassigned`) it is someone's already: of two people taking it at once, one does.
   */
  assign(id: string, assignee: string | null, options?: { readonly ifUnassigned?: boolean }): Promise<boolean>;
  get(id: string): Promise<Mention | undefined>;
  /** Puts an open mention aside until a time; false if there is no such open mention. */
  snooze(id: string, until: Date): Promise<boolean>;
  /** Attaches an author's mentions that have no contact to a (new) contact; returns how many. */
  attachAuthor(platform: SocialPlatform, externalUserId: string, contactId: string): Promise<number>;
  /**
   * For the nudge: open mentions from active contacts posted by `now` (snoozes over by then), the most urgent first —
   * the contact's segment weight (`weights`, else `fallbackWeight`) times the time waited — and
   * how many there are.
   */
  waitingFromContacts(input: {
    readonly now: Date;
    readonly weights: Readonly<Record<string, number>>;
    readonly fallbackWeight: number;
    readonly limit: number;
  }): Promise<{
    readonly mentions: readonly { readonly mention: Mention; readonly contact: DigestContact }[];
    readonly total: number;
  }>;
  /** Open mentions from people who are not contacts, posted since `since`, the widest reach first. */
  waitingFromStrangers(input: {
    readonly now: Date;
    readonly since: Date;
    readonly limit: number;
  }): Promise<{ readonly mentions: Mention[]; readonly total: number }>;
  /** "How you're doing": yesterday's mentions and replies, the week's reply times and own posts. */
  activity(input: {
    readonly yesterday: { readonly from: Date; readonly to: Date };
    readonly weekFrom: Date;
  }): Promise<MentionActivity>;
}

export interface OwnPostRepository {
  /** Stores the posts not stored yet; returns the new ones' post ids. */
  insertMany(posts: readonly OwnPost[]): Promise<ReadonlySet<string>>;
  /** Own replies to any of `postIds` or within any of the conversations. */
  findReplies(
    platform: SocialPlatform,
    keys: { readonly postIds: readonly string[]; readonly conversationIds: readonly string[] },
  ): Promise<OwnPost[]>;
}

/**
 * Reads one platform with one credential (on X, an app's bearer token). Pages come newest first;
 * failures are values, so a poll can tell a revoked token from a busy API.
 */
export interface MentionSource {
  /** Names the credential's shared request budget without revealing it (a hash). */
  readonly budgetKey: string;
  findUser(handle: string): Promise<Result<PlatformUser, SourceFailure>>;
  /** Posts that mention the account. */
  mentions(accountUserId: string, page: PageRequest): Promise<Result<PostPage, SourceFailure>>;
  /** The account's own posts: its replies say which mentions are answered. */
  ownPosts(accountUserId: string, page: PageRequest): Promise<Result<PostPage, SourceFailure>>;
}

/** Opens a MentionSource for one credential. */
export type OpenMentionSource = (credentials: string) => MentionSource;

/** Structured logging, as pino does it: details first, then the message. */
export interface Logger {
  debug(details: object, message?: string): void;
  info(details: object, message?: string): void;
  warn(details: object, message?: string): void;
  error(details: object, message?: string): void;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
