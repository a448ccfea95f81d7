import { describe, expect, it } from "vitest";
import { IdentityTaken, ValidationError } from "../errors.js";
import { allContacts, emailId, seedContact, unwrap, unwrapErr, world, xId } from "../testing/builders.js";
import { addContact } from "./add-contact.js";

describe("addContact", () => {
  it("creates the contact with a tidy name and a normalized segment", async () => {
    const w = await world();
    const created = unwrap(
      await addContact(w.deps, {
        tenantId: w.tenantId,
        contact: {
          name: "  Jane   Doe ",
          segment: " Major  Donor ",
          tags: ["gala"],
          owner: "U024BE7LH",
          cadenceDays: 30,
          identities: [xId("janedoe"), emailId("jane@example.org")],
        },
      }),
    );
    expect(created).toMatchObject({
      tenantId: w.tenantId,
      name: "Jane Doe",
      segment: "major donor",
      tags: ["gala"],
      owner: "U024BE7LH",
      cadenceDays: 30,
      archived: false,
      identities: [xId("janedoe"), emailId("jane@example.org")],
    });
    expect(await allContacts(w)).toEqual([created]);
  });

  it("refuses an X handle that belongs to someone else, naming them, and writes nothing", async () => {
    const w = await world();
    const jane = await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe")] });
    const error = unwrapErr(
      await addContact(w.deps, { tenantId: w.tenantId, contact: { name: "J. Doe", identities: [xId("janedoe")] } }),
    );
    expect(error).toBeInstanceOf(IdentityTaken);
    expect(error).toMatchObject({
      identity: { platform: "x", handle: "janedoe" },
      owner: { id: jane.id, name: "Jane Doe" },
    });
    expect(error.message).toBe("@janedoe already belongs to Jane Doe.");
    expect(await allContacts(w)).toEqual([jane]);
  });

  it("checks every identity before writing: a taken email after a free handle writes nothing", async () => {
    const w = await world();
    const jane = await seedContact(w, { name: "Jane Doe", identities: [emailId("jane@example.org")] });
    const error = unwrapErr(
      await addContact(w.deps, {
        tenantId: w.tenantId,
        contact: { name: "Jane D", identities: [xId("jdoe"), emailId("jane@example.org")] },
      }),
    );
    expect(error.message).toBe("jane@example.org already belongs to Jane Doe.");
    expect(await allContacts(w)).toEqual([jane]);
  });

  it("counts an archived contact's identity as taken", async () => {
    const w = await world();
    const jane = await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe")] });
    await w.storage.withTenant(w.tenantId, (repos) => repos.contacts.update(jane.id, { archived: true }));
    const error = unwrapErr(
      await addContact(w.deps, { tenantId: w.tenantId, contact: { name: "Jane", identities: [xId("janedoe")] } }),
    );
    expect(error).toBeInstanceOf(IdentityTaken);
  });

  it("lets another tenant use the same identity", async () => {
    const w = await world();
    await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe")] });
    const other = await world();
    const created = await addContact(other.deps, {
      tenantId: other.tenantId,
      contact: { name: "Jane", identities: [xId("janedoe")] },
    });
    expect(unwrap(created).tenantId).toBe(other.tenantId);
  });

  it.each([
    [
      { name: "Jane", cadenceDays: 0 },
      "The contact's cadence_days must be a whole number of days from 1 to 3650, not 0.",
    ],
    [
      { name: "Jane", cadenceDays: 4000 },
      "The contact's cadence_days must be a whole number of days from 1 to 3650, not 4000.",
    ],
    [{ name: "   " }, "The contact's name is required."],
    [{ name: "a".repeat(201) }, "The contact's name is longer than 200 characters."],
  ])("refuses %j with a ValidationError and writes nothing", async (contact, message) => {
    const w = await world();
    const error = unwrapErr(await addContact(w.deps, { tenantId: w.tenantId, contact }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ kind: "validation", field: "contact", message });
    expect(await allContacts(w)).toEqual([]);
  });
});
