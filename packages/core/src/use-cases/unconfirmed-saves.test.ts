import { describe, expect, it } from "vitest";
import { world } from "../testing/builders.js";
import { newTenant } from "../testing/storage-contract.js";
import {
  describeUnconfirmed,
  keepUnconfirmedSaves,
  savedContact,
  savedTouch,
  takeUnconfirmedSaves,
  UNCONFIRMED_FOR_MS,
  undoneTouch,
} from "./unconfirmed-saves.js";

const jane = { name: "Jane Doe" };

describe("saves whose confirmation didn't arrive", () => {
  it("are said as their confirmations would have said them", () => {
    expect(savedTouch({ id: "tp-1", channel: "call" }, jane)).toEqual({
      said: "Your call with Jane Doe was saved",
      touchpointId: "tp-1",
    });
    expect(savedTouch({ id: "tp-2", channel: "x_dm" }, jane).said).toBe("Your X DM with Jane Doe was saved");
    expect(savedContact("added", jane)).toEqual({ said: "Jane Doe was added as a contact" });
    expect(savedContact("updated", jane)).toEqual({ said: "Your change to Jane Doe was saved" });
    expect(undoneTouch({ channel: "meeting" }, undefined)).toEqual({
      said: "The meeting with that contact was undone",
    });
  });

  it("are noticed in one sentence, or listed, the newest by name and the rest counted", () => {
    expect(describeUnconfirmed([savedTouch({ id: "tp-1", channel: "call" }, jane)])).toEqual({
      lead: "Your call with Jane Doe was saved, but the confirmation didn't reach you; don't send it again.",
      lines: [],
    });
    const many = Array.from({ length: 10 }, (_, n) => ({ said: `Save ${n}` }));
    const notice = describeUnconfirmed(many);
    expect(notice.lead).toBe("These were saved, but their confirmations didn't reach you; don't send them again:");
    expect(notice.lines).toEqual([...many.slice(2).map((s) => `${s.said}.`), "and 2 more."]);
  });

  it("are kept for the person, handed back once, in order, to them only, until they expire", async () => {
    const w = await world();
    const first = savedTouch({ id: "tp-1", channel: "call" }, jane);
    const second = savedContact("added", { name: "Omar Haddad" });
    await keepUnconfirmedSaves(w.deps, { tenantId: w.tenantId, userId: "U1", saved: [first] });
    await keepUnconfirmedSaves(w.deps, { tenantId: w.tenantId, userId: "U1", saved: [second] });
    await keepUnconfirmedSaves(w.deps, { tenantId: w.tenantId, userId: "U2", saved: [second] });
    const elsewhere = await newTenant(w.storage);

    expect(await takeUnconfirmedSaves(w.deps, { tenantId: elsewhere, userId: "U1" })).toEqual([]);
    expect(await takeUnconfirmedSaves(w.deps, { tenantId: w.tenantId, userId: "U1" })).toEqual([first, second]);
    expect(await takeUnconfirmedSaves(w.deps, { tenantId: w.tenantId, userId: "U1" })).toEqual([]);

    w.clock.set(new Date(w.clock.now().getTime() + UNCONFIRMED_FOR_MS + 1));
    expect(await takeUnconfirmedSaves(w.deps, { tenantId: w.tenantId, userId: "U2" })).toEqual([]);
  });

  it("hand back only those shown here; the rest stay kept, each expiring a week after it was kept", async () => {
    const w = await world();
    const inChannel = { said: "Your call with Jane Doe was saved", where: "19:general" };
    const alsoInChannel = { said: "Your meeting with Jane Doe was saved", where: "19:general" };
    const inChat = { said: "Omar Haddad was added as a contact", where: "a:chat" };
    const later = { said: "Your email with Omar Haddad was saved", where: "a:chat" };
    const start = w.clock.now().getTime();
    const at = (ms: number) => w.clock.set(new Date(start + ms));
    const keep = (...saved: (typeof inChat)[]) =>
      keepUnconfirmedSaves(w.deps, { tenantId: w.tenantId, userId: "U1", saved });
    const take = (shownHere?: (s: { said: string; where?: string }) => boolean) =>
      takeUnconfirmedSaves(w.deps, { tenantId: w.tenantId, userId: "U1", ...(shownHere && { shownHere }) });
    const inTheChat = (s: { where?: string }) => s.where === "a:chat";
    const day = 86_400_000;

    await keep(inChannel, alsoInChannel);
    at(day);
    await keep(inChat);
    expect(await take(inTheChat)).toEqual([inChat]);
    expect(await take(inTheChat)).toEqual([]);
    at(2 * day);
    await keep(later);
    at(UNCONFIRMED_FOR_MS - 1);
    expect(await take((s) => s.said === inChannel.said)).toEqual([inChannel]);
    // Put back twice, and the list kept longer for a newer save: the channel's other still expires a week after it was kept.
    at(UNCONFIRMED_FOR_MS + 1);
    expect(await take()).toEqual([later]);
  });
});
