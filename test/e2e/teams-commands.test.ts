import { beforeAll, describe, expect, it } from "vitest";
import { type InstalledOrg as Org, useTeamsServer } from "../support/teams-server.js";

const { ask, install, database } = useTeamsServer();

const contactsOf = (o: Org) => database().storage.withTenant(o.touchpointId, (r) => r.contacts.list());
const byHandle = async (o: Org, handle: string) =>
  (await database().storage.withTenant(o.touchpointId, (r) => r.contacts.findByHandle(handle)))[0];

describe("Teams: contact and nudges commands, through the same core use cases as Slack", () => {
  let riverside: Org;
  let harbor: Org;
  const say = (o: Org, text: string) => ask(o.say.personal(o.chat, text));

  beforeAll(async () => {
    riverside = await install("Riverside Food Bank");
    harbor = await install("Harbor Arts");
  });

  it("adds a contact and shows it: segment, owner, cadence, last touches and health, as a 1.5 card", async () => {
    const added = await say(
      riverside,
      'contact add "Jane Doe" @janedoe jane@example.org segment:"major donor" owner:me cadence:30 tags:gala,board',
    );
    expect(added.card).toMatchObject({ type: "AdaptiveCard", version: "1.5" });
    expect(added.text).toContain("Added");
    expect(added.text).toContain("Jane Doe");
    expect(added.text).toContain("major donor");

    const stored = await byHandle(riverside, "janedoe");
    expect(stored).toMatchObject({
      name: "Jane Doe",
      segment: "major donor",
      owner: riverside.installer.aadObjectId,
      cadenceDays: 30,
      tags: ["gala", "board"],
    });
    expect(stored?.identities.map((i) => i.handle).sort()).toEqual(["jane@example.org", "janedoe"]);

    const never = await say(riverside, "contact show @janedoe");
    expect(never.text).toContain("never touched · cadence 30 days");
    expect(never.text).toContain("No touches logged yet.");

    await say(riverside, "touch @janedoe called about the gala");
    const shown = await say(riverside, "contact show @janedoe");
    for (const expected of [
      "Jane Doe",
      "major donor",
      "@janedoe",
      "jane@example.org",
      riverside.installer.name,
      "#gala #board",
      "in touch · 0 days since the last touch · cadence 30 days",
      "Last 90 days: 1 touches · 0 inbound · 1 outbound",
      "Last touches",
      "call · outbound",
      "“called about the gala”",
    ]) {
      expect(shown.text).toContain(expected);
    }
    expect(shown.text).not.toContain(riverside.installer.aadObjectId);
  });

  it("finds contacts, and tags, owns and sets the cadence of one, stored as Slack stores them", async () => {
    await say(riverside, 'contact add "Omar Haddad" omar@example.org segment:volunteer');
    const found = await say(riverside, "contact find haddad");
    expect(found.text).toMatch(/contacts? match/);
    // The best match first (the search is fuzzy, as in Slack).
    expect(found.text.indexOf("Omar Haddad")).toBeGreaterThan(0);
    expect(found.text.indexOf("Omar Haddad")).toBeLessThan(found.text.indexOf("Jane Doe") >>> 0);
    expect(found.text).toContain("volunteer");
    expect((await say(riverside, "contact find zzzqqq")).text).toContain("No contacts match");

    const tagged = await say(riverside, "contact tag omar@example.org Gala lapsed");
    expect(tagged.text).toContain("Updated");
    expect((await say(riverside, "contact tag omar@example.org -lapsed")).text).toContain("#gala");
    const owned = await say(riverside, "contact owner omar@example.org <at>Sam Staff</at>");
    expect(owned.text).toContain("Sam Staff");
    expect((await say(riverside, "contact cadence omar@example.org 45")).text).toContain("45 days");

    const omar = (await contactsOf(riverside)).find((c) => c.name === "Omar Haddad");
    expect(omar).toMatchObject({ tags: ["gala"], owner: "Sam Staff", cadenceDays: 45, segment: "volunteer" });

    await say(riverside, "contact owner omar@example.org none");
    await say(riverside, "contact cadence omar@example.org default");
    const cleared = (await contactsOf(riverside)).find((c) => c.name === "Omar Haddad");
    expect(cleared).toMatchObject({ owner: null, cadenceDays: null });
  });

  it("keeps each Teams tenant's contacts to itself", async () => {
    const elsewhere = await say(harbor, "contact show @janedoe");
    expect(elsewhere.text).toContain("No contact matches @janedoe. Add them with contact add.");
    expect((await say(harbor, "contact find jane")).text).toContain("No contacts match");
    expect((await say(harbor, "contact tag @janedoe vip")).text).toContain("No contact matches");
    expect(await contactsOf(harbor)).toEqual([]);

    // The same handle is free in the other tenant, and stays apart.
    await say(harbor, 'contact add "Jane Roe" @janedoe segment:artist');
    expect(await byHandle(harbor, "janedoe")).toMatchObject({ name: "Jane Roe", segment: "artist", owner: null });
    expect(await byHandle(riverside, "janedoe")).toMatchObject({ name: "Jane Doe", segment: "major donor" });
    const shown = await say(riverside, "contact show @janedoe");
    expect(shown.text).not.toContain("Jane Roe");
  });

  it("says what was wrong with bad input, with an example written the Teams way, and writes nothing", async () => {
    const before = JSON.stringify(await contactsOf(riverside));
    const cases: [string, string, RegExp][] = [
      ["contact", "Say what to do", /Usage: contact add\|show\|find/],
      ["contact add", "Say the contact's name.", /Usage: contact add <name>/],
      ["contact add Someone cadence:0", "is not a cadence", /e\.g\. contact add "Jane Doe"/],
      ['contact add "Jane Twin" @janedoe', "@janedoe already belongs to Jane Doe.", /Usage: contact add/],
      ["contact show", "", /Usage: contact show <who> — e\.g\. contact show @janedoe/],
      ["contact show @nobody", "No contact matches @nobody. Add them with contact add.", /Usage: contact add/],
      ["contact find", "Say what to look for.", /Usage: contact find <words>/],
      ["contact tag @janedoe", "Say which tags to add", /Usage: contact tag <who>/],
      ["contact owner @janedoe", "Say whose owner to set", /Usage: contact owner <who>/],
      ["contact cadence @janedoe soon", "is not a cadence", /Usage: contact cadence <who> <days\|default>/],
      ["contact cadence @nobody 30", "No contact matches @nobody.", /Usage: contact add/],
      ["contact frobnicate", "is not something contact does", /Usage: contact add\|show/],
      ["nudges please", "nudges takes nothing after it.", /Usage: nudges/],
    ];
    for (const [text, expected, usage] of cases) {
      const reply = await say(riverside, text);
      expect(reply.text, text).toContain(expected);
      expect(reply.text, text).toMatch(usage);
      expect(reply.text, text).not.toMatch(/\/(contact|nudges|touch)\b/);
    }
    expect(JSON.stringify(await contactsOf(riverside))).toBe(before);
  });

  it("shows today's nudge in a personal chat, without buttons, and says so in a channel", async () => {
    await say(riverside, 'contact add "Lena Cold" @lenacold cadence:30 segment:"major donor"');
    await say(riverside, "touch @lenacold called 2025-06-01 about the spring appeal");
    const nudge = await say(riverside, "nudges");
    expect(nudge.card.version).toBe("1.5");
    expect(nudge.text).toContain("Going cold");
    expect(nudge.text).toContain("Lena Cold");
    expect(nudge.text).toContain("Yesterday");
    expect(JSON.stringify(nudge.card)).not.toContain("Action.Submit");

    const harborNudge = await say(harbor, "nudges");
    expect(harborNudge.text).not.toContain("Lena Cold");

    const inChannel = await ask(riverside.say.channel("nudges"));
    expect(inChannel.text).toContain("only in our personal chat");
    expect(inChannel.text).not.toContain("Lena Cold");
  });
});
