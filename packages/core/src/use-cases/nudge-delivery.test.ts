import { beforeEach, describe, expect, it } from "vitest";
import type { DeliveryFailure, LookupFailure, NudgeDelivery } from "../domain/nudge.js";
import type { Logger, NudgeNotifier } from "../ports.js";
import { err, ok, type Result } from "../result.js";
import { daysAgo, NOW, seedContact, seedTouch, type World, world } from "../testing/builders.js";
import { slackInstall } from "../testing/storage-contract.js";
import { DEFAULT_DELIVERY_SETTINGS, deliverNudge } from "./deliver-nudge.js";
import { queueWelcomeNudge, scheduleNudges } from "./schedule-nudges.js";
import { uninstallApp } from "./uninstall-app.js";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
type Answer = Result<{ ref: string }, DeliveryFailure>;

/**
 * A platform that answers posts from a script and remembers what it accepted; `acceptedAnyway`
 * answers take the message and still fail (a 5xx after Teams took it). Look-ups answer from their
 * own script, else from what was accepted at least `lagSeconds` ago (a listing behind the platform,
 * as Microsoft Graph is behind Teams' connector); `settleSeconds` is what the notifier says of it.
 */
class ScriptedNotifier implements NudgeNotifier {
  readonly posted: NudgeDelivery[] = [];
  readonly calls: string[] = [];
  lookups = 0;
  private readonly postedAt: number[] = [];
  constructor(
    private readonly answers: (Answer | { acceptedAnyway: DeliveryFailure })[] = [],
    private readonly lookupAnswers: LookupFailure[] = [],
    private readonly listing: { readonly lagSeconds?: number; readonly settleSeconds?: number } = {},
  ) {}
  async post(delivery: NudgeDelivery): Promise<Answer> {
    this.calls.push("post");
    const answer = this.answers.shift() ?? ok({ ref: `${delivery.target}/${this.posted.length + 1}` });
    if ("acceptedAnyway" in answer) {
      this.accept(delivery);
      return err(answer.acceptedAnyway);
    }
    if (answer.ok) this.accept(delivery);
    return answer;
  }
  private accept(delivery: NudgeDelivery): void {
    this.posted.push(delivery);
    this.postedAt.push(w.clock.now().getTime());
  }
  async findPosted(delivery: NudgeDelivery): Promise<Result<{ ref: string } | null, LookupFailure>> {
    this.calls.push("look");
    this.lookups++;
    const scripted = this.lookupAnswers.shift();
    if (scripted) return err(scripted);
    const listedBy = w.clock.now().getTime() - (this.listing.lagSeconds ?? 0) * 1000;
    const index = this.posted.findIndex((p, i) => p.id === delivery.id && (this.postedAt[i] ?? 0) <= listedBy);
    return ok(index === -1 ? null : { ref: `${delivery.target}/${index + 1}` });
  }
  lookupSettleSeconds(): number {
    return this.listing.settleSeconds ?? 0;
  }
}

const unverifiable: LookupFailure = { kind: "unverifiable", detail: "a personal chat cannot be looked in" };

let w: World;
beforeEach(async () => {
  // NOW is 15:00 UTC: past a 09:00 nudge in UTC.
  w = await world();
  await w.storage.withTenant(w.tenantId, (r) => r.tenant.update({ nudgeChannel: "C0NUDGES" }));
  await w.storage.installations.save({ ...slackInstall("T0NUDGES"), tenantId: w.tenantId });
});

const schedule = () => scheduleNudges({ storage: w.storage, clock: w.clock, logger: silent });
const deliveries = () => w.storage.withTenant(w.tenantId, (r) => r.nudges.deliveries("2026-03-10"));
const claim = async () =>
  w.storage.nudges.claimDeliveries({ owner: "test", now: w.clock.now(), leaseSeconds: 60, limit: 10 });
/** One attempt at every due delivery, as the sender's round makes it. */
async function sendRound(notifier: NudgeNotifier) {
  const outcomes = [];
  for (const target of await claim()) {
    outcomes.push(
      await deliverNudge(
        { storage: w.storage, notifier, clock: w.clock, logger: silent, settings: DEFAULT_DELIVERY_SETTINGS },
        target,
      ),
    );
  }
  return outcomes;
}
const later = (seconds: number) => w.clock.set(new Date(w.clock.now().getTime() + seconds * 1000));

describe("scheduleNudges", () => {
  it("composes nothing for a tenant that uninstalled the app: its data stays, with nowhere to post", async () => {
    await uninstallApp(w, { platform: "slack", key: "T0NUDGES" });
    expect(await schedule()).toEqual({ due: 0, claimed: 0, silent: 0, failed: 0 });
    expect(await deliveries()).toEqual([]);
  });

  it("composes and queues a due tenant's nudge once, however often it ticks", async () => {
    await w.storage.withTenant(w.tenantId, (r) => r.tenant.update({ settings: { whenNothingToSay: "all_caught_up" } }));
    expect(await schedule()).toEqual({ due: 1, claimed: 1, silent: 0, failed: 0 });
    expect(await schedule()).toEqual({ due: 0, claimed: 0, silent: 0, failed: 0 });
    const [queued] = await deliveries();
    expect(queued).toMatchObject({ target: "C0NUDGES", status: "pending", localDate: "2026-03-10" });
    expect(queued?.message).toMatchObject({ tenantId: w.tenantId, localDate: "2026-03-10", empty: true });
  });

  it("stores a silent day when there is nothing to say and the tenant wants no post", async () => {
    expect(await schedule()).toMatchObject({ claimed: 1, silent: 1 });
    expect(await deliveries()).toEqual([]);
    expect(await schedule()).toMatchObject({ due: 0 });
  });

  it("also sends each relationship owner their own contacts by direct message, when the tenant wants that", async () => {
    const old = { occurredAt: daysAgo(90), channel: "call" as const };
    await seedTouch(w, (await seedContact(w, { name: "Ana's Donor", segment: "major donor", owner: "U0ANA" })).id, old);
    await seedTouch(w, (await seedContact(w, { name: "Ben's Board", segment: "board", owner: "U0BEN" })).id, old);
    await seedTouch(w, (await seedContact(w, { name: "Nobody's", segment: "donor" })).id, old);
    await seedContact(w, { name: "Ana's Fresh", owner: "U0ANA" }); // nothing to say about them
    // An owner from an import's free text is no one a direct message can reach.
    await seedTouch(w, (await seedContact(w, { name: "Team's", segment: "donor", owner: "development" })).id, old);
    await w.storage.withTenant(w.tenantId, (r) => r.tenant.update({ settings: { ownerDms: true } }));
    await schedule();
    const queued = await deliveries();
    expect(queued.map((d) => [d.target, d.message.owner])).toEqual([
      ["C0NUDGES", null],
      ["U0ANA", "U0ANA"],
      ["U0BEN", "U0BEN"],
    ]);
    const names = (i: number) => queued[i]?.message.goingCold.items.map((item) => item.contact.name);
    expect(names(0)).toEqual(expect.arrayContaining(["Ana's Donor", "Ben's Board", "Nobody's", "Team's"]));
    expect(names(1)).toEqual(["Ana's Donor"]);
    expect(names(2)).toEqual(["Ben's Board"]);
    expect(queued[1]?.message.newVoices.total).toBe(0);
  });

  it("queues the first nudge at once, beside the morning's, and once a day at most", async () => {
    expect(await schedule()).toMatchObject({ claimed: 1 });
    const deps = { storage: w.storage, clock: w.clock, logger: silent };
    expect(await queueWelcomeNudge(deps, w.tenantId)).toBe("queued");
    expect(await queueWelcomeNudge(deps, w.tenantId)).toBe("taken");
    const welcome = (await deliveries()).find((d) => d.kind === "welcome");
    expect(welcome).toMatchObject({ target: "C0NUDGES", status: "pending", message: { kind: "welcome", empty: true } });
    // The morning's schedule goes by morning nudges only: tomorrow's is due as ever.
    later(86_400);
    expect(await schedule()).toMatchObject({ due: 1 });
  });

  it("leaves tenants without a channel, and those whose time has not come", async () => {
    await w.storage.withTenant(w.tenantId, (r) => r.tenant.update({ nudgeTime: "16:00" }));
    expect(await schedule()).toMatchObject({ due: 0 });
    await w.storage.withTenant(w.tenantId, (r) => r.tenant.update({ nudgeTime: "09:00", nudgeChannel: null }));
    expect(await schedule()).toMatchObject({ due: 0 });
  });
});

describe("deliverNudge", () => {
  beforeEach(async () => {
    await w.storage.withTenant(w.tenantId, (r) => r.tenant.update({ settings: { whenNothingToSay: "all_caught_up" } }));
    await schedule();
  });

  it("posts it and marks it sent", async () => {
    const notifier = new ScriptedNotifier();
    expect(await sendRound(notifier)).toEqual([{ kind: "sent", ref: "C0NUDGES/1", alreadyPosted: false }]);
    expect(await deliveries()).toMatchObject([{ status: "sent", ref: "C0NUDGES/1", attempts: 1 }]);
    expect(await sendRound(notifier)).toEqual([]);
    expect(notifier.posted).toHaveLength(1);
  });

  it("waits out a 429's Retry-After without counting it, and asks nothing before then", async () => {
    const notifier = new ScriptedNotifier([err({ kind: "rate_limited", retryAfterSeconds: 30 })]);
    expect(await sendRound(notifier)).toMatchObject([{ kind: "retry", at: new Date(Date.parse(NOW) + 30_000) }]);
    expect(await deliveries()).toMatchObject([{ status: "pending", attempts: 0 }]);
    later(29);
    expect(await sendRound(notifier)).toEqual([]);
    later(1);
    expect(await sendRound(notifier)).toMatchObject([{ kind: "sent", alreadyPosted: false }]);
    // The 429 said nothing was posted: no look-up first.
    expect(notifier.lookups).toBe(0);
  });

  it("after a failure whose outcome is unknown, looks for its own message before posting again", async () => {
    const notifier = new ScriptedNotifier();
    // The platform took it, and the bookkeeping never happened (a crash, a lost response).
    const [target] = await claim();
    if (!target) throw new Error("nothing due");
    const delivery = await w.storage.withTenant(w.tenantId, (r) => r.nudges.delivery(target.id));
    if (!delivery) throw new Error("no delivery");
    await notifier.post(delivery);
    later(61); // the lease runs out
    expect(await sendRound(notifier)).toEqual([{ kind: "sent", ref: "C0NUDGES/1", alreadyPosted: true }]);
    expect(notifier.posted).toHaveLength(1);
    expect(notifier.lookups).toBe(1);
  });

  it("backs off after 5xx answers, doubling, then gives up and keeps the delivery dead", async () => {
    const max = DEFAULT_DELIVERY_SETTINGS.maxAttempts;
    const notifier = new ScriptedNotifier(
      Array.from({ length: max }, () => err({ kind: "unavailable" as const, detail: "HTTP 500" })),
    );
    const waits: number[] = [];
    for (let attempt = 1; attempt <= max; attempt++) {
      const [outcome] = await sendRound(notifier);
      if (outcome?.kind !== "retry") {
        expect(outcome).toMatchObject({ kind: "dead" });
        break;
      }
      const wait = (outcome.at.getTime() - w.clock.now().getTime()) / 1000;
      waits.push(wait);
      later(wait);
    }
    expect(waits.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(waits).toHaveLength(max - 1);
    expect(await deliveries()).toMatchObject([{ status: "dead", attempts: max, lastError: "unavailable: HTTP 500" }]);
    expect((await w.storage.nudges.deadLetters()).get(w.tenantId)).toBe(1);
    later(3600);
    expect(await sendRound(notifier)).toEqual([]);
  });

  it("posts after a 5xx even when it may not look for its earlier post (a scope not granted yet)", async () => {
    const notifier = new ScriptedNotifier([err({ kind: "unavailable", detail: "HTTP 503" })]);
    notifier.findPosted = async () => err({ kind: "rejected" as const, detail: "missing_scope" });
    await sendRound(notifier);
    later(5);
    expect(await sendRound(notifier)).toMatchObject([{ kind: "sent", alreadyPosted: false }]);
  });

  it("gives up on a delivery whose attempts never finish (each crashed or threw)", async () => {
    for (let i = 0; i < DEFAULT_DELIVERY_SETTINGS.maxAttempts; i++) {
      await claim();
      later(61); // the lease runs out; nothing was recorded
    }
    expect(await sendRound(new ScriptedNotifier())).toMatchObject([{ kind: "dead" }]);
    expect(await deliveries()).toMatchObject([
      { status: "dead", lastError: "unavailable: 12 attempts did not finish" },
    ]);
  });

  it("after a 412 (nothing posted), posts again even where it cannot look", async () => {
    const notifier = new ScriptedNotifier([err({ kind: "not_taken", detail: "HTTP 412" })], [unverifiable]);
    expect(await sendRound(notifier)).toMatchObject([{ kind: "retry", failure: { kind: "not_taken" } }]);
    expect(await deliveries()).toMatchObject([{ status: "pending", attempts: 1, lastError: "not_taken: HTTP 412" }]);
    later(5);
    expect(await sendRound(notifier)).toMatchObject([{ kind: "sent", alreadyPosted: false }]);
    expect(notifier.calls).toEqual(["post", "look", "post"]);
  });

  it("after a 5xx where it cannot look (a personal chat), marks the delivery unknown and never posts again", async () => {
    const notifier = new ScriptedNotifier(
      [{ acceptedAnyway: { kind: "unavailable", detail: "HTTP 502" } }],
      [unverifiable],
    );
    expect(await sendRound(notifier)).toMatchObject([{ kind: "retry" }]);
    later(5);
    expect(await sendRound(notifier)).toEqual([
      { kind: "unknown", detail: "unavailable: HTTP 502; a personal chat cannot be looked in" },
    ]);
    expect(notifier.calls).toEqual(["post", "look"]);
    expect(await deliveries()).toMatchObject([
      { status: "unknown", lastError: "unknown: unavailable: HTTP 502; a personal chat cannot be looked in" },
    ]);
    expect((await w.storage.nudges.unknownOutcomes()).get(w.tenantId)).toBe(1);
    expect((await w.storage.nudges.deadLetters()).has(w.tenantId)).toBe(false);
    later(3600);
    expect(await sendRound(notifier)).toEqual([]);
    expect(notifier.posted).toHaveLength(1);
  });

  it("after a crash between the post and its bookkeeping where it cannot look, marks it unknown", async () => {
    const notifier = new ScriptedNotifier([], [unverifiable]);
    // A 412 first: known not posted. Then an attempt that posted and never recorded it.
    await sendRound(new ScriptedNotifier([err({ kind: "not_taken", detail: "HTTP 412" })]));
    later(5);
    const [target] = await claim();
    expect(target?.interrupted).toBe(false);
    const delivery = await w.storage.withTenant(w.tenantId, (r) => r.nudges.delivery(target?.id ?? ""));
    if (!delivery) throw new Error("no delivery");
    await notifier.post(delivery);
    later(61); // the lease runs out
    expect(await sendRound(notifier)).toMatchObject([{ kind: "unknown" }]);
    expect(notifier.posted).toHaveLength(1);
  });

  it("keeps looking after a look-up that was itself throttled: the post before it may still be out there", async () => {
    const notifier = new ScriptedNotifier(
      [{ acceptedAnyway: { kind: "unavailable", detail: "timed out after 10 s" } }],
      [{ kind: "rate_limited", retryAfterSeconds: 7 }, unverifiable],
    );
    await sendRound(notifier);
    later(5);
    // The look-up's 429 gives its attempt back and waits, but says nothing about the post.
    expect(await sendRound(notifier)).toMatchObject([{ kind: "retry", failure: { kind: "rate_limited" } }]);
    expect(await deliveries()).toMatchObject([
      { attempts: 1, lastError: "look-up rate_limited: rate limited for 7 s" },
    ]);
    later(7);
    expect(await sendRound(notifier)).toMatchObject([{ kind: "unknown" }]);
    expect(notifier.calls).toEqual(["post", "look", "look"]);
  });

  it("after a post whose outcome is unknown, waits until the look-up can see it (a listing 20 s behind)", async () => {
    const listing = { lagSeconds: 20, settleSeconds: 30 };
    const notifier = new ScriptedNotifier(
      [{ acceptedAnyway: { kind: "unavailable", detail: "HTTP 502" } }],
      [],
      listing,
    );
    // Not the 5 s backoff: a look then would miss the card, and post it again.
    expect(await sendRound(notifier)).toMatchObject([{ kind: "retry", at: new Date(Date.parse(NOW) + 30_000) }]);
    later(29);
    expect(await sendRound(notifier)).toEqual([]);
    later(1);
    expect(await sendRound(notifier)).toMatchObject([{ kind: "sent", alreadyPosted: true }]);
    expect(notifier.posted).toHaveLength(1);
  });

  it("waits the settle time or the backoff, whichever is longer; not at all after a 412 or a 429", async () => {
    const unavailable = () => err({ kind: "unavailable" as const, detail: "HTTP 503" });
    const notifier = new ScriptedNotifier(
      [
        err({ kind: "not_taken", detail: "HTTP 412" }),
        err({ kind: "rate_limited", retryAfterSeconds: 2 }),
        unavailable(),
        unavailable(),
        unavailable(),
        unavailable(),
        unavailable(),
      ],
      [],
      { settleSeconds: 30 },
    );
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const [outcome] = await sendRound(notifier);
      if (outcome?.kind !== "retry") throw new Error(`attempt ${i + 1}: ${outcome?.kind}`);
      const wait = (outcome.at.getTime() - w.clock.now().getTime()) / 1000;
      waits.push(wait);
      later(wait);
    }
    // 412: the 5 s backoff (nothing was posted); 429: its Retry-After; then 30 s until 40 s outgrows it.
    expect(waits).toEqual([5, 2, 30, 30, 40, 80, 160]);
  });

  it("keeps the backoff as it was where the look-up sees a post at once (Slack)", async () => {
    const notifier = new ScriptedNotifier([err({ kind: "unavailable", detail: "HTTP 500" })], [], { settleSeconds: 0 });
    expect(await sendRound(notifier)).toMatchObject([{ kind: "retry", at: new Date(Date.parse(NOW) + 5_000) }]);
  });

  it("after an attempt that never finished, a look that finds nothing is made again once it could", async () => {
    const notifier = new ScriptedNotifier([], [], { lagSeconds: 20, settleSeconds: 30 });
    const [target] = await claim();
    const delivery = await w.storage.withTenant(w.tenantId, (r) => r.nudges.delivery(target?.id ?? ""));
    if (!delivery) throw new Error("no delivery");
    // Posted, then the replica died; its lease ended at once (an embedded restart), a second later.
    await notifier.post(delivery);
    later(1);
    const [again] = await w.storage.nudges.claimDeliveries({
      owner: "restarted",
      now: new Date(w.clock.now().getTime() + 61_000),
      leaseSeconds: 60,
      limit: 1,
    });
    expect(again?.interrupted).toBe(true);
    const deps = { storage: w.storage, notifier, clock: w.clock, logger: silent, settings: DEFAULT_DELIVERY_SETTINGS };
    const first = await deliverNudge(deps, again ?? { tenantId: w.tenantId, id: delivery.id });
    expect(first).toMatchObject({ kind: "retry", failure: { kind: "unavailable" } });
    expect(first.kind === "retry" && (first.at.getTime() - w.clock.now().getTime()) / 1000).toBe(30);
    // The attempt is given back: the one that did not finish still counts, this look does not.
    expect(await deliveries()).toMatchObject([{ status: "pending", attempts: 1 }]);
    later(30);
    expect(await sendRound(notifier)).toMatchObject([{ kind: "sent", alreadyPosted: true }]);
    expect(notifier.posted).toHaveLength(1);
    expect(notifier.calls).toEqual(["post", "look", "look"]);
  });

  it("gives up at once on a refusal that retrying cannot fix", async () => {
    const notifier = new ScriptedNotifier([err({ kind: "rejected", detail: "channel_not_found" })]);
    expect(await sendRound(notifier)).toMatchObject([{ kind: "dead" }]);
    expect(await deliveries()).toMatchObject([{ status: "dead", lastError: "rejected: channel_not_found" }]);
  });
});
