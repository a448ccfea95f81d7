import { type Contact, compareContacts, type NewContact } from "../domain/contact.js";
import type { Digest } from "../domain/digest.js";
import { assessRelationship, type LastTouch, type RelationshipSummary } from "../domain/health.js";
import type { Installation, InstallScope } from "../domain/installation.js";
import { type Mention, OPEN_MENTION_STATUSES, type OwnPost } from "../domain/mention.js";
import type { DeliveryStatus, NudgeAction, NudgeDelivery, NudgeKind } from "../domain/nudge.js";
import type { RateLimit } from "../domain/post.js";
import type { SocialAccount } from "../domain/social-account.js";
import { DEFAULT_SETTINGS, type Member, type Tenant } from "../domain/tenant.js";
import type { Touchpoint } from "../domain/touchpoint.js";
import { TenantExists } from "../errors.js";
import { groupCommit } from "../group-commit.js";
import type {
  ContactRepository,
  InstallationDirectory,
  InstallScopeRepository,
  MemberRepository,
  MentionRepository,
  NudgeDirectory,
  NudgeRepository,
  OwnPostRepository,
  PendingActionRepository,
  PollerDirectory,
  SocialAccountRepository,
  Storage,
  StreamProgress,
  TenantDirectory,
  TenantRepositories,
  TenantRepository,
  TouchpointRepository,
} from "../ports.js";
import { err, ok } from "../result.js";
import { randomId } from "./ids.js";

interface State {
  tenants: Map<string, Tenant>;
  installations: Map<string, Installation>;
  installScopes: Map<string, InstallScope & { tenantId: string }>;
  pending: Map<string, { tenantId: string; kind: string; payload: unknown; expiresAt: Date }>;
  members: Map<string, Member>;
  contacts: Map<string, Contact>;
  touchpoints: Map<string, Touchpoint>;
  accounts: Map<string, AccountRow>;
  mentions: Map<string, Mention>;
  ownPosts: Map<string, OwnPost & { tenantId: string }>;
  budgets: Map<string, { rateLimit: RateLimit | null; blockedUntil: Date | null }>;
  nudges: Map<
    string,
    { tenantId: string; localDate: string; message: Digest; actions: Readonly<Record<string, NudgeAction>> }
  >;
  deliveries: Map<string, DeliveryRow>;
}

interface DeliveryRow {
  readonly tenantId: string;
  readonly id: string;
  readonly localDate: string;
  readonly kind: NudgeKind;
  readonly target: string;
  /** An owner's own view; null: the nudge's message. */
  readonly message: Digest | null;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: Date | null;
  readonly lastError: string | null;
  readonly externalRef: string | null;
  readonly createdAt: Date;
}

interface AccountRow {
  account: SocialAccount;
  credentials: string;
  pausedReason: string | null;
  intervalSeconds: number | null;
  welcomeDue: boolean;
  nextPollAt: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  mentions: StreamProgress;
  ownPosts: StreamProgress;
}

const NO_PROGRESS: StreamProgress = { sinceId: null, nextToken: null, pendingNewestId: null };

const cloneState = (s: State): State => ({
  tenants: new Map(s.tenants),
  installations: new Map(s.installations),
  installScopes: new Map(s.installScopes),
  pending: new Map(s.pending),
  members: new Map(s.members),
  contacts: new Map(s.contacts),
  touchpoints: new Map(s.touchpoints),
  accounts: new Map(s.accounts),
  mentions: new Map(s.mentions),
  ownPosts: new Map(s.ownPosts),
  budgets: new Map(s.budgets),
  nudges: new Map(s.nudges),
  deliveries: new Map(s.deliveries),
});

/**
 * The storage port in memory, for core tests. Transactions run one at a time and roll back on
 * throw, like the real thing; every query is filtered by tenant, like the real thing.
 */
export class InMemoryStorage implements Storage {
  private state: State = {
    tenants: new Map(),
    installations: new Map(),
    installScopes: new Map(),
    pending: new Map(),
    members: new Map(),
    contacts: new Map(),
    touchpoints: new Map(),
    accounts: new Map(),
    mentions: new Map(),
    ownPosts: new Map(),
    budgets: new Map(),
    nudges: new Map(),
    deliveries: new Map(),
  };
  private queue: Promise<unknown> = Promise.resolve();

  readonly tenants: TenantDirectory = {
    create: async (input, options) => {
      const exists = [...this.state.tenants.values()].some(
        (t) => t.platform === input.platform && t.externalId === input.externalId,
      );
      if (exists) return err(new TenantExists(input.platform, input.externalId));
      const tenant: Tenant = {
        id: randomId(),
        platform: input.platform,
        externalId: input.externalId,
        enterpriseId: input.enterpriseId ?? null,
        name: input.name,
        timeZone: input.timeZone ?? "UTC",
        nudgeTime: input.nudgeTime ?? "09:00",
        nudgeChannel: input.nudgeChannel ?? null,
        settings: DEFAULT_SETTINGS,
        createdAt: new Date(),
      };
      this.state.tenants.set(tenant.id, tenant);
      const admin = options?.admin;
      if (admin) {
        this.state.members.set(`${tenant.id}:${admin.platformUserId}`, {
          tenantId: tenant.id,
          platformUserId: admin.platformUserId,
          role: "admin",
          displayName: admin.displayName ?? null,
        });
      }
      return ok(tenant);
    },
    get: async (id) => this.state.tenants.get(id),
    findByExternalId: async (platform, externalId) =>
      [...this.state.tenants.values()].find((t) => t.platform === platform && t.externalId === externalId),
    list: async () => [...this.state.tenants.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };

  readonly installations: InstallationDirectory = {
    save: async (installation) => {
      this.state.installations.set(`${installation.platform}:${installation.key}`, installation);
    },
    update: async (installation) => {
      const key = `${installation.platform}:${installation.key}`;
      if (!this.state.installations.has(key)) return false;
      this.state.installations.set(key, installation);
      return true;
    },
    find: async (platform, key) => this.state.installations.get(`${platform}:${key}`),
    remove: async (platform, key) => this.state.installations.delete(`${platform}:${key}`),
  };

  readonly poller: PollerDirectory = {
    claimDue: async ({ owner, now, leaseSeconds, limit }) => {
      const due = [...this.state.accounts.values()]
        .filter(
          (row) =>
            row.account.status === "active" &&
            row.nextPollAt <= now &&
            (row.leaseExpiresAt === null || row.leaseExpiresAt <= now),
        )
        .sort((a, b) => a.nextPollAt.getTime() - b.nextPollAt.getTime())
        .slice(0, limit);
      for (const row of due) {
        row.leaseOwner = owner;
        row.leaseExpiresAt = new Date(now.getTime() + leaseSeconds * 1000);
      }
      return due.map((row) => ({ tenantId: row.account.tenantId, accountId: row.account.id }));
    },
    reserveRequest: async ({ budgetKey, endpoint, now, share, observed }) => {
      if (observed) await this.poller.recordBudget({ budgetKey, endpoint, rateLimit: observed, blockedUntil: null });
      const budget = this.state.budgets.get(`${budgetKey}:${endpoint}`);
      if (!budget) return { allowed: true };
      if (budget.blockedUntil && budget.blockedUntil > now) return { allowed: false, until: budget.blockedUntil };
      const limit = budget.rateLimit;
      if (!limit || limit.resetAt <= now) return { allowed: true };
      // What is spent stays under `share` of the budget, counting this request.
      if (limit.limit - limit.remaining + 1 >= limit.limit * share) return { allowed: false, until: limit.resetAt };
      budget.rateLimit = { ...limit, remaining: limit.remaining - 1 };
      return { allowed: true };
    },
    recordBudget: async ({ budgetKey, endpoint, rateLimit, blockedUntil }) => {
      const key = `${budgetKey}:${endpoint}`;
      const current = this.state.budgets.get(key);
      this.state.budgets.set(key, {
        rateLimit: rateLimit ?? current?.rateLimit ?? null,
        blockedUntil: blockedUntil ?? current?.blockedUntil ?? null,
      });
    },
  };

  readonly nudges: NudgeDirectory = {
    candidates: async () =>
      [...this.state.tenants.values()]
        .filter(
          (tenant) =>
            tenant.nudgeChannel !== null &&
            [...this.state.installations.values()].some((installation) => installation.tenantId === tenant.id),
        )
        .map((tenant) => ({
          tenantId: tenant.id,
          timeZone: tenant.timeZone,
          nudgeTime: tenant.nudgeTime,
          lastLocalDate:
            [...this.state.nudges.values()]
              .filter((nudge) => nudge.tenantId === tenant.id && nudge.message.kind === "daily")
              .map((nudge) => nudge.localDate)
              .sort()
              .at(-1) ?? null,
        })),
    claimDeliveries: async ({ owner, now, leaseSeconds, limit }) => {
      const due = [...this.state.deliveries.values()]
        .filter(
          (row) =>
            row.status === "pending" &&
            row.nextAttemptAt <= now &&
            (row.leaseExpiresAt === null || row.leaseExpiresAt <= now),
        )
        .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
        .slice(0, limit);
      for (const row of due) {
        this.state.deliveries.set(row.id, {
          ...row,
          attempts: row.attempts + 1,
          leaseOwner: owner,
          leaseExpiresAt: new Date(now.getTime() + leaseSeconds * 1000),
        });
      }
      // A lease still owned is one whose attempt never recorded how it went.
      return due.map((row) => ({ tenantId: row.tenantId, id: row.id, interrupted: row.leaseOwner !== null }));
    },
    deadLetters: async () => this.countByTenant("dead"),
    unknownOutcomes: async () => this.countByTenant("unknown"),
  };

  private countByTenant(status: DeliveryStatus): ReadonlyMap<string, number> {
    const counts = new Map<string, number>();
    for (const row of this.state.deliveries.values()) {
      if (row.status === status) counts.set(row.tenantId, (counts.get(row.tenantId) ?? 0) + 1);
    }
    return counts;
  }

  withTenant<T>(tenantId: string, work: (repos: TenantRepositories) => Promise<T>): Promise<T> {
    const run = async () => {
      const before = this.state;
      this.state = cloneState(before);
      try {
        return await work(this.repositories(tenantId));
      } catch (error) {
        this.state = before;
        throw error;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  readonly withTenantShared: Storage["withTenantShared"] = groupCommit((tenantId, work) =>
    this.withTenant(tenantId, work),
  );

  private repositories(tenantId: string): TenantRepositories {
    const s = () => this.state;
    const own = <T extends { tenantId: string }>(map: Map<string, T>) =>
      [...map.values()].filter((row) => row.tenantId === tenantId);
    const awaitsReply = (m: Mention, now: Date) =>
      m.status === "needs_reply" || (m.status === "snoozed" && (m.snoozedUntil === null || m.snoozedUntil <= now));
    const belongsTo = (m: Mention, person: string) =>
      m.assignee === person ||
      (m.assignee === null && m.contactId !== null && s().contacts.get(m.contactId)?.owner === person);
    const activeTouches = () => own(s().touchpoints).filter((t) => t.undoneAt === null);
    const newest = (a: Touchpoint, b: Touchpoint) =>
      b.occurredAt.getTime() - a.occurredAt.getTime() || b.createdAt.getTime() - a.createdAt.getTime();
    const contactOf = (id: string) => {
      const contact = s().contacts.get(id);
      return contact?.tenantId === tenantId ? contact : undefined;
    };
    const assertIdentitiesFree = (identities: Contact["identities"], except?: string) => {
      for (const identity of identities) {
        const taken = own(s().contacts).some(
          (c) =>
            c.id !== except &&
            c.identities.some(
              (i) =>
                i.platform === identity.platform &&
                (i.handle === identity.handle ||
                  (identity.externalUserId !== null && i.externalUserId === identity.externalUserId)),
            ),
        );
        if (taken) throw new Error(`duplicate identity ${identity.platform}:${identity.handle}`);
      }
    };
    const insertContact = (input: NewContact): Contact => {
      assertIdentitiesFree(input.identities ?? []);
      const now = new Date();
      const contact: Contact = {
        id: randomId(),
        tenantId,
        name: input.name,
        segment: input.segment ?? null,
        tags: [...(input.tags ?? [])],
        owner: input.owner ?? null,
        cadenceDays: input.cadenceDays ?? null,
        notes: input.notes ?? null,
        archived: false,
        identities: [...(input.identities ?? [])],
        createdAt: now,
        updatedAt: now,
      };
      s().contacts.set(contact.id, contact);
      return contact;
    };

    const tenant: TenantRepository = {
      get: async () => {
        const found = s().tenants.get(tenantId);
        if (!found) throw new Error(`tenant ${tenantId} does not exist`);
        return found;
      },
      update: async (patch) => {
        const current = await tenant.get();
        const updated: Tenant = {
          ...current,
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.timeZone !== undefined && { timeZone: patch.timeZone }),
          ...(patch.nudgeTime !== undefined && { nudgeTime: patch.nudgeTime }),
          ...(patch.nudgeChannel !== undefined && { nudgeChannel: patch.nudgeChannel }),
          settings: { ...current.settings, ...patch.settings },
        };
        s().tenants.set(tenantId, updated);
        return updated;
      },
    };

    const members: MemberRepository = {
      upsert: async ({ platformUserId, role, displayName }) => {
        const key = `${tenantId}:${platformUserId}`;
        const current = s().members.get(key);
        const member: Member = {
          tenantId,
          platformUserId,
          role: role ?? current?.role ?? "member",
          displayName: displayName === undefined ? (current?.displayName ?? null) : displayName,
        };
        s().members.set(key, member);
        return member;
      },
      get: async (platformUserId) => s().members.get(`${tenantId}:${platformUserId}`),
      list: async () => own(s().members).sort((a, b) => a.platformUserId.localeCompare(b.platformUserId)),
      // Transactions here run one at a time already.
      lockRoles: async () => undefined,
    };

    const contacts: ContactRepository = {
      create: async (input) => insertContact(input),
      createMany: async (inputs) => {
        for (const input of inputs) insertContact(input);
        return inputs.length;
      },
      update: async (id, patch) => {
        const current = contactOf(id);
        if (!current) return undefined;
        const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        const updated: Contact = { ...current, ...defined, updatedAt: new Date() };
        s().contacts.set(id, updated);
        return updated;
      },
      addIdentities: async (id, identities) => {
        const current = contactOf(id);
        if (!current) throw new Error(`contact ${id} does not exist`);
        assertIdentitiesFree(identities, id);
        s().contacts.set(id, { ...current, identities: [...current.identities, ...identities] });
      },
      get: async (id) => contactOf(id),
      findByIdentity: async (platform, key) => {
        const holding = (match: (i: Contact["identities"][number]) => boolean) =>
          own(s().contacts).find((c) => c.identities.some((i) => i.platform === platform && match(i)));
        return (
          (key.externalUserId !== undefined ? holding((i) => i.externalUserId === key.externalUserId) : undefined) ??
          (key.handle !== undefined ? holding((i) => i.handle === key.handle) : undefined)
        );
      },
      identityHolders: async (platform, keys) =>
        own(s().contacts).flatMap((c) =>
          c.identities
            .filter(
              (i) =>
                i.platform === platform &&
                ((i.externalUserId !== null && keys.externalUserIds.includes(i.externalUserId)) ||
                  keys.handles.includes(i.handle)),
            )
            .map((i) => ({ contactId: c.id, externalUserId: i.externalUserId, handle: i.handle })),
        ),
      learnExternalUserIds: async (platform, learned) => {
        for (const { handle, externalUserId } of learned) {
          const taken = own(s().contacts).some((c) =>
            c.identities.some((i) => i.platform === platform && i.externalUserId === externalUserId),
          );
          const holder = own(s().contacts).find((c) =>
            c.identities.some((i) => i.platform === platform && i.handle === handle && i.externalUserId === null),
          );
          if (taken || !holder) continue;
          const identities = holder.identities.map((i) =>
            i.platform === platform && i.handle === handle ? { ...i, externalUserId } : i,
          );
          s().contacts.set(holder.id, { ...holder, identities });
        }
      },
      findByHandle: async (handle) =>
        own(s().contacts)
          .filter((c) => !c.archived && c.identities.some((i) => i.handle === handle))
          .sort(compareContacts),
      findByName: async (name) =>
        own(s().contacts)
          .filter((c) => !c.archived && c.name.toLowerCase() === name.toLowerCase())
          .sort(compareContacts),
      listNames: async () =>
        own(s().contacts)
          .filter((c) => !c.archived)
          .map(({ id, name }) => ({ id, name })),
      list: async (options) =>
        own(s().contacts)
          .filter((c) => options?.includeArchived || !c.archived)
          .sort(compareContacts),
      listWithLastTouch: async () => {
        const last = new Map<string, Touchpoint>();
        for (const touch of activeTouches().sort(newest)) {
          if (!last.has(touch.contactId)) last.set(touch.contactId, touch);
        }
        return own(s().contacts)
          .filter((c) => !c.archived)
          .sort(compareContacts)
          .map((contact) => {
            const t = last.get(contact.id);
            const lastTouch: LastTouch | null = t
              ? { occurredAt: t.occurredAt, channel: t.channel, direction: t.direction, note: t.note }
              : null;
            return { contact, lastTouch };
          });
      },
      goingCold: async ({ now, timeZone, cadenceBySegment, fallbackCadence, weights, fallbackWeight, limit }) => {
        const cadence = (c: Contact) => c.cadenceDays ?? cadenceBySegment[c.segment ?? ""] ?? fallbackCadence;
        const weight = (c: Contact) => weights[c.segment ?? ""] ?? fallbackWeight;
        const overdue = (await contacts.listWithLastTouch())
          .map(({ contact, lastTouch }) =>
            assessRelationship({ contact, lastTouch, cadenceDays: cadence(contact), recent: null, now, timeZone }),
          )
          .filter((r) => r.status === "overdue");
        const score = (r: RelationshipSummary) => (r.overdueRatio ?? 0) * weight(r.contact);
        overdue.sort((a, b) => score(b) - score(a) || a.contact.id.localeCompare(b.contact.id));
        return { relationships: overdue.slice(0, limit), total: overdue.length };
      },
    };

    const touchpoints: TouchpointRepository = {
      record: async (input) => {
        const existing = own(s().touchpoints).find((t) => t.sourceRef === input.sourceRef);
        if (existing) return { touchpoint: existing, created: false };
        if (!contactOf(input.contactId)) throw new Error(`contact ${input.contactId} does not exist`);
        const touchpoint: Touchpoint = {
          ...input,
          id: randomId(),
          tenantId,
          createdAt: new Date(),
          undoneAt: null,
        };
        s().touchpoints.set(touchpoint.id, touchpoint);
        return { touchpoint, created: true };
      },
      recordMany: async (inputs) => {
        let created = 0;
        for (const input of inputs) if ((await touchpoints.record(input)).created) created++;
        return created;
      },
      get: async (id) => own(s().touchpoints).find((t) => t.id === id),
      findBySourceRef: async (sourceRef) => own(s().touchpoints).find((t) => t.sourceRef === sourceRef),
      latest: async (contactId, options) =>
        activeTouches()
          .filter((t) => t.contactId === contactId && t.id !== options?.excluding)
          .sort(newest)[0],
      undo: async (id, at) => {
        const current = own(s().touchpoints).find((t) => t.id === id);
        if (!current) return undefined;
        if (current.undoneAt !== null) return current;
        const undone = { ...current, undoneAt: at };
        s().touchpoints.set(id, undone);
        return undone;
      },
      countSince: async (contactId, since) => {
        const recent = activeTouches().filter((t) => t.contactId === contactId && t.occurredAt >= since);
        return {
          total: recent.length,
          inbound: recent.filter((t) => t.direction === "inbound").length,
          outbound: recent.filter((t) => t.direction === "outbound").length,
        };
      },
      listForContact: async (contactId, limit) =>
        activeTouches()
          .filter((t) => t.contactId === contactId)
          .sort(newest)
          .slice(0, limit),
    };

    const accountRow = (id: string) => {
      const found = s().accounts.get(id);
      return found?.account.tenantId === tenantId ? found : undefined;
    };
    /** Rows are replaced, not mutated, so a rolled-back transaction leaves the old one. */
    const updateAccount = (id: string, change: (row: AccountRow) => Partial<AccountRow>) => {
      const row = accountRow(id);
      if (row) s().accounts.set(id, { ...row, ...change(row) });
      return row;
    };
    const socialAccounts: SocialAccountRepository = {
      connect: async (input) => {
        const existing = [...s().accounts.values()].find(
          (a) =>
            a.account.tenantId === tenantId &&
            a.account.platform === input.platform &&
            a.account.externalUserId === input.externalUserId,
        );
        const account: SocialAccount = {
          tenantId,
          id: existing?.account.id ?? randomId(),
          platform: input.platform,
          handle: input.handle,
          externalUserId: input.externalUserId,
          status: "active",
          createdAt: existing?.account.createdAt ?? new Date(),
        };
        s().accounts.set(account.id, {
          intervalSeconds: null,
          welcomeDue: false,
          leaseOwner: null,
          leaseExpiresAt: null,
          mentions: NO_PROGRESS,
          ownPosts: NO_PROGRESS,
          ...existing,
          account,
          credentials: input.credentials,
          pausedReason: null,
          nextPollAt: new Date(),
        });
        return account;
      },
      list: async () => [...s().accounts.values()].map((a) => a.account).filter((a) => a.tenantId === tenantId),
      credentials: async (id) => accountRow(id)?.credentials,
      pollState: async (id) => {
        const row = accountRow(id);
        return (
          row && {
            account: row.account,
            credentials: row.credentials,
            intervalSeconds: row.intervalSeconds,
            welcomeDue: row.welcomeDue,
            mentions: row.mentions,
            ownPosts: row.ownPosts,
          }
        );
      },
      saveProgress: async (id, stream, progress) => {
        updateAccount(id, () => ({ [stream]: progress }));
      },
      markWelcomeDue: async (id) => {
        updateAccount(id, () => ({ welcomeDue: true }));
      },
      takeWelcomeDue: async (id) => {
        const owed = accountRow(id)?.welcomeDue ?? false;
        if (owed) updateAccount(id, () => ({ welcomeDue: false }));
        return owed;
      },
      finishPoll: async (id, { nextPollAt, intervalSeconds }) => {
        updateAccount(id, () => ({ nextPollAt, intervalSeconds, leaseOwner: null, leaseExpiresAt: null }));
      },
      pause: async (id, reason) => {
        const row = accountRow(id);
        if (row?.account.status !== "active") return false;
        updateAccount(id, (r) => ({ account: { ...r.account, status: "paused" }, pausedReason: reason }));
        return true;
      },
      pauseAll: async (reason) => {
        const active = [...s().accounts.values()].filter(
          (r) => r.account.tenantId === tenantId && r.account.status === "active",
        );
        for (const { account } of active) {
          updateAccount(account.id, (r) => ({ account: { ...r.account, status: "paused" }, pausedReason: reason }));
        }
        return active.length;
      },
      resume: async (reason) => {
        const paused = [...s().accounts.values()].filter(
          (r) => r.account.tenantId === tenantId && r.account.status === "paused" && r.pausedReason === reason,
        );
        for (const { account } of paused) {
          updateAccount(account.id, (r) => ({
            account: { ...r.account, status: "active" },
            pausedReason: null,
            nextPollAt: new Date(),
          }));
        }
        return paused.length;
      },
    };

    const mentionKey = (platform: string, postId: string) => `${tenantId}:${platform}:${postId}`;
    const mentions: MentionRepository = {
      insertMany: async (rows, touches) => {
        const fresh = new Set<string>();
        for (const row of rows) {
          const key = mentionKey(row.platform, row.postId);
          if (s().mentions.has(key)) continue;
          if (row.contactId !== null && !contactOf(row.contactId))
            throw new Error(`contact ${row.contactId} does not exist`);
          s().mentions.set(key, {
            ...row,
            tenantId,
            id: randomId(),
            status: "needs_reply",
            snoozedUntil: null,
            assignee: null,
            repliedAt: null,
          });
          fresh.add(row.postId);
        }
        const logged = [...fresh].flatMap((postId) => touches?.get(postId) ?? []);
        return { stored: fresh, touchpoints: await touchpoints.recordMany(logged) };
      },
      findOpen: async (platform, keys) =>
        own(s().mentions).filter(
          (m) =>
            m.platform === platform &&
            OPEN_MENTION_STATUSES.includes(m.status) &&
            (keys.postIds.includes(m.postId) ||
              (m.conversationId !== null && keys.conversationIds.includes(m.conversationId))),
        ),
      markReplied: async (replies) => {
        for (const { id, repliedAt } of replies) {
          const entry = [...s().mentions.entries()].find(([, m]) => m.id === id && m.tenantId === tenantId);
          if (entry) s().mentions.set(entry[0], { ...entry[1], status: "replied", repliedAt, snoozedUntil: null });
        }
      },
      listOpen: async (limit, filter) =>
        own(s().mentions)
          .filter((m) => OPEN_MENTION_STATUSES.includes(m.status))
          .filter((m) => filter === undefined || belongsTo(m, filter.person))
          .sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime() || a.postId.localeCompare(b.postId))
          .slice(0, limit),
      waitingFromContacts: async ({ now, weights, fallbackWeight, limit }) => {
        const waiting = own(s().mentions).filter(
          (m) =>
            m.contactId !== null &&
            s().contacts.get(m.contactId)?.archived === false &&
            m.postedAt <= now &&
            awaitsReply(m, now),
        );
        const weight = (m: Mention) => {
          const segment = s().contacts.get(m.contactId ?? "")?.segment ?? "";
          return weights[segment] ?? fallbackWeight;
        };
        const score = (m: Mention) => weight(m) * (now.getTime() - m.postedAt.getTime());
        const ranked = waiting.sort((a, b) => score(b) - score(a) || a.postId.localeCompare(b.postId));
        const withContact = ranked.slice(0, limit).flatMap((mention) => {
          const contact = s().contacts.get(mention.contactId ?? "");
          return contact
            ? [
                {
                  mention,
                  contact: { id: contact.id, name: contact.name, segment: contact.segment, owner: contact.owner },
                },
              ]
            : [];
        });
        return { mentions: withContact, total: waiting.length };
      },
      waitingFromStrangers: async ({ now, since, limit }) => {
        const waiting = own(s().mentions).filter(
          (m) => m.contactId === null && m.postedAt >= since && m.postedAt <= now && awaitsReply(m, now),
        );
        const ranked = waiting.sort(
          (a, b) => (b.author.followers ?? -1) - (a.author.followers ?? -1) || a.postId.localeCompare(b.postId),
        );
        return { mentions: ranked.slice(0, limit), total: waiting.length };
      },
      activity: async ({ yesterday, weekFrom }) => {
        const mentions = own(s().mentions);
        const ofYesterday = mentions.filter((m) => m.postedAt >= yesterday.from && m.postedAt < yesterday.to);
        const waits = mentions
          .filter((m) => m.repliedAt !== null && m.postedAt >= weekFrom)
          .map((m) => ((m.repliedAt?.getTime() ?? 0) - m.postedAt.getTime()) / 1000)
          .sort((a, b) => a - b);
        const posts = own(s().ownPosts).filter((p) => p.postedAt >= weekFrom);
        return {
          yesterdayMentions: ofYesterday.length,
          yesterdayReplied: ofYesterday.filter((m) => m.repliedAt !== null).length,
          medianReplySeconds: median(waits),
          weekOwnPosts: posts.length,
          weekOwnReplies: posts.filter((p) => p.repliesToPostId !== null).length,
        };
      },
      assign: async (id, assignee, options) => {
        const entry = [...s().mentions.entries()].find(([, m]) => m.id === id && m.tenantId === tenantId);
        if (!entry || (options?.ifUnassigned && entry[1].assignee !== null)) return false;
        s().mentions.set(entry[0], { ...entry[1], assignee });
        return true;
      },
      get: async (id) => own(s().mentions).find((m) => m.id === id),
      attachAuthor: async (platform, externalUserId, contactId) => {
        if (!contactOf(contactId)) throw new Error(`contact ${contactId} does not exist`);
        let attached = 0;
        for (const [key, m] of s().mentions) {
          if (
            m.tenantId === tenantId &&
            m.platform === platform &&
            m.author.externalUserId === externalUserId &&
            m.contactId === null
          ) {
            s().mentions.set(key, { ...m, contactId });
            attached++;
          }
        }
        return attached;
      },
      snooze: async (id, until) => {
        const entry = [...s().mentions.entries()].find(([, m]) => m.id === id && m.tenantId === tenantId);
        if (!entry || !OPEN_MENTION_STATUSES.includes(entry[1].status)) return false;
        s().mentions.set(entry[0], { ...entry[1], status: "snoozed", snoozedUntil: until });
        return true;
      },
    };

    const ownPosts: OwnPostRepository = {
      insertMany: async (posts) => {
        const fresh = new Set<string>();
        for (const post of posts) {
          const key = mentionKey(post.platform, post.postId);
          if (s().ownPosts.has(key)) continue;
          s().ownPosts.set(key, { ...post, tenantId });
          fresh.add(post.postId);
        }
        return fresh;
      },
      findReplies: async (platform, keys) =>
        own(s().ownPosts)
          .filter(
            (p) =>
              p.platform === platform &&
              p.repliesToPostId !== null &&
              (keys.postIds.includes(p.repliesToPostId) ||
                (p.conversationId !== null && keys.conversationIds.includes(p.conversationId))),
          )
          .map(({ tenantId: _, ...post }) => post),
    };

    const pendingActions: PendingActionRepository = {
      put: async (kind, payload, expiresAt) => {
        const id = randomId();
        s().pending.set(id, { tenantId, kind, payload, expiresAt });
        return id;
      },
      take: async (id, kind, now) => {
        const found = s().pending.get(id);
        if (!found || found.tenantId !== tenantId || found.kind !== kind) return undefined;
        s().pending.delete(id);
        return found.expiresAt > now ? found.payload : undefined;
      },
      append: async (kind, key, entries, at) => {
        const id = `${tenantId}\n${kind}\n${key}`;
        const found = s().pending.get(id);
        const kept = found && found.expiresAt > at.now ? (found.payload as unknown[]) : [];
        const expiresAt = found && found.expiresAt > at.expiresAt ? found.expiresAt : at.expiresAt;
        s().pending.set(id, { tenantId, kind, payload: [...kept, ...entries], expiresAt });
      },
      takeList: async (kind, key, now) => {
        const id = `${tenantId}\n${kind}\n${key}`;
        const found = s().pending.get(id);
        if (!found) return [];
        s().pending.delete(id);
        return found.expiresAt > now ? (found.payload as unknown[]) : [];
      },
    };

    const delivery = (id: string) => {
      const row = s().deliveries.get(id);
      return row?.tenantId === tenantId ? row : undefined;
    };
    const update = (id: string, change: (row: DeliveryRow) => Partial<DeliveryRow> | null) => {
      const row = delivery(id);
      const patch = row && change(row);
      if (row && patch) s().deliveries.set(id, { ...row, ...patch });
      return Boolean(row && patch);
    };
    const nudgeKey = ({ localDate, kind }: { readonly localDate: string; readonly kind: NudgeKind }) =>
      `${tenantId}:${localDate}:${kind}`;
    const nudges: NudgeRepository = {
      claim: async (message, targets, at) => {
        const key = nudgeKey({ localDate: message.localDate, kind: message.kind });
        if (s().nudges.has(key)) return false;
        s().nudges.set(key, { tenantId, localDate: message.localDate, message, actions: {} });
        const byTarget = new Map(targets.map((t) => [t.target, t] as const));
        for (const { target, message: own } of byTarget.values()) {
          const id = randomId();
          s().deliveries.set(id, {
            tenantId,
            id,
            localDate: message.localDate,
            kind: message.kind,
            target,
            message: own ?? null,
            status: "pending",
            attempts: 0,
            nextAttemptAt: at,
            leaseOwner: null,
            leaseExpiresAt: null,
            lastError: null,
            externalRef: null,
            createdAt: at,
          });
        }
        return true;
      },
      has: async (localDate, kind) => s().nudges.has(nudgeKey({ localDate, kind })),
      get: async ({ localDate, kind, owner }) => {
        const nudge = s().nudges.get(nudgeKey({ localDate, kind }));
        const theirs =
          owner === null
            ? undefined
            : own(s().deliveries).find((d) => d.localDate === localDate && d.kind === kind && d.target === owner)
                ?.message;
        return nudge && { message: theirs ?? nudge.message, actions: nudge.actions };
      },
      recordAction: async (ref, key, action) => {
        const nudge = s().nudges.get(nudgeKey(ref));
        if (nudge) s().nudges.set(nudgeKey(ref), { ...nudge, actions: { ...nudge.actions, [key]: action } });
      },
      delivery: async (id) => {
        const row = delivery(id);
        const nudge = row && s().nudges.get(nudgeKey(row));
        if (!row || !nudge) return undefined;
        const { localDate, kind, target, status, attempts, lastError, externalRef, createdAt } = row;
        return {
          tenantId,
          id,
          localDate,
          kind,
          target,
          status,
          attempts,
          lastError,
          ref: externalRef,
          createdAt,
          message: row.message ?? nudge.message,
        };
      },
      markSent: async (id, { ref }) =>
        update(id, (row) =>
          row.status === "pending" ? { status: "sent", externalRef: ref, leaseExpiresAt: null } : null,
        ),
      retryLater: async (id, { at, error, countsAsAttempt }) => {
        update(id, (row) =>
          row.status === "pending"
            ? {
                nextAttemptAt: at,
                lastError: error,
                attempts: countsAsAttempt ? row.attempts : row.attempts - 1,
                leaseOwner: null,
                leaseExpiresAt: null,
              }
            : null,
        );
      },
      markDead: async (id, error) => {
        update(id, (row) =>
          row.status === "pending" ? { status: "dead", lastError: error, leaseExpiresAt: null } : null,
        );
      },
      markUnknown: async (id, error) => {
        update(id, (row) =>
          row.status === "pending" ? { status: "unknown", lastError: error, leaseExpiresAt: null } : null,
        );
      },
      deliveries: async (localDate) => {
        const rows = own(s().deliveries).filter((row) => row.localDate === localDate);
        const found = await Promise.all(rows.map((row) => nudges.delivery(row.id)));
        return found
          .filter((d): d is NudgeDelivery => d !== undefined)
          .sort((a, b) => a.target.localeCompare(b.target));
      },
    };

    const scopeKey = (conversationId: string) => `${tenantId}:${conversationId}`;
    const installScopes: InstallScopeRepository = {
      add: async (scope) => {
        const key = scopeKey(scope.conversationId);
        const createdAt = s().installScopes.get(key)?.createdAt ?? new Date();
        s().installScopes.set(key, { ...scope, tenantId, removedAt: null, createdAt });
      },
      remove: async (conversationId, at) => {
        const key = scopeKey(conversationId);
        const found = s().installScopes.get(key);
        if (!found || found.removedAt !== null) return false;
        s().installScopes.set(key, { ...found, removedAt: at });
        return true;
      },
      list: async () =>
        own(s().installScopes)
          .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
          .map(({ tenantId: _, ...scope }) => scope),
    };

    return {
      tenantId,
      tenant,
      members,
      contacts,
      touchpoints,
      socialAccounts,
      mentions,
      ownPosts,
      pendingActions,
      nudges,
      installScopes,
    };
  }
}

/** The middle value (the mean of the two middle ones for an even count), as PostgreSQL's percentile_cont(0.5). */
function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
