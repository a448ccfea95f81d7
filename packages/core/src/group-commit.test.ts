import { describe, expect, it } from "vitest";
import { groupCommit } from "./group-commit.js";
import type { Storage, TenantRepositories } from "./ports.js";

/**
 * A `withTenant` that records each transaction (tenant, whether it committed) and can hold one
 * open until released, so tests decide what arrives while a transaction runs.
 */
function transactions() {
  const log: { tenantId: string; committed: boolean }[] = [];
  const open: (() => void)[] = [];
  let holding = false;
  const withTenant: Storage["withTenant"] = async (tenantId, work) => {
    const entry = { tenantId, committed: false };
    log.push(entry);
    if (holding) await new Promise<void>((release) => open.push(release));
    const result = await work({ tenantId } as TenantRepositories);
    entry.committed = true;
    return result;
  };
  return {
    log,
    withTenant,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const release of open.splice(0)) release();
    },
  };
}

/** Lets every pending promise chain run (core has no timers to wait on). */
const tick = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe("groupCommit", () => {
  it("runs a work alone at once, and works arriving meanwhile together in the next transaction", async () => {
    const t = transactions();
    const shared = groupCommit(t.withTenant);
    t.hold();
    const first = shared("t1", async () => "first");
    await tick();
    expect(t.log).toHaveLength(1);
    const others = [1, 2, 3].map((n) => shared("t1", async () => `other ${n}`));
    await tick();
    expect(t.log).toHaveLength(1);
    t.release();

    expect(await first).toBe("first");
    expect(await Promise.all(others)).toEqual(["other 1", "other 2", "other 3"]);
    expect(t.log).toEqual([
      { tenantId: "t1", committed: true },
      { tenantId: "t1", committed: true },
    ]);
  });

  it("answers a work only once its transaction has committed", async () => {
    const t = transactions();
    const shared = groupCommit(t.withTenant);
    t.hold();
    let answered = false;
    const done = shared("t1", async () => "done").then(() => {
      answered = true;
    });
    await tick();
    expect(answered).toBe(false);
    t.release();
    await done;
    expect(answered).toBe(true);
  });

  it("keeps tenants apart: another tenant's work does not wait", async () => {
    const t = transactions();
    const shared = groupCommit(t.withTenant);
    t.hold();
    void shared("t1", async () => 1);
    void shared("t2", async () => 2);
    await tick();
    expect(t.log.map((l) => l.tenantId)).toEqual(["t1", "t2"]);
    t.release();
  });

  it("when one work of a shared transaction fails, rolls it back and runs each work again alone", async () => {
    const t = transactions();
    const shared = groupCommit(t.withTenant);
    t.hold();
    void shared("t1", async () => "opener");
    const runs = new Map<string, number>();
    const counted = (name: string, fail = false) =>
      shared("t1", async () => {
        runs.set(name, (runs.get(name) ?? 0) + 1);
        if (fail) throw new Error(`${name} failed`);
        return name;
      });
    const good = counted("good");
    const bad = counted("bad", true);
    const alsoGood = counted("also good");
    await tick();
    t.release();

    expect(await good).toBe("good");
    expect(await alsoGood).toBe("also good");
    await expect(bad).rejects.toThrow("bad failed");
    // The shared try, then one transaction each.
    expect(runs).toEqual(
      new Map([
        ["good", 2],
        ["bad", 2],
        ["also good", 2],
      ]),
    );
    expect(t.log.map((l) => l.committed)).toEqual([true, false, true, false, true]);
  });

  it("shares a transaction among at most 64 works", async () => {
    const t = transactions();
    const sizes: number[] = [];
    let current = 0;
    const counting: Storage["withTenant"] = async (tenantId, work) =>
      t.withTenant(tenantId, async (repos) => {
        current = 0;
        const result = await work(repos);
        sizes.push(current);
        return result;
      });
    const capped = groupCommit(counting);
    t.hold();
    void capped("t1", async () => {
      current += 1;
    });
    const rest = Array.from({ length: 100 }, () =>
      capped("t1", async () => {
        current += 1;
      }),
    );
    await tick();
    t.release();
    await Promise.all(rest);
    expect(sizes).toEqual([1, 64, 36]);
  });
});
