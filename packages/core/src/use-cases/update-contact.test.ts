import { describe, expect, it } from "vitest";
import { cadenceFor } from "../domain/cadence.js";
import { DEFAULT_SETTINGS } from "../domain/tenant.js";
import { AmbiguousContact, UnknownContact, ValidationError } from "../errors.js";
import { allContacts, byHandle, byName, seedContact, unwrap, unwrapErr, world, xId } from "../testing/builders.js";
import { type ContactChange, updateContact } from "./update-contact.js";

async function withJane() {
  const w = await world();
  const jane = await seedContact(w, {
    name: "Jane Doe",
    segment: "donor",
    tags: ["gala", "lapsed"],
    owner: "U1",
    cadenceDays: 14,
    identities: [xId("janedoe")],
  });
  const update = (change: ContactChange, who = byHandle("janedoe")) =>
    updateContact(w.deps, { tenantId: w.tenantId, who, change });
  return { w, jane, update };
}

describe("updateContact", () => {
  it("adds and removes tags in one go, keeping the others and never doubling one", async () => {
    const { jane, update } = await withJane();
    const { before, after } = unwrap(await update({ kind: "tags", add: ["vip", "gala"], remove: ["lapsed"] }));
    expect(before).toEqual(jane);
    expect(after.tags).toEqual(["gala", "vip"]);
  });

  it("removes a tag it does not have without complaint", async () => {
    const { update } = await withJane();
    expect(unwrap(await update({ kind: "tags", add: [], remove: ["board"] })).after.tags).toEqual(["gala", "lapsed"]);
  });

  it("sets and clears the owner", async () => {
    const { update } = await withJane();
    expect(unwrap(await update({ kind: "owner", owner: "U2" })).after.owner).toBe("U2");
    expect(unwrap(await update({ kind: "owner", owner: null })).after.owner).toBeNull();
  });

  it("sets a cadence, and back to the segment's default", async () => {
    const { w, update } = await withJane();
    expect(unwrap(await update({ kind: "cadence", cadenceDays: 21 })).after.cadenceDays).toBe(21);
    const back = unwrap(await update({ kind: "cadence", cadenceDays: null })).after;
    expect(back.cadenceDays).toBeNull();
    expect(cadenceFor(back, DEFAULT_SETTINGS)).toBe(60); // donors: every 60 days
    expect((await allContacts(w))[0]?.cadenceDays).toBeNull();
  });

  it("applies a patch, leaving fields it does not name alone", async () => {
    const { jane, update } = await withJane();
    const { after } = unwrap(await update({ kind: "patch", patch: { notes: "prefers phone" } }));
    expect(after).toMatchObject({ ...jane, notes: "prefers phone", updatedAt: after.updatedAt });
  });

  it("refuses a bad cadence or too many tags and changes nothing", async () => {
    const { w, jane, update } = await withJane();
    const error = unwrapErr(await update({ kind: "cadence", cadenceDays: 0 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe("The contact's cadence_days must be a whole number of days from 1 to 3650, not 0.");
    const many = Array.from({ length: 60 }, (_, i) => `t${i}`);
    expect(unwrapErr(await update({ kind: "tags", add: many, remove: [] })).message).toBe(
      "The contact's tags are limited to 50.",
    );
    expect(await allContacts(w)).toEqual([jane]);
  });

  it("finds the contact the way logTouch does, and says so when it can't", async () => {
    const { w, update } = await withJane();
    expect(unwrapErr(await update({ kind: "owner", owner: "U2" }, byHandle("nobody")))).toBeInstanceOf(UnknownContact);
    await seedContact(w, { name: "Sam Lee" });
    await seedContact(w, { name: "Sam Lee" });
    expect(unwrapErr(await update({ kind: "owner", owner: "U2" }, byName("sam lee")))).toBeInstanceOf(AmbiguousContact);
    expect(unwrap(await update({ kind: "owner", owner: "U2" }, byName("Jane Doe"))).after.owner).toBe("U2");
  });
});
