import type { IncomingPost, PageRequest, RateLimit, SourceFailure } from "../domain/post.js";
import type {
  Clock,
  Logger,
  MentionSource,
  OpenMentionSource,
  PollState,
  PostStream,
  Storage,
  StreamProgress,
} from "../ports.js";
import { type IngestCounts, ingestMentions, ingestOwnPosts } from "./ingest-mentions.js";
import { claimWelcomeNudge } from "./schedule-nudges.js";

export interface PollSettings {
  /** The shortest gap between two polls of one account (X_POLL_INTERVAL). */
  readonly minIntervalSeconds: number;
  /** A quiet account is polled at most this much less often. */
  readonly maxIntervalSeconds: number;
  /** How far back the first poll of a new account reads. */
  readonly backfillDays: number;
  /** Pages read per stream per poll; the rest waits for the next poll, where this one stopped. */
  readonly maxPagesPerPoll: number;
  /** The share of a credential's 15-minute budget that all tenants using it may spend together. */
  readonly budgetShare: number;
}

export const DEFAULT_POLL_SETTINGS: PollSettings = {
  minIntervalSeconds: 120,
  maxIntervalSeconds: 1800,
  backfillDays: 7,
  maxPagesPerPoll: 10,
  budgetShare: 0.8,
};

export interface PollDeps {
  readonly storage: Storage;
  readonly openSource: OpenMentionSource;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: PollSettings;
  /** Told once when an account is paused (its credentials were refused). */
  readonly tellAdmins?: (tenantId: string, text: string) => Promise<void>;
  /** Told when a newly connected account's backfill has all been read (the first nudge follows). */
  /**
   * Queue the first nudge ("here is what you missed this week") once a newly connected account's
   * backfill is read: owed in the transaction that stores its end, queued once the poll has read
   * the account's own posts too (so what it already answered isn't shown as waiting).
   */
  readonly welcomeOnBackfill?: boolean;
}

export type PollOutcome =
  | { readonly kind: "polled"; readonly mentions: IngestCounts; readonly ownPosts: IngestCounts }
  | { readonly kind: "waiting"; readonly until: Date; readonly reason: string }
  | { readonly kind: "paused"; readonly reason: string }
  | { readonly kind: "gone" };

const ENDPOINT: Record<PostStream, string> = { mentions: "users/:id/mentions", ownPosts: "users/:id/tweets" };

/**
 * One poll of one (leased) account: its mentions, then its own posts (so a reply finds the mention
 * it answers), page by page. Each page is stored in one transaction with the cursor that covers
 * it, so a crash loses nothing and a rerun stores nothing twice. Then the next poll is scheduled:
 * sooner for a busy account, later for a quiet one, never before the platform allows.
 */
export async function pollAccount(
  deps: PollDeps,
  target: { readonly tenantId: string; readonly accountId: string },
): Promise<PollOutcome> {
  const { storage, clock, logger, settings } = deps;
  const state = await storage.withTenant(target.tenantId, (r) => r.socialAccounts.pollState(target.accountId));
  if (!state) return { kind: "gone" };
  if (state.account.status !== "active") return { kind: "paused", reason: "already paused" };
  const log = { tenantId: target.tenantId, accountId: target.accountId, handle: state.account.handle };
  const source = deps.openSource(state.credentials);

  const totals: Record<PostStream, IngestCounts> = {
    mentions: { stored: 0, touchpoints: 0, answered: 0 },
    ownPosts: { stored: 0, touchpoints: 0, answered: 0 },
  };
  let waitUntil: Date | null = null;
  let failure: SourceFailure | null = null;

  let welcomeDue = state.welcomeDue;
  for (const stream of ["mentions", "ownPosts"] as const) {
    const read = await readStream(deps, source, state, stream, log);
    totals[stream] = read.counts;
    if (read.backfilled && deps.welcomeOnBackfill) welcomeDue = true;
    if (read.failure?.kind === "unauthorized") {
      failure = read.failure;
      break;
    }
    if (read.waitUntil && (!waitUntil || read.waitUntil > waitUntil)) waitUntil = read.waitUntil;
    failure ??= read.failure;
  }

  if (failure?.kind === "unauthorized") {
    const reason = `X refused the credentials (${failure.detail}); reconnect with /touchpoint connect-x`;
    const paused = await storage.withTenant(target.tenantId, async (r) => {
      const changed = await r.socialAccounts.pause(target.accountId, reason);
      await r.socialAccounts.finishPoll(target.accountId, {
        nextPollAt: clock.now(),
        intervalSeconds: state.intervalSeconds ?? settings.minIntervalSeconds,
      });
      return changed;
    });
    if (paused) {
      logger.warn({ ...log }, "X credentials refused; account paused");
      await deps.tellAdmins?.(
        target.tenantId,
        `Touchpoint stopped reading @${state.account.handle} on X: X refused its credentials. An admin can reconnect it with /touchpoint connect-x.`,
      );
    }
    return { kind: "paused", reason };
  }

  const interval = nextInterval(state.intervalSeconds, totals.mentions.stored + totals.ownPosts.stored, settings);
  const earliest = new Date(clock.now().getTime() + interval * 1000);
  const nextPollAt = waitUntil && waitUntil > earliest ? waitUntil : earliest;
  await storage.withTenant(target.tenantId, (r) =>
    r.socialAccounts.finishPoll(target.accountId, { nextPollAt, intervalSeconds: interval }),
  );
  if (welcomeDue && deps.welcomeOnBackfill) await queueOwedWelcome(deps, target, log);
  if (waitUntil) return { kind: "waiting", until: nextPollAt, reason: failure?.kind ?? "budget" };
  return { kind: "polled", mentions: totals.mentions, ownPosts: totals.ownPosts };
}

/**
 * The owed first nudge, taken and queued in one transaction: a crash or a failure keeps it owed for
 * the next poll, and it never holds up the mentions (stored already).
 */
async function queueOwedWelcome(
  deps: PollDeps,
  target: { readonly tenantId: string; readonly accountId: string },
  log: object,
): Promise<void> {
  try {
    const outcome = await deps.storage.withTenant(target.tenantId, async (r) =>
      (await r.socialAccounts.takeWelcomeDue(target.accountId)) ? claimWelcomeNudge(r, deps.clock.now()) : null,
    );
    if (outcome) deps.logger.info({ ...log, outcome }, "first nudge");
  } catch (error) {
    deps.logger.error({ ...log, err: error }, "the first nudge could not be queued; the next poll tries again");
  }
}

/** Busy accounts (new posts this poll) halve their interval, quiet ones double it, within bounds. */
export function nextInterval(current: number | null, newPosts: number, settings: PollSettings): number {
  const base = current ?? settings.minIntervalSeconds;
  const next = newPosts > 0 ? base / 2 : base * 2;
  return Math.round(Math.min(settings.maxIntervalSeconds, Math.max(settings.minIntervalSeconds, next)));
}

type Fetched =
  | { readonly kind: "budget"; readonly until: Date }
  | { readonly kind: "page"; readonly result: Awaited<ReturnType<MentionSource["mentions"]>> };

/** A page read and not yet stored, with the cursor that covers it. */
interface ReadPage {
  readonly posts: readonly IncomingPost[];
  readonly next: StreamProgress;
}

interface StreamEnd {
  readonly waitUntil: Date | null;
  readonly failure: SourceFailure | null;
}

/**
 * One stream's pages for this poll. A reader and a writer run side by side: the reader reserves
 * and reads page after page (each needs only the last one's token), the writer stores whatever
 * pages have arrived in one transaction with the cursor after the last of them. With a slow
 * platform that is a page per transaction; when pages arrive faster than they are stored, the
 * transaction takes them all (group commit). Either way the cursor only ever covers stored rows.
 */
async function readStream(
  deps: PollDeps,
  source: MentionSource,
  state: PollState,
  stream: PostStream,
  log: object,
): Promise<{ counts: IngestCounts; cursor: StreamProgress; backfilled: boolean } & StreamEnd> {
  const { storage, clock, logger, settings } = deps;
  const { account } = state;
  const endpoint = ENDPOINT[stream];

  /** Reserves a request from the shared budget, then reads the page after `from`'s cursor. */
  const fetchPage = async (from: StreamProgress, observed: RateLimit | null): Promise<Fetched> => {
    // The last page's rate-limit headers ride with the next reservation.
    const budget = await storage.poller.reserveRequest({
      budgetKey: source.budgetKey,
      endpoint,
      now: clock.now(),
      share: settings.budgetShare,
      observed,
    });
    if (!budget.allowed) return { kind: "budget", until: budget.until };
    const request: PageRequest = {
      sinceId: from.sinceId,
      // The first poll of an account reads back a bounded stretch, not its whole history.
      startTime: from.sinceId === null ? new Date(clock.now().getTime() - settings.backfillDays * 86_400_000) : null,
      paginationToken: from.nextToken,
    };
    const result =
      stream === "mentions"
        ? await source.mentions(account.externalUserId, request)
        : await source.ownPosts(account.externalUserId, request);
    return { kind: "page", result };
  };

  const arrived: ReadPage[] = [];
  let readerDone = false;
  let writerFailed = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };

  const reader = (async (): Promise<StreamEnd> => {
    let from = state[stream];
    let observed: RateLimit | null = null;
    try {
      for (let page = 0; page < settings.maxPagesPerPoll && !writerFailed; page++) {
        const fetched = await fetchPage(from, observed);
        // The reservation recorded `observed`.
        observed = null;
        if (fetched.kind === "budget") return { waitUntil: fetched.until, failure: null };
        const { result } = fetched;
        if (!result.ok) {
          const failure = result.error;
          const rateLimit =
            failure.kind === "rate_limited" || failure.kind === "unavailable" ? failure.rateLimit : null;
          const blockedUntil = failure.kind === "rate_limited" ? failure.resetAt : null;
          if (rateLimit || blockedUntil) {
            await storage.poller.recordBudget({ budgetKey: source.budgetKey, endpoint, rateLimit, blockedUntil });
          }
          logger.warn(
            { ...log, stream, failure: failure.kind, detail: "detail" in failure ? failure.detail : undefined },
            "X read failed; the cursor stays where it was",
          );
          return { waitUntil: blockedUntil, failure };
        }
        const { value } = result;
        observed = value.rateLimit;
        for (const skipped of value.skipped) logger.warn({ ...log, stream, ...skipped }, "X item skipped");
        const pendingNewestId = from.pendingNewestId ?? value.newestId;
        const next: StreamProgress =
          value.nextToken === null
            ? { sinceId: pendingNewestId ?? from.sinceId, nextToken: null, pendingNewestId: null }
            : { sinceId: from.sinceId, nextToken: value.nextToken, pendingNewestId };
        arrived.push({ posts: value.posts, next });
        signal();
        from = next;
        if (next.nextToken === null) break;
      }
      return { waitUntil: null, failure: null };
    } finally {
      // The last page's headers had no next reservation to ride with. A request is spent whether
      // or not its page is stored, so this holds when the writer failed too.
      try {
        if (observed) {
          await storage.poller.recordBudget({
            budgetKey: source.budgetKey,
            endpoint,
            rateLimit: observed,
            blockedUntil: null,
          });
        }
      } finally {
        // Whatever happened, the writer must hear the reader is done, or it waits forever.
        readerDone = true;
        signal();
      }
    }
  })();
  // Awaited below; until then its failure must not count as unhandled.
  reader.catch(() => {});

  let counts: IngestCounts = { stored: 0, touchpoints: 0, answered: 0 };
  let cursor: StreamProgress = state[stream];
  let backfilled = false;
  const ingest = stream === "mentions" ? ingestMentions : ingestOwnPosts;
  for (;;) {
    if (arrived.length === 0 && !readerDone) await new Promise<void>((resolve) => (wake = resolve));
    if (arrived.length === 0) break;
    const batch = arrived.splice(0);
    const last = batch[batch.length - 1] as ReadPage;
    // The first poll's mentions are all read once the cursor first holds a since_id.
    const endsBackfill = stream === "mentions" && cursor.sinceId === null && last.next.sinceId !== null;
    const stored = await storage
      .withTenant(account.tenantId, async (r) => {
        // One transaction: the cursor moves only if the pages are stored (sent together, one round trip fewer).
        const [result] = await Promise.all([
          ingest(r, { account, posts: batch.flatMap((page) => page.posts) }),
          r.socialAccounts.saveProgress(account.id, stream, last.next),
        ]);
        if (endsBackfill && deps.welcomeOnBackfill) await r.socialAccounts.markWelcomeDue(account.id);
        return { ...result, endsBackfill };
      })
      .catch(async (error: unknown) => {
        writerFailed = true;
        await reader.catch(() => null);
        throw error;
      });
    if (stored.endsBackfill) backfilled = true;
    counts = {
      stored: counts.stored + stored.stored,
      touchpoints: counts.touchpoints + stored.touchpoints,
      answered: counts.answered + stored.answered,
    };
    cursor = last.next;
  }
  return { counts, cursor, backfilled, ...(await reader) };
}
