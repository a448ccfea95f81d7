import { describe, expect, it } from "vitest";
import { emailId, seedContact, type World, world, xId } from "../testing/builders.js";
import { findContacts } from "./find-contacts.js";

async function directory() {
  const w = await world();
  const jane = await seedContact(w, {
    name: "Jane Doe",
    segment: "major donor",
    tags: ["gala"],
    identities: [xId("janedoe")],
  });
  const maria = await seedContact(w, {
    name: "Maria Chen",
    segment: "board",
    tags: ["spring-appeal"],
    identities: [emailId("maria@riverside.org")],
  });
  const dev = await seedContact(w, { name: "Dev Patel", segment: "volunteer", tags: [] });
  return { w, jane, maria, dev };
}

const names = async (w: World, query: string, limit?: number) =>
  (await findContacts(w.deps, { tenantId: w.tenantId, query, limit })).map((c) => c.name);

describe("findContacts", () => {
  it("finds by part of a name, forgiving a typo", async () => {
    const { w } = await directory();
    expect(await names(w, "maria")).toEqual(["Maria Chen"]);
    expect(await names(w, "Patle")).toEqual(["Dev Patel"]);
  });

  it("finds by handle or email, tag and segment", async () => {
    const { w } = await directory();
    expect(await names(w, "janedoe")).toEqual(["Jane Doe"]);
    expect(await names(w, "riverside.org")).toEqual(["Maria Chen"]);
    expect(await names(w, "gala")).toEqual(["Jane Doe"]);
    expect(await names(w, "volunteer")).toEqual(["Dev Patel"]);
  });

  it("returns nothing when nothing is close", async () => {
    const { w } = await directory();
    expect(await names(w, "zzqx")).toEqual([]);
  });

  it("leaves out archived contacts and honours the limit", async () => {
    const { w, maria } = await directory();
    await w.storage.withTenant(w.tenantId, (repos) => repos.contacts.update(maria.id, { archived: true }));
    expect(await names(w, "maria")).toEqual([]);
    for (const n of [1, 2, 3]) await seedContact(w, { name: `Gala Guest ${n}` });
    expect(await names(w, "gala", 2)).toHaveLength(2);
  });

  it("never shows another tenant's contacts", async () => {
    await directory();
    const other = await world();
    expect(await names(other, "jane")).toEqual([]);
  });
});
