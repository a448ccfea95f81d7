import { describe, expect, it } from "vitest";
import type { Digest } from "../domain/digest.js";
import type { Identity } from "../domain/identity.js";
import type { NewMention } from "../domain/mention.js";
import type { NewTouchpoint } from "../domain/touchpoint.js";
import type { Storage } from "../ports.js";
import { randomId } from "./ids.js";

let counter = 0;
/** A unique external id per test, so suites can share one database. */
export function uniqueExternalId(prefix = "T"): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 8)}`.toUpperCase();
}

export async function newTenant(storage: Storage, name = "Riverside Food Bank"): Promise<string> {
  const created = await storage.tenants.create({ platform: "slack", externalId: uniqueExternalId(), name });
  if (!created.ok) throw new Error(created.error.message);
  return created.value.id;
}

const x = (handle: string, externalUserId: string | null = null): Identity => ({
  platform: "x",
  handle,
  externalUserId,
});
const email = (address: string): Identity => ({ platform: "email", handle: address, externalUserId: null });

function touch(contactId: string, overrides: Partial<NewTouchpoint> = {}): NewTouchpoint {
  return {
    contactId,
    occurredAt: new Date("2026-11-01T12:00:00Z"),
    channel: "call",
    direction: "outbound",
    note: "called about the gala",
    loggedBy: "U1",
    source: "cli",
    sourceRef: `ref-${Math.random().toString(36).slice(2)}`,
    ...overrides,
  };
}

/** A nudge with nothing in it: what the outbox stores, for storage tests. */
export const sampleDigest = (tenantId: string, localDate: string): Digest => ({
  tenantId,
  organization: "Riverside Food Bank",
  timeZone: "America/New_York",
  asOf: new Date(`${localDate}T13:00:00Z`),
  localDate,
  owner: null,
  kind: "daily",
  dayLabel: "Monday 2 Nov",
  waiting: { items: [], total: 0 },
  goingCold: { items: [], total: 0 },
  newVoices: { items: [], total: 0 },
  skippedBots: { items: [], total: 0 },
  stats: { yesterday: { mentions: 0, replied: 0 }, medianReplyMinutes: null, conversationRatio: null },
  empty: true,
});

/** A Slack workspace's installation, as Bolt's installer would store it (the secret holds the bot token). */
export function slackInstall(key: string, secret = '{"bot":{"token":"xoxb-1"}}') {
  return {
    platform: "slack" as const,
    key,
    enterpriseId: null,
    teamId: key,
    isEnterpriseInstall: false,
    botUserId: "U0BOT",
    installedBy: "U0AMY",
    secret,
  };
}

function mention(postId: string, contactId: string | null, conversationId: string = postId): NewMention {
  return {
    platform: "x",
    postId,
    author: {
      externalUserId: "42",
      handle: "someone",
      name: "Someone",
      followers: 12,
      following: 40,
      postCount: 300,
      defaultAvatar: false,
      createdAt: new Date("2020-01-01T00:00:00Z"),
      verified: false,
    },
    contactId,
    text: `mention ${postId}`,
    url: `https://x.com/someone/status/${postId}`,
    postedAt: new Date(`2026-11-01T12:00:0${postId.length > 1 ? 9 : postId}Z`),
    kind: "mention",
    conversationId,
  };
}

/**
 * What every Storage must do. The in-memory fake and the real database run the same suite,
 * so core tests on the fake say something true about production.
 */
export function describeStorageContract(name: string, makeStorage: () => Promise<Storage> | Storage): void {
  describe(`Storage contract: ${name}`, () => {
    describe("tenant directory", () => {
      it("creates a tenant with defaults and finds it by id and by external id", async () => {
        const storage = await makeStorage();
        const externalId = uniqueExternalId();
        const created = await storage.tenants.create({ platform: "teams", externalId, name: "Harbor Arts" });
        expect(created.ok).toBe(true);
        if (!created.ok) return;
        expect(created.value).toMatchObject({
          platform: "teams",
          externalId,
          name: "Harbor Arts",
          timeZone: "UTC",
          nudgeTime: "09:00",
          nudgeChannel: null,
          settings: { whenNothingToSay: "skip", ownerDms: false, cadenceBySegment: {} },
        });
        expect(await storage.tenants.get(created.value.id)).toEqual(created.value);
        expect(await storage.tenants.findByExternalId("teams", externalId)).toEqual(created.value);
        expect(await storage.tenants.findByExternalId("slack", externalId)).toBeUndefined();
        expect((await storage.tenants.list()).map((t) => t.id)).toContain(created.value.id);
      });

      it("refuses a second tenant with the same platform and external id", async () => {
        const storage = await makeStorage();
        const externalId = uniqueExternalId();
        await storage.tenants.create({ platform: "slack", externalId, name: "First" });
        const again = await storage.tenants.create({ platform: "slack", externalId, name: "Second" });
        expect(again.ok).toBe(false);
        if (!again.ok) expect(again.error.kind).toBe("tenant_exists");
        const other = await storage.tenants.create({ platform: "teams", externalId, name: "Other platform" });
        expect(other.ok).toBe(true);
      });

      it("creates a tenant with its first admin", async () => {
        const storage = await makeStorage();
        const created = await storage.tenants.create(
          { platform: "slack", externalId: uniqueExternalId(), name: "With admin" },
          { admin: { platformUserId: "U0ADMIN", displayName: "Amy" } },
        );
        if (!created.ok) throw new Error(created.error.message);
        const members = await storage.withTenant(created.value.id, (r) => r.members.list());
        expect(members).toEqual([
          { tenantId: created.value.id, platformUserId: "U0ADMIN", role: "admin", displayName: "Amy" },
        ]);
      });

      it("updates a tenant's own settings, merging partial settings", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const updated = await storage.withTenant(tenantId, (r) =>
          r.tenant.update({
            timeZone: "America/New_York",
            nudgeTime: "08:30",
            nudgeChannel: "C0123",
            settings: { cadenceBySegment: { board: 14 } },
          }),
        );
        expect(updated).toMatchObject({ timeZone: "America/New_York", nudgeTime: "08:30", nudgeChannel: "C0123" });
        expect(updated.settings).toEqual({
          cadenceBySegment: { board: 14 },
          whenNothingToSay: "skip",
          ownerDms: false,
        });
        const again = await storage.withTenant(tenantId, (r) => r.tenant.update({ settings: { ownerDms: true } }));
        expect(again.settings).toEqual({ cadenceBySegment: { board: 14 }, whenNothingToSay: "skip", ownerDms: true });
        expect(await storage.tenants.get(tenantId)).toEqual(again);
      });
    });

    describe("members", () => {
      it("upserts members, keeping the role unless a new one is given", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          expect(await r.members.upsert({ platformUserId: "U1", role: "admin", displayName: "Amy" })).toMatchObject({
            role: "admin",
            displayName: "Amy",
          });
          expect(await r.members.upsert({ platformUserId: "U1", displayName: "Amy Lee" })).toMatchObject({
            role: "admin",
            displayName: "Amy Lee",
          });
          await r.members.upsert({ platformUserId: "U2" });
          expect(await r.members.get("U2")).toMatchObject({ role: "member", displayName: null });
          expect((await r.members.list()).map((m) => m.platformUserId)).toEqual(["U1", "U2"]);
        });
      });

      it("changes roles one transaction at a time: two admins demoting each other at once leave one", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const demote = (actor: string, other: string) =>
          storage.withTenant(tenantId, async (r) => {
            await r.members.lockRoles();
            if ((await r.members.get(actor))?.role !== "admin") return false;
            await r.members.upsert({ platformUserId: other, role: "member" });
            return true;
          });
        for (let round = 0; round < 10; round++) {
          await storage.withTenant(tenantId, async (r) => {
            await r.members.upsert({ platformUserId: "U1", role: "admin" });
            await r.members.upsert({ platformUserId: "U2", role: "admin" });
          });
          const done = await Promise.all([demote("U1", "U2"), demote("U2", "U1")]);
          expect(done.filter(Boolean)).toHaveLength(1);
          const members = await storage.withTenant(tenantId, (r) => r.members.list());
          expect(members.filter((m) => m.role === "admin")).toHaveLength(1);
        }
      });
    });

    describe("contacts", () => {
      it("creates a contact with identities and finds it every way", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          const jane = await r.contacts.create({
            name: "Jane Doe",
            segment: "major donor",
            tags: ["gala", "board"],
            owner: "U1",
            cadenceDays: 30,
            notes: "Prefers phone",
            identities: [x("janedoe", "2244994945"), email("jane@example.org")],
          });
          expect(jane).toMatchObject({
            tenantId,
            name: "Jane Doe",
            segment: "major donor",
            owner: "U1",
            cadenceDays: 30,
            notes: "Prefers phone",
            archived: false,
          });
          expect([...jane.tags].sort()).toEqual(["board", "gala"]);
          expect(await r.contacts.get(jane.id)).toEqual(jane);
          expect((await r.contacts.findByIdentity("x", { handle: "janedoe" }))?.id).toBe(jane.id);
          expect((await r.contacts.findByIdentity("x", { externalUserId: "2244994945" }))?.id).toBe(jane.id);
          expect((await r.contacts.findByIdentity("email", { handle: "jane@example.org" }))?.id).toBe(jane.id);
          expect(await r.contacts.findByIdentity("email", { handle: "janedoe" })).toBeUndefined();
          expect((await r.contacts.findByHandle("janedoe")).map((c) => c.id)).toEqual([jane.id]);
          expect((await r.contacts.findByName("jane DOE")).map((c) => c.id)).toEqual([jane.id]);
          expect(await r.contacts.listNames()).toEqual([{ id: jane.id, name: "Jane Doe" }]);
        });
      });

      it("updates fields, adds identities, and hides archived contacts from lookups by name", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          const sam = await r.contacts.create({ name: "Sam Lee" });
          const updated = await r.contacts.update(sam.id, { segment: "influencer", tags: ["press"], cadenceDays: 14 });
          expect(updated).toMatchObject({ segment: "influencer", tags: ["press"], cadenceDays: 14, name: "Sam Lee" });
          await r.contacts.addIdentities(sam.id, [x("samlee")]);
          expect((await r.contacts.get(sam.id))?.identities).toEqual([x("samlee")]);
          await r.contacts.update(sam.id, { archived: true });
          expect(await r.contacts.findByName("Sam Lee")).toEqual([]);
          expect(await r.contacts.findByHandle("samlee")).toEqual([]);
          expect(await r.contacts.listNames()).toEqual([]);
          expect(await r.contacts.list()).toEqual([]);
          expect((await r.contacts.list({ includeArchived: true })).map((c) => c.id)).toEqual([sam.id]);
          expect(await r.contacts.update(randomId(), { name: "Nobody" })).toBeUndefined();
        });
      });

      it("lists contacts by name as people read it, whatever the case or accents", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const names = await storage.withTenant(tenantId, async (r) => {
          for (const name of ["zoe", "Élodie", "ben", "Adam", "Zack", "élan"]) await r.contacts.create({ name });
          return (await r.contacts.list()).map((c) => c.name);
        });
        expect(names).toEqual(["Adam", "ben", "élan", "Élodie", "Zack", "zoe"]);
        const withLast = await storage.withTenant(tenantId, (r) => r.contacts.listWithLastTouch());
        expect(withLast.map((c) => c.contact.name)).toEqual(names);
      });

      it("prefers the platform user id over the handle when both are asked for", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          // @janedoe renamed herself; someone new took the old handle's spelling before we knew.
          const jane = await r.contacts.create({ name: "Jane Doe", identities: [x("jane_d", "42")] });
          await r.contacts.create({ name: "New Janedoe", identities: [x("janedoe", "77")] });
          const found = await r.contacts.findByIdentity("x", { handle: "janedoe", externalUserId: "42" });
          expect(found?.id).toBe(jane.id);
        });
      });

      it("answers look-ups made together each with its own contact", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          const jane = await r.contacts.create({ name: "Jane Doe", identities: [x("jane_d", "42")] });
          const newcomer = await r.contacts.create({ name: "New Janedoe", identities: [x("janedoe", "77")] });
          const sam = await r.contacts.create({ name: "Sam Lee", identities: [email("sam@example.org")] });
          // Sent at once (shared transactions coalesce them): repeats, misses, platforms, both keys.
          const found = await Promise.all([
            r.contacts.findByIdentity("x", { handle: "janedoe" }),
            r.contacts.findByIdentity("x", { handle: "janedoe", externalUserId: "42" }),
            r.contacts.findByIdentity("x", { handle: "janedoe", externalUserId: "999" }),
            r.contacts.findByIdentity("x", { externalUserId: "42" }),
            r.contacts.findByIdentity("x", { handle: "nobody" }),
            r.contacts.findByIdentity("email", { handle: "sam@example.org" }),
            r.contacts.findByIdentity("x", { handle: "sam@example.org" }),
            r.contacts.findByIdentity("x", { handle: "janedoe" }),
          ]);
          expect(found.map((c) => c?.id)).toEqual([
            newcomer.id,
            jane.id,
            newcomer.id,
            jane.id,
            undefined,
            sam.id,
            undefined,
            newcomer.id,
          ]);
          expect(found[5]).toEqual(sam);
        });
      });

      it("creates many at once", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const count = await storage.withTenant(tenantId, (r) =>
          r.contacts.createMany(
            Array.from({ length: 120 }, (_, i) => ({
              name: `Supporter ${i}`,
              segment: "supporter",
              identities: [x(`supporter_${i}`), email(`s${i}@example.org`)],
            })),
          ),
        );
        expect(count).toBe(120);
        await storage.withTenant(tenantId, async (r) => {
          expect(await r.contacts.list()).toHaveLength(120);
          const s7 = await r.contacts.findByIdentity("email", { handle: "s7@example.org" });
          expect(s7?.name).toBe("Supporter 7");
          expect(s7?.identities).toHaveLength(2);
        });
      });

      it("rolls back everything in a transaction that throws", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await expect(
          storage.withTenant(tenantId, async (r) => {
            await r.contacts.create({ name: "Ghost" });
            throw new Error("boom");
          }),
        ).rejects.toThrow("boom");
        expect(await storage.withTenant(tenantId, (r) => r.contacts.list())).toEqual([]);
      });
    });

    describe("going cold", () => {
      it("ranks contacts past their cadence by how far past × weight, in the tenant's calendar, and counts them", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const now = new Date("2026-11-10T15:00:00Z"); // 10:00 in New York
        const daysBefore = (days: number, hourUtc = 15) => new Date(Date.UTC(2026, 10, 10 - days, hourUtc, 0, 0));
        const cold = (limit = 10) =>
          storage.withTenant(tenantId, (r) =>
            r.contacts.goingCold({
              now,
              timeZone: "America/New_York",
              cadenceBySegment: { "major donor": 30, board: 30 },
              fallbackCadence: 90,
              weights: { "major donor": 5, board: 4 },
              fallbackWeight: 1,
              limit,
            }),
          );
        const ids = await storage.withTenant(tenantId, async (r) => {
          const make = async (name: string, segment: string | null, days: number | null, extra = {}) => {
            const contact = await r.contacts.create({ name, segment, ...extra });
            if (days !== null) await r.touchpoints.record(touch(contact.id, { occurredAt: daysBefore(days) }));
            return contact.id;
          };
          return {
            donor: await make("Maria", "major donor", 62), // 62/30 × 5
            board: await make("Dev", "board", 45), // 45/30 × 4
            own: await make("Sam", "board", 20, { cadenceDays: 14 }), // 20/14 × 4
            fresh: await make("Ana", "major donor", 10),
            never: await make("Nobody", "major donor", null),
            fallback: await make("Pat", null, 91), // 91/90 × 1
            edge: await make("Lee", "board", 30), // exactly the cadence: not past it
            gone: await make("Gus", "major donor", 200, { archived: false }),
          };
        });
        await storage.withTenant(tenantId, (r) => r.contacts.update(ids.gone, { archived: true }));
        const all = await cold();
        expect(all.total).toBe(4);
        expect(all.relationships.map((x) => x.contact.name)).toEqual(["Maria", "Dev", "Sam", "Pat"]);
        expect(all.relationships[0]).toMatchObject({ daysSince: 62, cadenceDays: 30, status: "overdue" });
        expect(all.relationships[0]?.lastTouch).toMatchObject({ channel: "call", direction: "outbound" });
        expect((await cold(2)).relationships.map((x) => x.contact.name)).toEqual(["Maria", "Dev"]);

        // 03:00 UTC on 12 August is still the 11th in New York: 91 days there, 90 (not past) in UTC.
        await storage.withTenant(tenantId, (r) =>
          r.touchpoints.record(touch(ids.fallback, { occurredAt: new Date("2026-08-12T03:00:00Z") })),
        );
        expect((await cold()).relationships.find((x) => x.contact.id === ids.fallback)).toMatchObject({
          daysSince: 91,
          lastTouch: { occurredAt: new Date("2026-08-12T03:00:00Z") },
        });
        // A newer touch warms a contact up; undoing it cools them down again.
        const warm = await storage.withTenant(tenantId, (r) =>
          r.touchpoints.record(touch(ids.donor, { occurredAt: daysBefore(1) })),
        );
        expect((await cold()).relationships.map((x) => x.contact.name)).toEqual(["Dev", "Sam", "Pat"]);
        await storage.withTenant(tenantId, (r) => r.touchpoints.undo(warm.touchpoint.id, now));
        expect((await cold()).relationships.map((x) => x.contact.name)).toEqual(["Maria", "Dev", "Sam", "Pat"]);
      });
    });

    describe("touchpoints", () => {
      it("records a touch once per sourceRef", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          const jane = await r.contacts.create({ name: "Jane Doe" });
          const first = await r.touchpoints.record(touch(jane.id, { sourceRef: "slack:T1:trigger-1" }));
          expect(first.created).toBe(true);
          expect(first.touchpoint).toMatchObject({ tenantId, contactId: jane.id, channel: "call", undoneAt: null });
          const again = await r.touchpoints.record(touch(jane.id, { sourceRef: "slack:T1:trigger-1", note: "other" }));
          expect(again).toEqual({ touchpoint: first.touchpoint, created: false });
          expect(await r.touchpoints.findBySourceRef("slack:T1:trigger-1")).toEqual(first.touchpoint);
          expect(await r.touchpoints.findBySourceRef("slack:T1:other")).toBeUndefined();
          expect(await r.touchpoints.listForContact(jane.id, 10)).toHaveLength(1);
        });
      });

      it("answers reads and records made at once (as touches sharing a transaction make them) each as if alone", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          const jane = await r.contacts.create({ name: "Jane Doe" });
          const ann = await r.contacts.create({ name: "Ann Lee" });
          const earlier = await r.touchpoints.record(touch(jane.id, { occurredAt: new Date("2026-11-01T12:00:00Z") }));

          const [janePrevious, annPrevious, first, redelivered, forAnn] = await Promise.all([
            r.touchpoints.latest(jane.id),
            r.touchpoints.latest(ann.id),
            r.touchpoints.record(
              touch(jane.id, { sourceRef: "slack:T1:together-1", occurredAt: new Date("2026-11-15T12:00:00Z") }),
            ),
            r.touchpoints.record(touch(jane.id, { sourceRef: "slack:T1:together-1", note: "again" })),
            r.touchpoints.record(touch(ann.id, { sourceRef: "slack:T1:together-2", channel: "email" })),
          ]);
          // Read before the writes sent with them.
          expect(janePrevious?.id).toBe(earlier.touchpoint.id);
          expect(annPrevious).toBeUndefined();
          expect(first.created).toBe(true);
          expect(redelivered).toEqual({ touchpoint: first.touchpoint, created: false });
          expect(forAnn).toMatchObject({ created: true, touchpoint: { contactId: ann.id, channel: "email" } });
          expect((await r.touchpoints.latest(jane.id))?.id).toBe(first.touchpoint.id);
          expect(await r.touchpoints.listForContact(jane.id, 10)).toHaveLength(2);
        });
      });

      it("knows the latest touch, counts recent ones, and forgets undone ones", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          const jane = await r.contacts.create({ name: "Jane Doe" });
          const old = await r.touchpoints.record(touch(jane.id, { occurredAt: new Date("2026-06-01T12:00:00Z") }));
          const mid = await r.touchpoints.record(
            touch(jane.id, { occurredAt: new Date("2026-10-01T12:00:00Z"), direction: "inbound", channel: "donation" }),
          );
          const recent = await r.touchpoints.record(touch(jane.id, { occurredAt: new Date("2026-11-10T12:00:00Z") }));

          expect((await r.touchpoints.latest(jane.id))?.id).toBe(recent.touchpoint.id);
          expect((await r.touchpoints.latest(jane.id, { excluding: recent.touchpoint.id }))?.id).toBe(
            mid.touchpoint.id,
          );
          expect(await r.touchpoints.countSince(jane.id, new Date("2026-09-01T00:00:00Z"))).toEqual({
            total: 2,
            inbound: 1,
            outbound: 1,
          });
          expect((await r.touchpoints.listForContact(jane.id, 2)).map((t) => t.id)).toEqual([
            recent.touchpoint.id,
            mid.touchpoint.id,
          ]);
          const [withLast] = await r.contacts.listWithLastTouch();
          expect(withLast?.lastTouch?.occurredAt).toEqual(new Date("2026-11-10T12:00:00Z"));

          const at = new Date("2026-11-11T09:00:00Z");
          const undone = await r.touchpoints.undo(recent.touchpoint.id, at);
          expect(undone?.undoneAt).toEqual(at);
          expect((await r.touchpoints.get(recent.touchpoint.id))?.undoneAt).toEqual(at);
          expect((await r.touchpoints.latest(jane.id))?.id).toBe(mid.touchpoint.id);
          expect((await r.touchpoints.countSince(jane.id, new Date("2026-01-01T00:00:00Z"))).total).toBe(2);
          const [after] = await r.contacts.listWithLastTouch();
          expect(after?.lastTouch).toEqual({
            occurredAt: new Date("2026-10-01T12:00:00Z"),
            channel: "donation",
            direction: "inbound",
            note: "called about the gala",
          });
          expect(old.created).toBe(true);
          // An undone touch keeps its sourceRef: a late retry of the same command stays undone.
          expect((await r.touchpoints.record(touch(jane.id, { sourceRef: recent.touchpoint.sourceRef }))).created).toBe(
            false,
          );
        });
      });

      it("lists contacts never touched with no last touch", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const rows = await storage.withTenant(tenantId, async (r) => {
          await r.contacts.create({ name: "Dev Patel" });
          return r.contacts.listWithLastTouch();
        });
        expect(rows).toHaveLength(1);
        expect(rows[0]?.lastTouch).toBeNull();
      });
    });

    describe("tenant isolation", () => {
      it("never shows one tenant's rows to another", async () => {
        const storage = await makeStorage();
        const a = await newTenant(storage, "A");
        const b = await newTenant(storage, "B");
        const janeInA = await storage.withTenant(a, async (r) => {
          const jane = await r.contacts.create({ name: "Jane Doe", identities: [x("janedoe", "42")] });
          await r.touchpoints.record(touch(jane.id, { sourceRef: "shared-ref" }));
          await r.members.upsert({ platformUserId: "U1", role: "admin" });
          return jane;
        });
        await storage.withTenant(b, async (r) => {
          expect(await r.contacts.get(janeInA.id)).toBeUndefined();
          expect(await r.contacts.findByIdentity("x", { handle: "janedoe" })).toBeUndefined();
          expect(await r.contacts.findByIdentity("x", { externalUserId: "42" })).toBeUndefined();
          expect(await r.contacts.findByName("Jane Doe")).toEqual([]);
          expect(await r.contacts.list({ includeArchived: true })).toEqual([]);
          expect(await r.members.get("U1")).toBeUndefined();
          expect(await r.contacts.update(janeInA.id, { name: "Hijacked" })).toBeUndefined();
          expect(await r.touchpoints.listForContact(janeInA.id, 10)).toEqual([]);
          expect(await r.touchpoints.latest(janeInA.id)).toBeUndefined();
          // The same identity and the same sourceRef are free in another tenant.
          const janeInB = await r.contacts.create({ name: "Jane Doe", identities: [x("janedoe", "42")] });
          const recorded = await r.touchpoints.record(touch(janeInB.id, { sourceRef: "shared-ref" }));
          expect(recorded.created).toBe(true);
        });
        expect((await storage.withTenant(a, (r) => r.contacts.get(janeInA.id)))?.name).toBe("Jane Doe");
      });
    });

    describe("installations", () => {
      it("saves, replaces, finds and removes an installation by platform and key", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const key = uniqueExternalId("T");
        const installation = { ...slackInstall(key, JSON.stringify({ bot: { token: "xoxb-first" } })), tenantId };
        await storage.installations.save(installation);
        expect(await storage.installations.find("slack", key)).toEqual(installation);
        expect(await storage.installations.find("teams", key)).toBeUndefined();
        const replaced = { ...installation, secret: JSON.stringify({ bot: { token: "xoxb-second" } }) };
        await storage.installations.save(replaced);
        expect(await storage.installations.find("slack", key)).toEqual(replaced);
        const updated = { ...installation, secret: JSON.stringify({ bot: { token: "xoxb-third" } }) };
        expect(await storage.installations.update(updated)).toBe(true);
        expect(await storage.installations.find("slack", key)).toEqual(updated);
        expect(await storage.installations.remove("slack", key)).toBe(true);
        expect(await storage.installations.remove("slack", key)).toBe(false);
        expect(await storage.installations.find("slack", key)).toBeUndefined();
        // An update after an uninstall brings nothing back.
        expect(await storage.installations.update(updated)).toBe(false);
        expect(await storage.installations.find("slack", key)).toBeUndefined();
      });
    });

    describe("install scopes", () => {
      it("records each scope once, marks a removed one and brings it back, sealed references read back whole", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const other = await newTenant(storage);
        const reference = (id: string) => JSON.stringify({ conversation: { id }, serviceUrl: "https://smba.example/" });
        await storage.withTenant(tenantId, async (r) => {
          await r.installScopes.add({
            conversationId: "19:team@thread.tacv2",
            scope: "team",
            reference: reference("19:team@thread.tacv2"),
            installedBy: "aad-amy",
          });
          await r.installScopes.add({
            conversationId: "a:personal-ben",
            scope: "personal",
            reference: reference("a:personal-ben"),
            installedBy: "aad-ben",
          });
        });
        await storage.withTenant(other, (r) =>
          r.installScopes.add({ conversationId: "19:other", scope: "groupChat", reference: "{}", installedBy: null }),
        );

        const listed = await storage.withTenant(tenantId, (r) => r.installScopes.list());
        expect(listed.map((s) => [s.conversationId, s.scope, s.installedBy, s.removedAt])).toEqual([
          ["19:team@thread.tacv2", "team", "aad-amy", null],
          ["a:personal-ben", "personal", "aad-ben", null],
        ]);
        expect(JSON.parse(listed[1]?.reference ?? "{}")).toEqual(JSON.parse(reference("a:personal-ben")));

        const at = new Date("2026-11-30T10:00:00Z");
        expect(await storage.withTenant(tenantId, (r) => r.installScopes.remove("a:personal-ben", at))).toBe(true);
        expect(await storage.withTenant(tenantId, (r) => r.installScopes.remove("a:personal-ben", at))).toBe(false);
        expect(await storage.withTenant(tenantId, (r) => r.installScopes.remove("19:other", at))).toBe(false);
        const afterRemove = await storage.withTenant(tenantId, (r) => r.installScopes.list());
        expect(afterRemove.find((s) => s.conversationId === "a:personal-ben")?.removedAt).toEqual(at);

        await storage.withTenant(tenantId, (r) =>
          r.installScopes.add({
            conversationId: "a:personal-ben",
            scope: "personal",
            reference: reference("a:personal-ben-again"),
            installedBy: "aad-ben",
          }),
        );
        const back = await storage.withTenant(tenantId, (r) => r.installScopes.list());
        expect(back.map((s) => s.removedAt)).toEqual([null, null]);
        expect(back[1]?.reference).toContain("a:personal-ben-again");
        expect((await storage.withTenant(other, (r) => r.installScopes.list())).map((s) => s.conversationId)).toEqual([
          "19:other",
        ]);
      });

      it("removes one tenant's scopes one at a time: of two removed at once, one sees the other gone", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const removeAndCount = (conversationId: string) =>
          storage.withTenant(tenantId, async (r) => {
            await r.installScopes.remove(conversationId, new Date());
            return (await r.installScopes.list()).filter((s) => s.removedAt === null).length;
          });
        for (let round = 0; round < 10; round++) {
          const teams = [`19:first-${round}`, `19:second-${round}`];
          await storage.withTenant(tenantId, async (r) => {
            for (const conversationId of teams) {
              await r.installScopes.add({ conversationId, scope: "team", reference: "{}", installedBy: null });
            }
          });
          const left = await Promise.all(teams.map(removeAndCount));
          expect([...left].sort()).toEqual([0, 1]);
        }
      });
    });

    describe("pending actions", () => {
      it("hands a pending action back once, to its own tenant, of its own kind, before it expires", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const other = await newTenant(storage);
        const now = new Date("2026-11-01T12:00:00Z");
        const later = new Date("2026-11-02T12:00:00Z");
        const payload = { note: "x".repeat(10_000), who: "@jane" };
        const id = await storage.withTenant(tenantId, (r) => r.pendingActions.put("touch", payload, later));
        expect(await storage.withTenant(other, (r) => r.pendingActions.take(id, "touch", now))).toBeUndefined();
        expect(await storage.withTenant(tenantId, (r) => r.pendingActions.take(id, "contact", now))).toBeUndefined();
        expect(await storage.withTenant(tenantId, (r) => r.pendingActions.take(id, "touch", now))).toEqual(payload);
        expect(await storage.withTenant(tenantId, (r) => r.pendingActions.take(id, "touch", now))).toBeUndefined();

        const stale = await storage.withTenant(tenantId, (r) => r.pendingActions.put("touch", payload, now));
        expect(await storage.withTenant(tenantId, (r) => r.pendingActions.take(stale, "touch", later))).toBeUndefined();
      });

      it("keeps a list under a key: appended to by callers at once, handed back once, per tenant, kind and key", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const other = await newTenant(storage);
        const now = new Date("2026-11-01T12:00:00Z");
        const at = { now, expiresAt: new Date("2026-11-08T12:00:00Z") };
        const append = (tenant: string, kind: string, key: string, entries: unknown[]) =>
          storage.withTenant(tenant, (r) => r.pendingActions.append(kind, key, entries, at));
        const takeList = (tenant: string, kind: string, key: string, when = now) =>
          storage.withTenant(tenant, (r) => r.pendingActions.takeList(kind, key, when));

        await append(tenantId, "notice", "user-1", [{ n: 1 }]);
        await Promise.all([2, 3, 4].map((n) => append(tenantId, "notice", "user-1", [{ n }])));
        await append(tenantId, "notice", "user-2", [{ n: 5 }]);
        await append(tenantId, "other", "user-1", [{ n: 6 }]);
        await append(other, "notice", "user-1", [{ n: 7 }]);

        const mine = (await takeList(tenantId, "notice", "user-1")) as { n: number }[];
        expect(mine[0]).toEqual({ n: 1 });
        expect(mine.map((e) => e.n).sort()).toEqual([1, 2, 3, 4]);
        expect(await takeList(tenantId, "notice", "user-1")).toEqual([]);
        expect(await takeList(tenantId, "notice", "user-2")).toEqual([{ n: 5 }]);
        expect(await takeList(tenantId, "other", "user-1")).toEqual([{ n: 6 }]);
        expect(await takeList(other, "notice", "user-1")).toEqual([{ n: 7 }]);
        expect(await takeList(tenantId, "notice", "nobody")).toEqual([]);
      });

      it("lets a kept list expire: it is not handed back, and an append after its expiry starts it again", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const day = (d: number) => new Date(`2026-11-${String(d).padStart(2, "0")}T12:00:00Z`);
        const append = (entries: unknown[], now: Date) =>
          storage.withTenant(tenantId, (r) =>
            r.pendingActions.append("notice", "user-1", entries, {
              now,
              expiresAt: new Date(now.getTime() + 86_400_000),
            }),
          );
        await append(["old"], day(1));
        expect(
          await storage.withTenant(tenantId, (r) => r.pendingActions.takeList("notice", "user-1", day(3))),
        ).toEqual([]);
        await append(["stale"], day(1));
        await append(["fresh"], day(5));
        expect(
          await storage.withTenant(tenantId, (r) => r.pendingActions.takeList("notice", "user-1", day(5))),
        ).toEqual(["fresh"]);
      });
    });

    describe("social accounts", () => {
      it("keeps credentials out of listings and replaces them on reconnect", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          const account = await r.socialAccounts.connect({
            platform: "x",
            handle: "riversidefood",
            externalUserId: "1001",
            credentials: "AAAA-bearer-secret",
          });
          expect(account).toMatchObject({ platform: "x", handle: "riversidefood", status: "active" });
          expect(JSON.stringify(await r.socialAccounts.list())).not.toContain("bearer-secret");
          expect(await r.socialAccounts.credentials(account.id)).toBe("AAAA-bearer-secret");
          const again = await r.socialAccounts.connect({
            platform: "x",
            handle: "riversidefood",
            externalUserId: "1001",
            credentials: "BBBB-new-secret",
          });
          expect(again.id).toBe(account.id);
          expect(await r.socialAccounts.credentials(account.id)).toBe("BBBB-new-secret");
          expect(await r.socialAccounts.list()).toHaveLength(1);
        });
        const other = await newTenant(storage);
        const accounts = await storage.withTenant(tenantId, (r) => r.socialAccounts.list());
        const id = accounts[0]?.id ?? "";
        expect(await storage.withTenant(other, (r) => r.socialAccounts.credentials(id))).toBeUndefined();
      });
    });

    describe("mentions in", () => {
      const connect = (storage: Storage, tenantId: string) =>
        storage.withTenant(tenantId, (r) =>
          r.socialAccounts.connect({
            platform: "x",
            handle: "riversidefood",
            externalUserId: "1001",
            credentials: "AAAA",
          }),
        );

      it("stores each post once, finds open ones by post or thread, and marks them replied", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          const jane = await r.contacts.create({ name: "Jane", identities: [x("janedoe", "42")] });
          const touch = (postId: string) => ({
            contactId: jane.id,
            occurredAt: new Date("2026-11-01T12:00:01Z"),
            channel: "x_mention" as const,
            direction: "inbound" as const,
            note: `post ${postId}`,
            loggedBy: "x:janedoe",
            source: "x" as const,
            sourceRef: `x:post:${postId}`,
          });
          const first = await r.mentions.insertMany(
            [mention("1", jane.id), mention("2", null, "thread-9")],
            new Map([["1", touch("1")]]),
          );
          expect([...first.stored].sort()).toEqual(["1", "2"]);
          expect(first.touchpoints).toBe(1);
          // Post 1 again: neither the mention nor its touch twice; post 4's touch goes in with it.
          const again = await r.mentions.insertMany(
            [mention("1", jane.id), mention("2", null), mention("3", null), mention("4", jane.id)],
            new Map([
              ["1", touch("1")],
              ["4", touch("4")],
            ]),
          );
          expect([...again.stored].sort()).toEqual(["3", "4"]);
          expect(again.touchpoints).toBe(1);
          expect((await r.touchpoints.findBySourceRef("x:post:1"))?.note).toBe("post 1");
          expect((await r.touchpoints.findBySourceRef("x:post:4"))?.note).toBe("post 4");
          expect(await r.touchpoints.countSince(jane.id, new Date(0))).toMatchObject({ total: 2 });

          const open = await r.mentions.listOpen(10);
          expect(open.map((m) => m.postId)).toEqual(["1", "2", "3", "4"]);
          expect(open[0]).toMatchObject({
            contactId: jane.id,
            status: "needs_reply",
            author: { handle: "someone", followers: 12 },
          });
          expect(open[0]?.postedAt).toEqual(new Date("2026-11-01T12:00:01Z"));

          const found = await r.mentions.findOpen("x", { postIds: ["1"], conversationIds: ["thread-9"] });
          expect(found.map((m) => m.postId).sort()).toEqual(["1", "2"]);
          await r.mentions.markReplied([{ id: found[0]?.id ?? "", repliedAt: new Date("2026-11-02T00:00:00Z") }]);
          expect(await r.mentions.listOpen(10)).toHaveLength(3);
        });
      });

      it("gets a mention by id, and snoozes only an open one", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const other = await newTenant(storage);
        const until = new Date("2026-11-09T12:00:00Z");
        const firstId = await storage.withTenant(tenantId, async (r) => {
          await r.mentions.insertMany([mention("1", null), mention("2", null)]);
          const [first, second] = await r.mentions.listOpen(10);
          if (!first || !second) throw new Error("two mentions");
          expect((await r.mentions.get(first.id))?.postId).toBe("1");
          expect(await r.mentions.snooze(first.id, until)).toBe(true);
          expect(await r.mentions.get(first.id)).toMatchObject({ status: "snoozed", snoozedUntil: until });
          await r.mentions.markReplied([{ id: second.id, repliedAt: until }]);
          expect(await r.mentions.snooze(second.id, until)).toBe(false);
          // Both are by author 42: a new contact takes the ones without a contact.
          const nina = await r.contacts.create({ name: "Nina", identities: [x("someone", "42")] });
          expect(await r.mentions.attachAuthor("x", "42", nina.id)).toBe(2);
          expect((await r.mentions.get(first.id))?.contactId).toBe(nina.id);
          expect(await r.mentions.attachAuthor("x", "42", nina.id)).toBe(0);
          // Taking a mention only if nobody has it: the second taker gets nothing.
          expect(await r.mentions.assign(first.id, "U1", { ifUnassigned: true })).toBe(true);
          expect(await r.mentions.assign(first.id, "U2", { ifUnassigned: true })).toBe(false);
          expect((await r.mentions.get(first.id))?.assignee).toBe("U1");
          return first.id;
        });
        expect(await storage.withTenant(other, (o) => o.mentions.get(firstId))).toBeUndefined();
        expect(await storage.withTenant(other, (o) => o.mentions.snooze(firstId, until))).toBe(false);
      });

      it("lists one person's open mentions: assigned to them, or unassigned from contacts they own", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const other = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          const hers = await r.contacts.create({ name: "Jane", owner: "U_ANA", identities: [x("janedoe", "42")] });
          const his = await r.contacts.create({ name: "Raj", owner: "U_BEN", identities: [x("raj", "43")] });
          await r.mentions.insertMany([
            mention("1", hers.id),
            mention("2", his.id),
            mention("3", null),
            mention("4", hers.id),
          ]);
          const byPost = new Map((await r.mentions.listOpen(10)).map((m) => [m.postId, m.id]));
          expect(await r.mentions.assign(byPost.get("2") ?? "", "U_ANA")).toBe(true);
          expect(await r.mentions.assign(byPost.get("4") ?? "", "U_BEN")).toBe(true);
          const mine = await r.mentions.listOpen(10, { person: "U_ANA" });
          expect(mine.map((m) => [m.postId, m.assignee])).toEqual([
            ["1", null],
            ["2", "U_ANA"],
          ]);
          expect((await r.mentions.listOpen(10, { person: "U_BEN" })).map((m) => m.postId)).toEqual(["4"]);
          expect(await r.mentions.listOpen(10, { person: "U_NOBODY" })).toEqual([]);
          expect(await r.mentions.listOpen(1, { person: "U_ANA" })).toHaveLength(1);
        });
        const theirs = await storage.withTenant(tenantId, (r) => r.mentions.listOpen(1));
        const id = theirs[0]?.id ?? "";
        expect(await storage.withTenant(other, (r) => r.mentions.assign(id, "U_EVE"))).toBe(false);
        const after = await storage.withTenant(tenantId, (r) => r.mentions.listOpen(1));
        expect(after[0]?.assignee).toBeNull();
      });

      it("learns X user ids for identities known by handle, never taking one another identity holds", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          const jane = await r.contacts.create({ name: "Jane", identities: [x("janedoe", null)] });
          const raj = await r.contacts.create({ name: "Raj", identities: [x("raj", "43")] });
          const old = await r.contacts.create({ name: "Old", identities: [x("oldname", null)] });
          await r.contacts.learnExternalUserIds("x", [
            { handle: "janedoe", externalUserId: "42" },
            { handle: "raj", externalUserId: "99" },
            { handle: "oldname", externalUserId: "43" },
          ]);
          const ids = async (id: string) => (await r.contacts.get(id))?.identities.map((i) => i.externalUserId);
          expect(await ids(jane.id)).toEqual(["42"]);
          expect(await ids(raj.id)).toEqual(["43"]);
          expect(await ids(old.id)).toEqual([null]);
        });
      });

      it("reads what the nudge needs: contacts' mentions by weight × age, strangers' by reach, the day's activity", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const now = new Date("2026-11-02T12:00:00Z");
        const at = (iso: string) => new Date(iso);
        await storage.withTenant(tenantId, async (r) => {
          const donor = await r.contacts.create({ name: "Dana", segment: "major donor", identities: [x("dana", "1")] });
          const fan = await r.contacts.create({ name: "Finn", segment: "supporter", identities: [x("finn", "2")] });
          const post = (postId: string, contactId: string | null, postedAt: string, followers: number | null) => ({
            ...mention(postId, contactId),
            postedAt: at(postedAt),
            author: { ...mention(postId, contactId).author, followers },
          });
          await r.mentions.insertMany([
            post("11", donor.id, "2026-11-02T10:00:00Z", 5), // 2 h × 5 = 10
            post("12", fan.id, "2026-11-01T12:00:00Z", 5), // 24 h × 2 = 48
            post("13", donor.id, "2026-11-01T00:00:00Z", 5), // 36 h × 5 = 180, but answered below
            post("21", null, "2026-11-01T13:00:00Z", 10),
            post("22", null, "2026-11-01T14:00:00Z", 5000),
            post("23", null, "2026-10-20T14:00:00Z", 90000), // older than the window
            post("24", null, "2026-11-02T12:30:00Z", 80000), // after now
            post("14", donor.id, "2026-11-02T12:30:00Z", 5), // after now
          ]);
          // An archived contact's mentions are not the team's to answer any more.
          const gone = await r.contacts.create({ name: "Gus", segment: "board", identities: [x("gus", "3")] });
          await r.mentions.insertMany([post("15", gone.id, "2026-11-01T06:00:00Z", 5)]);
          await r.contacts.update(gone.id, { archived: true });
          const answered = (await r.mentions.listOpen(10)).find((m) => m.postId === "13");
          await r.mentions.markReplied([{ id: answered?.id ?? "", repliedAt: at("2026-11-01T01:30:00Z") }]);
          await r.ownPosts.insertMany([
            {
              platform: "x",
              postId: "90",
              postedAt: at("2026-11-01T01:30:00Z"),
              conversationId: "13",
              repliesToPostId: "13",
              repliesToUserId: "1",
            },
            {
              platform: "x",
              postId: "91",
              postedAt: at("2026-10-31T09:00:00Z"),
              conversationId: "91",
              repliesToPostId: null,
              repliesToUserId: null,
            },
            {
              platform: "x",
              postId: "92",
              postedAt: at("2026-10-01T09:00:00Z"),
              conversationId: "92",
              repliesToPostId: null,
              repliesToUserId: null,
            },
          ]);

          const waiting = await r.mentions.waitingFromContacts({
            now,
            weights: { "major donor": 5, supporter: 2 },
            fallbackWeight: 1,
            limit: 1,
          });
          expect(waiting.total).toBe(2);
          expect(waiting.mentions.map((m) => m.mention.postId)).toEqual(["12"]);
          expect(waiting.mentions[0]?.contact).toEqual({ id: fan.id, name: "Finn", segment: "supporter", owner: null });

          const strangers = await r.mentions.waitingFromStrangers({
            now,
            since: at("2026-10-26T12:00:00Z"),
            limit: 10,
          });
          expect(strangers.total).toBe(2);
          expect(strangers.mentions.map((m) => m.postId)).toEqual(["22", "21"]);

          expect(
            await r.mentions.activity({
              yesterday: { from: at("2026-11-01T00:00:00Z"), to: at("2026-11-02T00:00:00Z") },
              weekFrom: at("2026-10-26T12:00:00Z"),
            }),
          ).toEqual({
            yesterdayMentions: 5,
            yesterdayReplied: 1,
            medianReplySeconds: 5400,
            weekOwnPosts: 2,
            weekOwnReplies: 1,
          });
        });
      });

      it("keeps own posts once and finds the replies among them", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          const reply = {
            platform: "x" as const,
            postId: "50",
            postedAt: new Date("2026-11-02T00:00:00Z"),
            conversationId: "1",
            repliesToPostId: "1",
            repliesToUserId: "42",
          };
          const broadcast = {
            ...reply,
            postId: "51",
            conversationId: "51",
            repliesToPostId: null,
            repliesToUserId: null,
          };
          expect([...(await r.ownPosts.insertMany([reply, broadcast]))].sort()).toEqual(["50", "51"]);
          expect((await r.ownPosts.insertMany([reply])).size).toBe(0);
          expect(await r.ownPosts.findReplies("x", { postIds: ["1"], conversationIds: [] })).toEqual([reply]);
          expect(await r.ownPosts.findReplies("x", { postIds: [], conversationIds: ["51"] })).toEqual([]);
        });
      });

      it("records many touches once each, and finds identity holders in one go", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          const jane = await r.contacts.create({ name: "Jane", identities: [x("janedoe", "42")] });
          const bob = await r.contacts.create({ name: "Bob", identities: [x("bobby")] });
          const touches = [touch(jane.id, { sourceRef: "x:post:1" }), touch(bob.id, { sourceRef: "x:post:2" })];
          expect(await r.touchpoints.recordMany(touches)).toBe(2);
          expect(await r.touchpoints.recordMany([...touches, touch(jane.id, { sourceRef: "x:post:3" })])).toBe(1);
          const holders = await r.contacts.identityHolders("x", { externalUserIds: ["42"], handles: ["bobby"] });
          expect(holders.map((h) => h.contactId).sort()).toEqual([jane.id, bob.id].sort());
        });
      });

      it("keeps each stream's cursor, pauses once, and schedules the next poll", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const account = await connect(storage, tenantId);
        await storage.withTenant(tenantId, async (r) => {
          const progress = { sinceId: null, nextToken: "t2", pendingNewestId: "99" };
          await r.socialAccounts.saveProgress(account.id, "mentions", progress);
          const state = await r.socialAccounts.pollState(account.id);
          expect(state).toMatchObject({ credentials: "AAAA", mentions: progress, intervalSeconds: null });
          expect(state?.ownPosts).toEqual({ sinceId: null, nextToken: null, pendingNewestId: null });
          expect(await r.socialAccounts.pause(account.id, "401")).toBe(true);
          expect(await r.socialAccounts.pause(account.id, "401")).toBe(false);
        });
      });

      it("keeps an owed first nudge until it is taken, once", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const account = await connect(storage, tenantId);
        const owed = () =>
          storage.withTenant(tenantId, async (r) => (await r.socialAccounts.pollState(account.id))?.welcomeDue);
        expect(await owed()).toBe(false);
        expect(await storage.withTenant(tenantId, (r) => r.socialAccounts.takeWelcomeDue(account.id))).toBe(false);
        await storage.withTenant(tenantId, (r) => r.socialAccounts.markWelcomeDue(account.id));
        expect(await owed()).toBe(true);
        const takers = await Promise.all(
          [1, 2].map(() => storage.withTenant(tenantId, (r) => r.socialAccounts.takeWelcomeDue(account.id))),
        );
        expect(takers.sort()).toEqual([false, true]);
        expect(await owed()).toBe(false);
      });

      it("pauses all of a tenant's accounts and resumes only those paused for that reason", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const other = await newTenant(storage);
        const [first, theirs] = [await connect(storage, tenantId), await connect(storage, other)];
        const second = await storage.withTenant(tenantId, (r) =>
          r.socialAccounts.connect({ platform: "x", handle: "second", externalUserId: "1002", credentials: "B" }),
        );
        const status = (tenant: string) =>
          storage.withTenant(tenant, async (r) =>
            (await r.socialAccounts.list()).map((a) => [a.handle, a.status] as const),
          );
        await storage.withTenant(tenantId, (r) => r.socialAccounts.pause(second.id, "401"));
        expect(await storage.withTenant(tenantId, (r) => r.socialAccounts.pauseAll("uninstalled"))).toBe(1);
        expect(await status(other)).toEqual([[theirs.handle, "active"]]);
        expect(await storage.withTenant(tenantId, (r) => r.socialAccounts.resume("uninstalled"))).toBe(1);
        expect(new Map(await status(tenantId))).toEqual(
          new Map([
            [first.handle, "active"],
            ["second", "paused"],
          ]),
        );
        expect(await storage.withTenant(tenantId, (r) => r.socialAccounts.resume("uninstalled"))).toBe(0);
      });

      it("leases a due account to one poller at a time until the lease ends or the poll does", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const account = await connect(storage, tenantId);
        const now = new Date(Date.now() + 1000);
        const claim = (owner: string, at: Date) =>
          storage.poller.claimDue({ owner, now: at, leaseSeconds: 60, limit: 1000 });
        const mine = (claims: readonly { accountId: string }[]) => claims.filter((c) => c.accountId === account.id);
        expect(mine(await claim("a", now))).toEqual([{ tenantId, accountId: account.id }]);
        expect(mine(await claim("b", now))).toEqual([]);
        // A dead replica's lease runs out.
        expect(mine(await claim("b", new Date(now.getTime() + 61_000)))).toHaveLength(1);
        await storage.withTenant(tenantId, (r) =>
          r.socialAccounts.finishPoll(account.id, {
            nextPollAt: new Date(now.getTime() + 3_600_000),
            intervalSeconds: 240,
          }),
        );
        expect(mine(await claim("c", new Date(now.getTime() + 120_000)))).toEqual([]);
        expect(
          (await storage.withTenant(tenantId, (r) => r.socialAccounts.pollState(account.id)))?.intervalSeconds,
        ).toBe(240);
      });

      it("shares a credential's budget: keeps a fifth back, and nothing before a 429's reset", async () => {
        const storage = await makeStorage();
        const budgetKey = `budget-${randomId()}`;
        const now = new Date("2026-11-01T12:00:00Z");
        const reserve = (at = now) =>
          storage.poller.reserveRequest({ budgetKey, endpoint: "mentions", now: at, share: 0.8 });
        expect(await reserve()).toEqual({ allowed: true });
        const resetAt = new Date(now.getTime() + 600_000);
        await storage.poller.recordBudget({
          budgetKey,
          endpoint: "mentions",
          rateLimit: { limit: 10, remaining: 4, resetAt },
          blockedUntil: null,
        });
        expect(await reserve()).toEqual({ allowed: true });
        expect(await reserve()).toEqual({ allowed: false, until: resetAt });
        expect(await reserve(new Date(resetAt.getTime() + 1))).toEqual({ allowed: true });
        const blockedUntil = new Date(now.getTime() + 900_000);
        await storage.poller.recordBudget({ budgetKey, endpoint: "mentions", rateLimit: null, blockedUntil });
        expect(await reserve(new Date(resetAt.getTime() + 1))).toEqual({ allowed: false, until: blockedUntil });
      });
    });

    describe("nudges and their deliveries", () => {
      const now = new Date("2026-11-02T14:00:00Z");
      const claimFor = async (storage: Storage, tenantId: string, at = now) =>
        (await storage.nudges.claimDeliveries({ owner: "sender-1", now: at, leaseSeconds: 60, limit: 1000 })).filter(
          (claimed) => claimed.tenantId === tenantId,
        );

      it("stores one nudge per tenant and day, whoever claims it, with a delivery per target", async () => {
        const storage = await makeStorage();
        const created = await storage.tenants.create({
          platform: "slack",
          externalId: uniqueExternalId(),
          name: "Riverside",
          timeZone: "America/New_York",
          nudgeChannel: "C0NUDGES",
        });
        if (!created.ok) throw new Error(created.error.message);
        const tenantId = created.value.id;
        const candidate = async () => (await storage.nudges.candidates()).find((c) => c.tenantId === tenantId);
        // Not installed (never, or uninstalled since): there is nowhere to post its nudge.
        expect(await candidate()).toBeUndefined();
        const key = uniqueExternalId("T");
        await storage.installations.save({ ...slackInstall(key, "{}"), tenantId });
        expect(await candidate()).toEqual({
          tenantId,
          timeZone: "America/New_York",
          nudgeTime: "09:00",
          lastLocalDate: null,
        });

        // Two claims at once (on PostgreSQL, in two transactions racing): exactly one wins.
        const claims = await Promise.all(
          [1, 2].map(() =>
            storage.withTenant(tenantId, (r) =>
              r.nudges.claim(
                sampleDigest(tenantId, "2026-11-02"),
                [
                  { target: "C0NUDGES" },
                  { target: "U0OWNER", message: { ...sampleDigest(tenantId, "2026-11-02"), owner: "U0OWNER" } },
                  { target: "C0NUDGES" },
                ],
                now,
              ),
            ),
          ),
        );
        expect(claims.sort()).toEqual([false, true]);
        expect((await candidate())?.lastLocalDate).toBe("2026-11-02");
        await storage.withTenant(tenantId, async (r) => {
          expect(await r.nudges.has("2026-11-02", "daily")).toBe(true);
          expect(await r.nudges.has("2026-11-03", "daily")).toBe(false);
          const deliveries = await r.nudges.deliveries("2026-11-02");
          expect(deliveries.map((d) => [d.target, d.status, d.attempts])).toEqual([
            ["C0NUDGES", "pending", 0],
            ["U0OWNER", "pending", 0],
          ]);
          expect(deliveries[0]?.message).toEqual(sampleDigest(tenantId, "2026-11-02"));
          // An owner's delivery carries their own view of the day.
          expect(deliveries[1]?.message).toEqual({ ...sampleDigest(tenantId, "2026-11-02"), owner: "U0OWNER" });
        });
        // Nothing to deliver is still the day's nudge: it is not composed again.
        await storage.withTenant(tenantId, async (r) => {
          expect(await r.nudges.claim(sampleDigest(tenantId, "2026-11-03"), [], now)).toBe(true);
          expect(await r.nudges.deliveries("2026-11-03")).toEqual([]);
        });
        expect((await candidate())?.lastLocalDate).toBe("2026-11-03");
        // A first nudge is its own kind: beside the morning's, the same day, and no morning's itself.
        await storage.withTenant(tenantId, async (r) => {
          const welcome = { ...sampleDigest(tenantId, "2026-11-04"), kind: "welcome" as const };
          expect(await r.nudges.claim(welcome, [{ target: "C0NUDGES" }], now)).toBe(true);
          expect(await r.nudges.claim(welcome, [{ target: "C0NUDGES" }], now)).toBe(false);
          expect(await r.nudges.has("2026-11-04", "welcome")).toBe(true);
          expect(await r.nudges.has("2026-11-04", "daily")).toBe(false);
          expect(await r.nudges.claim(sampleDigest(tenantId, "2026-11-04"), [{ target: "C0NUDGES" }], now)).toBe(true);
          const both = await r.nudges.deliveries("2026-11-04");
          expect(both.map((d) => [d.kind, d.message.kind]).sort()).toEqual([
            ["daily", "daily"],
            ["welcome", "welcome"],
          ]);
        });
        expect((await candidate())?.lastLocalDate).toBe("2026-11-04");
        await storage.withTenant(tenantId, (r) =>
          r.nudges.claim({ ...sampleDigest(tenantId, "2026-11-05"), kind: "welcome" }, [], now),
        );
        expect((await candidate())?.lastLocalDate).toBe("2026-11-04");
        // Uninstalled: no more nudges (a reinstall saves the installation again).
        await storage.installations.remove("slack", key);
        expect(await candidate()).toBeUndefined();
      });

      it("keeps what people did with a nudge's buttons beside its message", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, async (r) => {
          await r.nudges.claim(sampleDigest(tenantId, "2026-11-02"), [], now);
          await r.nudges.recordAction({ localDate: "2026-11-02", kind: "daily", owner: null }, "mention:1", {
            kind: "replied",
            by: "U1",
            at: now.toISOString(),
          });
          await r.nudges.recordAction({ localDate: "2026-11-02", kind: "daily", owner: null }, "mention:2", {
            kind: "snoozed",
            by: "U2",
            at: now.toISOString(),
            detail: "for a day",
          });
          const nudge = await r.nudges.get({ localDate: "2026-11-02", kind: "daily", owner: null });
          expect(nudge?.message).toEqual(sampleDigest(tenantId, "2026-11-02"));
          expect(nudge?.actions).toEqual({
            "mention:1": { kind: "replied", by: "U1", at: now.toISOString() },
            "mention:2": { kind: "snoozed", by: "U2", at: now.toISOString(), detail: "for a day" },
          });
          expect(await r.nudges.get({ localDate: "2026-11-03", kind: "daily", owner: null })).toBeUndefined();
        });
      });

      it("leases due deliveries with their attempt counted, retries, sends once, and keeps the dead", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        const other = await newTenant(storage);
        await storage.withTenant(tenantId, (r) =>
          r.nudges.claim(sampleDigest(tenantId, "2026-11-02"), [{ target: "C0ONE" }, { target: "C0TWO" }], now),
        );
        const leased = await claimFor(storage, tenantId);
        expect(leased).toHaveLength(2);
        // Leased: not handed out again until the lease runs out.
        expect(await claimFor(storage, tenantId)).toEqual([]);
        const [one, two] = await storage.withTenant(tenantId, (r) => r.nudges.deliveries("2026-11-02"));
        if (!one || !two) throw new Error("two deliveries");
        expect(one.attempts).toBe(1);
        // Another tenant sees none of it.
        expect(await storage.withTenant(other, (r) => r.nudges.delivery(one.id))).toBeUndefined();
        expect(await storage.withTenant(other, (r) => r.nudges.markSent(one.id, { ref: "x", at: now }))).toBe(false);

        await storage.withTenant(tenantId, async (r) => {
          expect(await r.nudges.markSent(one.id, { ref: "C0ONE/1.000100", at: now })).toBe(true);
          expect(await r.nudges.markSent(one.id, { ref: "C0ONE/2.000200", at: now })).toBe(false);
          // A 429's wait gives the attempt back.
          await r.nudges.retryLater(two.id, {
            at: new Date(now.getTime() + 30_000),
            error: "rate_limited",
            countsAsAttempt: false,
          });
        });
        expect(await claimFor(storage, tenantId, new Date(now.getTime() + 29_000))).toEqual([]);
        expect(await claimFor(storage, tenantId, new Date(now.getTime() + 30_000))).toEqual([
          { tenantId, id: two.id, interrupted: false },
        ]);
        await storage.withTenant(tenantId, async (r) => {
          expect((await r.nudges.delivery(two.id))?.attempts).toBe(1);
          await r.nudges.markDead(two.id, "rejected: channel_not_found");
          expect(await r.nudges.delivery(one.id)).toMatchObject({ status: "sent", ref: "C0ONE/1.000100" });
          expect(await r.nudges.delivery(two.id)).toMatchObject({
            status: "dead",
            lastError: "rejected: channel_not_found",
          });
        });
        expect(await claimFor(storage, tenantId, new Date(now.getTime() + 3_600_000))).toEqual([]);
        expect((await storage.nudges.deadLetters()).get(tenantId)).toBe(1);
        expect((await storage.nudges.deadLetters()).has(other)).toBe(false);
      });

      it("says which attempts were cut short, and keeps an unknown outcome apart from sent and dead", async () => {
        const storage = await makeStorage();
        const tenantId = await newTenant(storage);
        await storage.withTenant(tenantId, (r) =>
          r.nudges.claim(sampleDigest(tenantId, "2026-11-02"), [{ target: "C0ONE" }, { target: "C0TWO" }], now),
        );
        const first = await claimFor(storage, tenantId);
        expect(first.map((c) => c.interrupted)).toEqual([false, false]);
        const [one, two] = await storage.withTenant(tenantId, (r) => r.nudges.deliveries("2026-11-02"));
        if (!one || !two) throw new Error("two deliveries");
        // One attempt finishes with a retry; the other's replica dies holding its lease.
        await storage.withTenant(tenantId, (r) =>
          r.nudges.retryLater(one.id, { at: now, error: "not_taken: HTTP 412", countsAsAttempt: true }),
        );
        const afterLease = new Date(now.getTime() + 61_000);
        const second = await claimFor(storage, tenantId, afterLease);
        expect(second.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
          [
            { tenantId, id: one.id, interrupted: false },
            { tenantId, id: two.id, interrupted: true },
          ].sort((a, b) => a.id.localeCompare(b.id)),
        );
        await storage.withTenant(tenantId, async (r) => {
          await r.nudges.markUnknown(two.id, "unknown: unavailable: HTTP 502; no way to look");
          expect(await r.nudges.delivery(two.id)).toMatchObject({
            status: "unknown",
            attempts: 2,
            lastError: "unknown: unavailable: HTTP 502; no way to look",
          });
          // Only a pending delivery can end unknown.
          expect(await r.nudges.markSent(one.id, { ref: "C0ONE/1", at: now })).toBe(true);
          await r.nudges.markUnknown(one.id, "unknown: too late");
          expect(await r.nudges.delivery(one.id)).toMatchObject({ status: "sent", ref: "C0ONE/1" });
          expect(await r.nudges.markSent(two.id, { ref: "C0TWO/1", at: now })).toBe(false);
        });
        // Not attempted again, and counted apart from the dead.
        expect(await claimFor(storage, tenantId, new Date(now.getTime() + 3_600_000))).toEqual([]);
        expect((await storage.nudges.unknownOutcomes()).get(tenantId)).toBe(1);
        expect((await storage.nudges.deadLetters()).has(tenantId)).toBe(false);
      });
    });
  });
}
