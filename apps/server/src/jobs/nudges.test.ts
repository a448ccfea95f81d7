import {
  DEFAULT_DELIVERY_SETTINGS,
  type DeliveryFailure,
  type Logger,
  type NudgeDelivery,
  type NudgeNotifier,
  type Result,
  systemClock,
} from "@touchpoint/core";
import { InMemoryStorage, sampleDigest } from "@touchpoint/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createNudgeJobs, type NudgeJobs } from "./nudges.js";

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
type Posted = Result<{ ref: string }, DeliveryFailure>;

/** A post the test answers when it chooses, as a connector that has not answered yet. */
interface HeldPost {
  readonly delivery: NudgeDelivery;
  readonly startedAt: number;
  answer(result?: Posted): void;
}

/** A platform whose posts wait for the test: `holding` decides which; the rest are answered at once. */
class HeldNotifier implements NudgeNotifier {
  readonly held: HeldPost[] = [];
  readonly finished: { delivery: NudgeDelivery; at: number }[] = [];
  private readonly waiters: { count: () => number; until: number; resolve: () => void }[] = [];
  inFlight = 0;
  mostInFlight = 0;
  constructor(private readonly holding: (delivery: NudgeDelivery) => boolean) {}

  async post(delivery: NudgeDelivery): Promise<Posted> {
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    const answer = this.holding(delivery)
      ? await new Promise<Posted>((resolve) => {
          this.held.push({
            delivery,
            startedAt: Date.now(),
            answer: (result) => resolve(result ?? { ok: true, value: { ref: `${delivery.target}/held` } }),
          });
          this.changed();
        })
      : ({ ok: true, value: { ref: `${delivery.target}/1` } } as const);
    this.inFlight--;
    this.finished.push({ delivery, at: Date.now() });
    this.changed();
    return answer;
  }

  async findPosted(): Promise<Result<null, DeliveryFailure>> {
    return { ok: true, value: null };
  }

  /** Resolves once `count()` reaches `until` (now or later). */
  when(count: () => number, until: number): Promise<void> {
    if (count() >= until) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, until, resolve }));
  }

  private changed(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.count() < waiter.until) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

let jobs: NudgeJobs | undefined;
afterEach(async () => {
  await jobs?.stop();
  jobs = undefined;
});

/** `count` tenants, each with today's nudge queued for its channel. */
async function queued(storage: InMemoryStorage, count: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const created = await storage.tenants.create({
        platform: "slack",
        externalId: `T0${i}`,
        name: `Org ${i}`,
        nudgeChannel: `C0${i}`,
      });
      if (!created.ok) throw new Error(created.error.message);
      const tenantId = created.value.id;
      await storage.withTenant(tenantId, (r) =>
        r.nudges.claim(sampleDigest(tenantId, "2026-11-02"), [{ target: `C0${i}` }], new Date(0)),
      );
      return tenantId;
    }),
  );
}

function startJobs(storage: InMemoryStorage, notifier: NudgeNotifier, concurrency?: number): NudgeJobs {
  jobs = createNudgeJobs({
    storage,
    clock: systemClock,
    logger: silent,
    notifier,
    settings: DEFAULT_DELIVERY_SETTINGS,
    ...(concurrency !== undefined && { concurrency }),
  });
  jobs.start(20);
  return jobs;
}

const statuses = async (storage: InMemoryStorage, tenantIds: readonly string[]) =>
  Promise.all(
    tenantIds.map(async (id) =>
      (await storage.withTenant(id, (r) => r.nudges.deliveries("2026-11-02"))).map((d) => d.status).join(),
    ),
  );

describe("the nudge sender", () => {
  it("keeps delivering to everyone else while one post has no answer", async () => {
    const storage = new InMemoryStorage();
    const tenantIds = await queued(storage, 12);
    const [stuck] = tenantIds;
    const notifier = new HeldNotifier((delivery) => delivery.tenantId === stuck);
    startJobs(storage, notifier);

    await notifier.when(() => notifier.finished.length, 11);
    // Eleven delivered, and the twelfth still waiting for its answer.
    expect(notifier.held).toHaveLength(1);
    expect(notifier.finished.map((f) => f.delivery.tenantId)).not.toContain(stuck);
    await expect.poll(() => statuses(storage, tenantIds.slice(1))).toEqual(Array(11).fill("sent"));
    expect(await statuses(storage, [stuck ?? ""])).toEqual(["pending"]);

    notifier.held[0]?.answer();
    await expect.poll(() => statuses(storage, [stuck ?? ""])).toEqual(["sent"]);
  });

  it("has at most its concurrency in flight, and leases the next as soon as one ends", async () => {
    const storage = new InMemoryStorage();
    await queued(storage, 7);
    const notifier = new HeldNotifier(() => true);
    startJobs(storage, notifier, 3);

    await notifier.when(() => notifier.held.length, 3);
    // The sender looks every 20 ms; give it a few looks to (wrongly) start a fourth.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(notifier.held).toHaveLength(3);
    notifier.held[0]?.answer();
    await notifier.when(() => notifier.held.length, 4);
    expect(notifier.mostInFlight).toBe(3);
    for (let i = 1; i < 7; i++) {
      await notifier.when(() => notifier.held.length, i + 1);
      notifier.held[i]?.answer();
    }
    await notifier.when(() => notifier.finished.length, 7);
    expect(notifier.mostInFlight).toBe(3);
  });

  it("keeps the pace of one post a second to a channel, even for attempts in flight together", async () => {
    const storage = new InMemoryStorage();
    const [tenantId] = await queued(storage, 1);
    if (!tenantId) throw new Error("no tenant");
    // The first nudge and the morning's, both due now, for the same channel.
    await storage.withTenant(tenantId, (r) =>
      r.nudges.claim({ ...sampleDigest(tenantId, "2026-11-02"), kind: "welcome" }, [{ target: "C00" }], new Date(0)),
    );
    const notifier = new HeldNotifier(() => false);
    startJobs(storage, notifier);
    await notifier.when(() => notifier.finished.length, 2);
    const [first, second] = notifier.finished;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("waits for every attempt in flight when it stops", async () => {
    const storage = new InMemoryStorage();
    const [tenantId] = await queued(storage, 1);
    const notifier = new HeldNotifier(() => true);
    const started = startJobs(storage, notifier);
    await notifier.when(() => notifier.held.length, 1);
    let stopped = false;
    const stopping = started.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    notifier.held[0]?.answer();
    await stopping;
    jobs = undefined;
    expect(await statuses(storage, [tenantId ?? ""])).toEqual(["sent"]);
  });
});
