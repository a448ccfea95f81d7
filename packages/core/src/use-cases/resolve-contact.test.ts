import { describe, expect, it } from "vitest";
import type { WhoRef } from "../commands/parse-command.js";
import { normalizeHandle } from "../domain/identity.js";
import { type AmbiguousContact, UnknownContact } from "../errors.js";
import {
  byEmail,
  byHandle,
  byName,
  emailId,
  seedContact,
  unwrap,
  unwrapErr,
  type World,
  world,
  xId,
} from "../testing/builders.js";
import { resolveContact } from "./resolve-contact.js";

const resolve = (w: World, who: WhoRef) =>
  w.storage.withTenant(w.tenantId, (repos) => resolveContact(repos.contacts, who));
const archive = (w: World, id: string) =>
  w.storage.withTenant(w.tenantId, (repos) => repos.contacts.update(id, { archived: true }));

describe("resolveContact", () => {
  it("finds X handles on X, and Bluesky and Mastodon handles as aliases", async () => {
    const w = await world();
    const onX = await seedContact(w, { name: "Sam on X", identities: [xId("sam")] });
    const onBluesky = await seedContact(w, {
      name: "Sam on Bluesky",
      identities: [
        { platform: "bluesky", handle: unwrap(normalizeHandle("bluesky", "@Sam.bsky.social")), externalUserId: null },
      ],
    });
    const onMastodon = await seedContact(w, {
      name: "Sam on Mastodon",
      identities: [
        {
          platform: "mastodon",
          handle: unwrap(normalizeHandle("mastodon", "@sam@mastodon.social")),
          externalUserId: null,
        },
      ],
    });
    expect(unwrap(await resolve(w, byHandle("sam"))).id).toBe(onX.id);
    expect(unwrap(await resolve(w, byHandle("sam.bsky.social"))).id).toBe(onBluesky.id);
    expect(unwrap(await resolve(w, byHandle("sam@mastodon.social"))).id).toBe(onMastodon.id);
    expect(unwrapErr(await resolve(w, byHandle("sam.example.org")))).toBeInstanceOf(UnknownContact);
  });

  it("finds by X user id even after the handle changed", async () => {
    const w = await world();
    const jane = await seedContact(w, { name: "Jane", identities: [xId("old_handle", "42")] });
    expect(unwrap(await resolve(w, { kind: "x_user", externalUserId: "42", raw: "@new_handle" })).id).toBe(jane.id);
    expect(unwrapErr(await resolve(w, { kind: "x_user", externalUserId: "43", raw: "@other" }))).toBeInstanceOf(
      UnknownContact,
    );
  });

  it("never resolves an archived contact, whichever way it is named", async () => {
    const w = await world();
    const jane = await seedContact(w, {
      name: "Jane Doe",
      identities: [xId("janedoe", "42"), emailId("jane@example.org")],
    });
    await archive(w, jane.id);
    for (const who of [
      byHandle("janedoe"),
      byEmail("jane@example.org"),
      byName("Jane Doe"),
      byName("Jane Do"),
      { kind: "x_user", externalUserId: "42", raw: "@janedoe" } as const,
      { kind: "contact", contactId: jane.id, raw: "Jane Doe" } as const,
    ]) {
      expect(unwrapErr(await resolve(w, who))).toBeInstanceOf(UnknownContact);
    }
  });

  it("takes an exact name over fuzzy ones", async () => {
    const w = await world();
    const jane = await seedContact(w, { name: "Jane Doe" });
    await seedContact(w, { name: "Jane Doerr" });
    expect(unwrap(await resolve(w, byName("JANE DOE"))).id).toBe(jane.id);
  });

  it("offers every close fuzzy match when there are several", async () => {
    const w = await world();
    await seedContact(w, { name: "Jane Doe" });
    await seedContact(w, { name: "Janet Dole" });
    await seedContact(w, { name: "Maria Chen" });
    const error = unwrapErr(await resolve(w, byName("jane")));
    expect(error.message).toBe("2 contacts match jane; choose one.");
    expect((error as AmbiguousContact).candidates.map((c) => c.name).sort()).toEqual(["Jane Doe", "Janet Dole"]);
  });
});
