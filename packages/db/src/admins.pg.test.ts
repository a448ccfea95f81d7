import { changeSettings, NotAdmin, type Storage, type TenantRepositories } from "@touchpoint/core";
import { newTenant } from "@touchpoint/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStorage } from "./storage.js";
import { type FreshDatabase, freshDatabase, testSecrets } from "./testing/index.js";

let database: FreshDatabase;

beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database?.drop());

/** A storage of its own pool, as a replica has: nothing shared on the client side to serialize them. */
async function replica(): Promise<Storage> {
  return createStorage((await database.connect("app", 4)).db, { secrets: testSecrets });
}

/**
 * A point where transactions wait, after reading the tenant's members, until `parties` of them
 * have (or `patienceMs` pass): the worst moment for two admins revoking each other, both having
 * seen both as admins. A transaction that cannot get that far (it waits for the roles another
 * holds) leaves the other to go on alone once its patience runs out.
 */
function meetingPoint(parties: number, patienceMs: number) {
  let arrived: (() => void)[] = [];
  const meet = () =>
    new Promise<void>((resolve) => {
      arrived.push(resolve);
      if (arrived.length === parties) {
        for (const go of arrived) go();
        arrived = [];
      } else {
        setTimeout(resolve, patienceMs);
      }
    });
  /** The storage, its transactions stopping at the meeting point once they have read the members. */
  return (storage: Storage): Storage => {
    const stopping = (repos: TenantRepositories): TenantRepositories => ({
      ...repos,
      members: {
        ...repos.members,
        list: async () => {
          const listed = await repos.members.list();
          await meet();
          return listed;
        },
      },
    });
    return {
      ...storage,
      withTenant: (tenantId, work) => storage.withTenant(tenantId, (repos) => work(stopping(repos))),
    };
  };
}

describe("admins on PostgreSQL (READ COMMITTED)", () => {
  it("keeps an admin when two admins on two replicas revoke each other at the same moment", async () => {
    const [amyReplica, samReplica] = [await replica(), await replica()];
    const tenantId = await newTenant(amyReplica);
    await amyReplica.withTenant(tenantId, async (r) => {
      await r.members.upsert({ platformUserId: "U0AMY", role: "admin" });
      await r.members.upsert({ platformUserId: "U0SAM", role: "admin" });
    });
    const stopAtMeeting = meetingPoint(2, 500);
    const revoke = (storage: Storage, actorId: string, other: string) =>
      changeSettings(
        { storage: stopAtMeeting(storage) },
        { tenantId, actorId, patch: {}, admins: { grant: [], revoke: [other] } },
      );

    const outcomes = await Promise.all([revoke(amyReplica, "U0AMY", "U0SAM"), revoke(samReplica, "U0SAM", "U0AMY")]);

    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    const refused = outcomes.find((o) => !o.ok);
    expect(refused && !refused.ok && refused.error).toBeInstanceOf(NotAdmin);
    const members = await samReplica.withTenant(tenantId, (r) => r.members.list());
    expect(members.filter((m) => m.role === "admin")).toHaveLength(1);
  });

  it("keeps an admin through rounds of mutual revokes and grants on two replicas, with no waiting point", async () => {
    const [first, second] = [await replica(), await replica()];
    const tenantId = await newTenant(first);
    await first.withTenant(tenantId, async (r) => {
      await r.members.upsert({ platformUserId: "U0AMY", role: "admin" });
      await r.members.upsert({ platformUserId: "U0SAM", role: "admin" });
    });
    const change = (storage: Storage, actorId: string, other: string, grant: boolean) =>
      changeSettings(
        { storage },
        {
          tenantId,
          actorId,
          patch: {},
          admins: grant ? { grant: [{ platformUserId: other }], revoke: [] } : { grant: [], revoke: [other] },
        },
      );
    for (let round = 0; round < 20; round++) {
      await Promise.all([change(first, "U0AMY", "U0SAM", false), change(second, "U0SAM", "U0AMY", false)]);
      const admins = (await first.withTenant(tenantId, (r) => r.members.list())).filter((m) => m.role === "admin");
      expect(admins).toHaveLength(1);
      // Whoever is left grants the other again, for the next round.
      const left = admins[0]?.platformUserId ?? "";
      await change(first, left, left === "U0AMY" ? "U0SAM" : "U0AMY", true);
    }
  });
});
