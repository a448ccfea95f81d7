import { describe, expect, it } from "vitest";
import { parseCommand } from "../commands/parse-command.js";
import { AmbiguousContact, UnknownContact, ValidationError } from "../errors.js";
import {
  byEmail,
  byHandle,
  byName,
  emailId,
  seedContact,
  seedTouch,
  touchesOf,
  unwrap,
  unwrapErr,
  type World,
  world,
  xId,
} from "../testing/builders.js";
import { newTenant } from "../testing/index.js";
import { type LogTouchInput, logTouch } from "./log-touch.js";

let refs = 0;
function input(w: World, overrides: Partial<LogTouchInput> = {}): LogTouchInput {
  refs += 1;
  return {
    tenantId: w.tenantId,
    who: byHandle("janedoe"),
    channel: "call",
    direction: "outbound",
    note: "called about the gala",
    loggedBy: "U024BE7LH",
    source: "slack",
    sourceRef: `slack:trigger-${refs}`,
    ...overrides,
  };
}

async function withJane() {
  const w = await world();
  const jane = await seedContact(w, {
    name: "Jane Doe",
    segment: "major donor",
    identities: [xId("janedoe", "1234"), emailId("jane@example.org")],
  });
  return { w, jane };
}

describe("logTouch", () => {
  describe("finding the contact", () => {
    it("by X handle, recording the touch as given", async () => {
      const { w, jane } = await withJane();
      const logged = unwrap(await logTouch(w.deps, input(w, { sourceRef: "slack:T1:abc" })));
      expect(logged.created).toBe(true);
      expect(logged.contact.id).toBe(jane.id);
      expect(logged.touchpoint).toMatchObject({
        contactId: jane.id,
        tenantId: w.tenantId,
        occurredAt: w.clock.now(),
        channel: "call",
        direction: "outbound",
        note: "called about the gala",
        loggedBy: "U024BE7LH",
        source: "slack",
        sourceRef: "slack:T1:abc",
        undoneAt: null,
      });
      expect(await touchesOf(w, jane.id)).toEqual([logged.touchpoint]);
    });

    it("by email", async () => {
      const { w, jane } = await withJane();
      expect(unwrap(await logTouch(w.deps, input(w, { who: byEmail("jane@example.org") }))).contact.id).toBe(jane.id);
    });

    it("by X user id and by contact id (from buttons)", async () => {
      const { w, jane } = await withJane();
      const viaUserId = await logTouch(
        w.deps,
        input(w, { who: { kind: "x_user", externalUserId: "1234", raw: "@janedoe" } }),
      );
      expect(unwrap(viaUserId).contact.id).toBe(jane.id);
      const viaId = await logTouch(w.deps, input(w, { who: { kind: "contact", contactId: jane.id, raw: "Jane Doe" } }));
      expect(unwrap(viaId).contact.id).toBe(jane.id);
    });

    it("by a handle held on another platform when no X handle matches", async () => {
      const w = await world();
      const sam = await seedContact(w, {
        name: "Sam Lee",
        identities: [{ platform: "bluesky", handle: "samlee.bsky.social", externalUserId: null }],
      });
      const who = parseCommand("/touch", "@SamLee.bsky.social called");
      if (!who.ok || who.value.kind !== "touch") throw new Error("did not parse");
      expect(unwrap(await logTouch(w.deps, input(w, { who: who.value.who }))).contact.id).toBe(sam.id);
    });

    it("by exact name, ignoring case", async () => {
      const { w, jane } = await withJane();
      expect(unwrap(await logTouch(w.deps, input(w, { who: byName("jane doe") }))).contact.id).toBe(jane.id);
    });

    it("by a near-exact fuzzy name", async () => {
      const w = await world();
      const riverside = await seedContact(w, { name: "Riverside Foundation" });
      await seedContact(w, { name: "Maria Chen" });
      const logged = unwrap(await logTouch(w.deps, input(w, { who: byName("Riversde Foundation") })));
      expect(logged.contact.id).toBe(riverside.id);
    });

    it('asks "did you mean" for a single weak fuzzy match, writing nothing', async () => {
      const w = await world();
      const maria = await seedContact(w, { name: "Maria Chen" });
      await seedContact(w, { name: "Riverside Foundation" });
      const error = unwrapErr(await logTouch(w.deps, input(w, { who: byName("Marai Chen") })));
      expect(error).toBeInstanceOf(AmbiguousContact);
      expect(error).toMatchObject({
        kind: "ambiguous_contact",
        who: "Marai Chen",
        message: "No contact is exactly Marai Chen; did you mean Maria Chen?",
      });
      expect((error as AmbiguousContact).candidates.map((c) => c.id)).toEqual([maria.id]);
      expect(await touchesOf(w, maria.id)).toEqual([]);
    });

    it("offers a choice when several contacts have exactly that name", async () => {
      const w = await world();
      const first = await seedContact(w, { name: "Sam Lee", segment: "donor" });
      const second = await seedContact(w, { name: "Sam Lee", segment: "press" });
      await seedContact(w, { name: "Samantha Leeds" });
      const error = unwrapErr(await logTouch(w.deps, input(w, { who: byName("Sam Lee") })));
      expect(error).toBeInstanceOf(AmbiguousContact);
      expect(error.message).toBe("2 contacts match Sam Lee; choose one.");
      expect((error as AmbiguousContact).candidates.map((c) => c.id).sort()).toEqual([first.id, second.id].sort());
    });

    it("says UnknownContact for nobody, naming who as typed", async () => {
      const { w, jane } = await withJane();
      const error = unwrapErr(
        await logTouch(w.deps, input(w, { who: { kind: "handle", handle: "nobody", raw: "@Nobody" } })),
      );
      expect(error).toBeInstanceOf(UnknownContact);
      expect(error).toMatchObject({ kind: "unknown_contact", who: "@Nobody", message: "No contact matches @Nobody." });
      expect(unwrapErr(await logTouch(w.deps, input(w, { who: byEmail("nobody@example.org") })))).toBeInstanceOf(
        UnknownContact,
      );
      expect(unwrapErr(await logTouch(w.deps, input(w, { who: byName("Zed Quorn") })))).toBeInstanceOf(UnknownContact);
      expect(await touchesOf(w, jane.id)).toEqual([]);
    });

    it("does not find an archived contact", async () => {
      const { w, jane } = await withJane();
      await w.storage.withTenant(w.tenantId, (repos) => repos.contacts.update(jane.id, { archived: true }));
      expect(unwrapErr(await logTouch(w.deps, input(w)))).toBeInstanceOf(UnknownContact);
      expect(unwrapErr(await logTouch(w.deps, input(w, { who: byEmail("jane@example.org") })))).toBeInstanceOf(
        UnknownContact,
      );
      expect(unwrapErr(await logTouch(w.deps, input(w, { who: byName("Jane Doe") })))).toBeInstanceOf(UnknownContact);
    });

    it("does not find another tenant's contact", async () => {
      const { w } = await withJane();
      const otherTenant = await newTenant(w.storage);
      const error = unwrapErr(await logTouch(w.deps, { ...input(w), tenantId: otherTenant }));
      expect(error).toBeInstanceOf(UnknownContact);
    });
  });

  describe("re-delivery", () => {
    it("is idempotent on sourceRef: the second call returns the first touch and writes nothing", async () => {
      const { w, jane } = await withJane();
      const first = unwrap(await logTouch(w.deps, input(w, { sourceRef: "slack:retry-1" })));
      w.clock.set(new Date("2026-03-10T15:05:00Z"));
      const second = unwrap(await logTouch(w.deps, input(w, { sourceRef: "slack:retry-1", note: "different text" })));
      expect(second.created).toBe(false);
      expect(second.touchpoint).toEqual(first.touchpoint);
      expect(await touchesOf(w, jane.id)).toHaveLength(1);
    });

    it("reports the contact the stored touch names, even if the retry names someone else", async () => {
      const { w, jane } = await withJane();
      await seedContact(w, { name: "Maria Chen", identities: [xId("mariachen")] });
      unwrap(await logTouch(w.deps, input(w, { sourceRef: "slack:retry-2" })));
      const replay = unwrap(
        await logTouch(w.deps, input(w, { sourceRef: "slack:retry-2", who: byHandle("mariachen") })),
      );
      expect(replay).toMatchObject({ created: false, contact: { id: jane.id } });
    });

    it("answers a retry with the stored touch even when who no longer resolves", async () => {
      const { w, jane } = await withJane();
      const first = unwrap(await logTouch(w.deps, input(w, { sourceRef: "slack:retry-3", who: byName("Jane Doe") })));
      // Since the first delivery: a namesake was added and Jane was archived.
      await seedContact(w, { name: "Jane Doe" });
      await w.storage.withTenant(w.tenantId, (r) => r.contacts.update(jane.id, { archived: true }));
      const replay = unwrap(await logTouch(w.deps, input(w, { sourceRef: "slack:retry-3", who: byName("Jane Doe") })));
      expect(replay).toMatchObject({
        created: false,
        touchpoint: { id: first.touchpoint.id },
        contact: { id: jane.id },
      });
    });

    it("refuses an empty sourceRef as a programming error", async () => {
      const { w } = await withJane();
      await expect(logTouch(w.deps, input(w, { sourceRef: "  " }))).rejects.toThrow("sourceRef");
    });
  });

  describe("the previous touch", () => {
    it("is null for a first touch", async () => {
      const { w } = await withJane();
      expect(unwrap(await logTouch(w.deps, input(w))).previous).toBeNull();
    });

    it("is the latest other touch that is not undone", async () => {
      const { w, jane } = await withJane();
      const older = await seedTouch(w, jane.id, { occurredAt: new Date("2026-02-01T12:00:00Z"), note: "older" });
      const undone = await seedTouch(w, jane.id, { occurredAt: new Date("2026-03-01T12:00:00Z"), note: "undone" });
      await w.storage.withTenant(w.tenantId, (repos) => repos.touchpoints.undo(undone.id, new Date()));
      const logged = unwrap(await logTouch(w.deps, input(w)));
      expect(logged.previous).toEqual(older);
    });

    it("is the same on a replay as it was the first time", async () => {
      const { w, jane } = await withJane();
      const older = await seedTouch(w, jane.id, { occurredAt: new Date("2026-02-01T12:00:00Z") });
      unwrap(await logTouch(w.deps, input(w, { sourceRef: "slack:r" })));
      expect(unwrap(await logTouch(w.deps, input(w, { sourceRef: "slack:r" }))).previous).toEqual(older);
    });
  });

  describe("when it happened", () => {
    it("is now with no date word", async () => {
      const { w } = await withJane();
      expect(unwrap(await logTouch(w.deps, input(w))).touchpoint.occurredAt).toEqual(new Date("2026-03-10T15:00:00Z"));
    });

    it("resolves yesterday in the tenant's time zone: Auckland and UTC differ near midnight", async () => {
      const now = "2026-03-10T11:30:00Z"; // Tue 11:30 in UTC; Wed 00:30 in Auckland
      const utc = await world({ now });
      const auckland = await world({ now, timeZone: "Pacific/Auckland" });
      for (const w of [utc, auckland]) await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe")] });

      const inUtc = unwrap(await logTouch(utc.deps, input(utc, { when: { kind: "yesterday" } })));
      const inAuckland = unwrap(await logTouch(auckland.deps, input(auckland, { when: { kind: "yesterday" } })));
      expect(inUtc.touchpoint.occurredAt).toEqual(new Date("2026-03-09T12:00:00Z")); // noon, Mon 9 Mar, UTC
      expect(inAuckland.touchpoint.occurredAt).toEqual(new Date("2026-03-09T23:00:00Z")); // noon, Tue 10 Mar, NZDT
    });

    it("resolves a weekday and a date in the tenant's time zone", async () => {
      const w = await world({ timeZone: "America/New_York" });
      await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe")] });
      const monday = unwrap(await logTouch(w.deps, input(w, { when: { kind: "weekday", weekday: "monday" } })));
      expect(monday.touchpoint.occurredAt).toEqual(new Date("2026-03-09T16:00:00Z")); // noon EDT
      const onDate = unwrap(await logTouch(w.deps, input(w, { when: { kind: "date", isoDate: "2026-03-01" } })));
      expect(onDate.touchpoint.occurredAt).toEqual(new Date("2026-03-01T17:00:00Z")); // noon EST
    });

    it("refuses a date in the future and writes nothing", async () => {
      const { w, jane } = await withJane();
      const error = unwrapErr(await logTouch(w.deps, input(w, { when: { kind: "date", isoDate: "2026-03-11" } })));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: "when", message: "2026-03-11 is in the future; log touches that happened" });
      expect(await touchesOf(w, jane.id)).toEqual([]);
    });

    it("accepts a date that is already today in the tenant's time zone though not yet in UTC", async () => {
      const w = await world({ now: "2026-03-10T11:30:00Z", timeZone: "Pacific/Auckland" });
      await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe")] });
      const logged = unwrap(await logTouch(w.deps, input(w, { when: { kind: "date", isoDate: "2026-03-11" } })));
      expect(logged.touchpoint.occurredAt).toEqual(new Date("2026-03-10T11:30:00Z"));
    });

    it("takes an exact occurredAt over any date word", async () => {
      const { w } = await withJane();
      const occurredAt = new Date("2026-03-08T09:41:00Z");
      const logged = unwrap(
        await logTouch(w.deps, input(w, { occurredAt, when: { kind: "date", isoDate: "2030-01-01" } })),
      );
      expect(logged.touchpoint.occurredAt).toEqual(occurredAt);
    });
  });

  it("refuses a note over 10,000 characters", async () => {
    const { w, jane } = await withJane();
    const error = unwrapErr(await logTouch(w.deps, input(w, { note: "n".repeat(10_001) })));
    expect(error).toMatchObject({ kind: "validation", field: "note", message: "A note is at most 10,000 characters." });
    expect(await touchesOf(w, jane.id)).toEqual([]);
  });

  it("refuses a note holding a NUL (as a form sends it, unparsed), writing nothing", async () => {
    const { w, jane } = await withJane();
    const error = unwrapErr(await logTouch(w.deps, input(w, { note: "called\u0000 about the gala" })));
    expect(error).toMatchObject({
      kind: "validation",
      field: "note",
      message: "The note holds a NUL character (U+0000) after “called”; remove it and try again.",
    });
    expect(await touchesOf(w, jane.id)).toEqual([]);
  });

  it("keeps a touch with no note", async () => {
    const { w } = await withJane();
    expect(unwrap(await logTouch(w.deps, input(w, { note: null, channel: "note" }))).touchpoint).toMatchObject({
      note: null,
      channel: "note",
    });
  });
});
