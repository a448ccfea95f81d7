import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { type Activity, formValues, groupChat, type SentCard, type TeamsUser } from "../support/teams-activities.js";
import { type InstalledOrg as Org, useTeamsServer } from "../support/teams-server.js";

const { ask, press, install, database, fake } = useTeamsServer();

function tenantOf(o: Org) {
  return database().storage.withTenant(o.touchpointId, (r) => r.tenant.get());
}

/** `touchpoint settings` @mentioned in the team's channel: the card, and the activity that asked. */
async function openSettings(o: Org, from = o.installer): Promise<{ form: SentCard; asked: Activity }> {
  const asked = o.say.channel("touchpoint settings", from);
  return { form: await ask(asked), asked };
}

/** Save pressed on the form: its inputs as drawn, with `inputs` filled in over them. */
function save(o: Org, opened: { form: SentCard; asked: Activity }, inputs: Record<string, string>, from = o.installer) {
  const submitted = o.say.submit(
    opened.asked.conversation,
    opened.form.call.id ?? "",
    { ...formValues(opened.form.card), ...opened.form.button("Save"), ...inputs },
    from,
  );
  return press(submitted);
}

describe("Teams: settings for admins, as an Adaptive Card", () => {
  let riverside: Org;
  let harbor: Org;

  beforeAll(async () => {
    riverside = await install("Riverside Food Bank");
    harbor = await install("Harbor Arts");
  });

  it("lets an admin set this channel, the time, the time zone and cadences; the card shows what was saved", async () => {
    // No channel yet (as when installed in a personal chat): the form offers the channel it is in.
    await database().storage.withTenant(riverside.touchpointId, (r) => r.tenant.update({ nudgeChannel: null }));
    const opened = await openSettings(riverside);
    expect(opened.form.text).toContain("Touchpoint settings");
    expect(opened.form.text).toContain("This channel");
    expect(opened.form.text).toContain("Days between touches: major donor");
    expect(opened.form.text).toContain("Amy Admin");
    expect(opened.form.card.version).toBe("1.5");

    const saved = await save(riverside, opened, {
      channel: "here",
      time: "07:30",
      timeZone: "Europe/London",
      "cadence:major donor": "14",
      "cadence:press": "21",
    });
    const messageId = opened.form.call.id ?? "";
    expect(saved.call).toMatchObject({ method: "PUT", updatesId: messageId });
    expect(saved.text).toContain("Settings saved.");
    expect(saved.text).toContain("this channel");
    expect(saved.text).toContain("07:30");
    expect(saved.text).toContain("Europe/London");

    const tenant = await tenantOf(riverside);
    expect(tenant).toMatchObject({ nudgeChannel: riverside.channelId, nudgeTime: "07:30", timeZone: "Europe/London" });
    expect(tenant.nudgeChannel).not.toContain(";messageid=");
    expect(tenant.settings.cadenceBySegment).toMatchObject({ "major donor": 14, press: 21 });
  });

  it("keeps the current channel when asked in a personal chat", async () => {
    const asked = riverside.say.personal(riverside.chat, "settings");
    const form = await ask(asked);
    expect(form.text).not.toContain("This channel");
    const saved = await save(riverside, { form, asked }, { channel: "keep", time: "08:15", timeZone: "Europe/London" });
    expect(saved.text).toContain("Settings saved.");
    expect(await tenantOf(riverside)).toMatchObject({ nudgeChannel: riverside.channelId, nudgeTime: "08:15" });
  });

  it("refuses bad input with the specific error, and stores nothing", async () => {
    const before = await tenantOf(riverside);
    const opened = await openSettings(riverside);
    const cases: [Record<string, string>, string][] = [
      [{ timeZone: "Mars/Olympus", time: "09:00" }, '"Mars/Olympus" is not a time zone'],
      [{ timeZone: "America/Chicago", time: "25:00" }, '"25:00" is not a time of day'],
      [
        { timeZone: "America/Chicago", time: "09:00", "cadence:board": "0" },
        "The cadence for board must be a whole number",
      ],
    ];
    for (const [inputs, expected] of cases) {
      const answer = await save(riverside, opened, { channel: "here", ...inputs });
      expect(answer.call.method).toBe("POST");
      expect(answer.text).toContain(expected);
      expect(answer.text).toContain("Nothing was saved.");
    }
    expect(await tenantOf(riverside)).toEqual(before);
  });

  it("lets a member neither open nor submit the settings", async () => {
    const before = await tenantOf(riverside);
    const refused = await openSettings(riverside, riverside.member);
    expect(refused.form.text).toContain("Only Touchpoint admins can change settings");
    expect(refused.form.text).toContain("Amy Admin");
    expect(refused.form.text).not.toContain("Days between touches");

    // A member pressing Save on an admin's form (the card is seen by everyone in the channel).
    const opened = await openSettings(riverside);
    const answer = await save(
      riverside,
      opened,
      { channel: "here", time: "06:00", timeZone: "Asia/Tokyo", "cadence:board": "7" },
      riverside.member,
    );
    expect(answer.text).toContain("Only Touchpoint admins can change settings");
    expect(await tenantOf(riverside)).toEqual(before);
  });

  it("changes nothing when a submit carries another organization's card", async () => {
    const riversideBefore = await tenantOf(riverside);
    const harborBefore = await tenantOf(harbor);
    const opened = await openSettings(riverside);
    // Harbor's admin sends Riverside's form data from Harbor's channel.
    const forged = harbor.say.submit(
      harbor.say.channel("x").conversation,
      opened.form.call.id ?? "",
      { ...opened.form.button("Save"), channel: "here", time: "05:00", timeZone: "Asia/Tokyo" },
      harbor.installer,
    );
    const answer = await press(forged);
    expect(answer.text).toContain("not for your organization");
    expect(await tenantOf(riverside)).toEqual(riversideBefore);
    expect(await tenantOf(harbor)).toEqual(harborBefore);
  });

  it("opens the form again from Edit settings on the saved card", async () => {
    const opened = await openSettings(riverside);
    const saved = await save(riverside, opened, { channel: "keep", time: "09:45", timeZone: "America/Chicago" });
    const edit = riverside.say.submit(opened.asked.conversation, saved.call.id ?? "", saved.button("Edit settings"));
    const again = await press(edit);
    expect(again.text).toContain("Days between touches: major donor");
    expect(again.text).toContain("09:45");
  });
});

/** The Touchpoint admins of an organization, by Entra object id, with the names kept for them. */
async function adminsOf(o: Org) {
  const members = await database().storage.withTenant(o.touchpointId, (r) => r.members.list());
  return members.filter((m) => m.role === "admin").map((m) => [m.platformUserId, m.displayName]);
}

/** The choices of one of the form's inputs, as titles by value. */
function choicesOf(form: SentCard, id: string): Record<string, string> {
  const input = form.card.body.find((e) => (e as { id?: string }).id === id) as
    | { choices: { title: string; value: string }[]; isMultiSelect?: boolean }
    | undefined;
  if (!input) return {};
  expect(input.isMultiSelect).toBe(true);
  return Object.fromEntries(input.choices.map((c) => [c.value, c.title]));
}

describe("Teams: admins grant and revoke admins on the settings card", () => {
  it("offers the team's people, grants one by name, and lets the new admin revoke the first", async () => {
    const o = await install("Grant Street Pantry");
    const amy = o.installer.aadObjectId;
    const sam = o.member.aadObjectId;
    const opened = await openSettings(o);
    expect(choicesOf(opened.form, "admins")).toEqual({ [amy]: "Amy Admin" });
    expect(choicesOf(opened.form, "newAdmins")).toEqual({ [sam]: "Sam Staff" });

    const granted = await save(o, opened, { newAdmins: sam });
    expect(granted.text).toContain("Settings saved.");
    expect(granted.text).toMatch(/Amy Admin, Sam Staff|Sam Staff, Amy Admin/);
    expect(await adminsOf(o)).toEqual(
      [
        [amy, "Amy Admin"],
        [sam, "Sam Staff"],
      ].sort(),
    );

    // Sam, now an admin, unticks Amy on his own form.
    const samsForm = await openSettings(o, o.member);
    expect(Object.keys(choicesOf(samsForm.form, "admins")).sort()).toEqual([amy, sam].sort());
    expect(choicesOf(samsForm.form, "newAdmins")).toEqual({});
    expect(samsForm.form.text).toContain("Everyone here is an admin already.");
    const revoked = await save(o, samsForm, { admins: sam }, o.member);
    expect(revoked.text).toContain("Settings saved.");
    expect(await adminsOf(o)).toEqual([[sam, "Sam Staff"]]);
    const amyNow = await openSettings(o);
    expect(amyNow.form.text).toContain("Only Touchpoint admins can change settings");

    // Unticking the last admin is refused, and changes nothing.
    const alone = await openSettings(o, o.member);
    const refused = await save(o, alone, { admins: "", time: "06:00" }, o.member);
    expect(refused.call.method).toBe("POST");
    expect(refused.text).toContain("Keep at least one admin. Nothing was saved.");
    expect(await adminsOf(o)).toEqual([[sam, "Sam Staff"]]);
    expect((await tenantOf(o)).nudgeTime).toBe("09:00");
  });

  it("refuses a member's crafted grant, asking Teams nothing and changing nothing", async () => {
    const o = await install("Crafted Grants Food Bank");
    const opened = await openSettings(o);
    const before = await tenantOf(o);
    const readsBefore = fake().rosterReads.length;
    // Sam presses Save on Amy's form with himself picked and Amy unticked.
    const answer = await save(o, opened, { admins: "", newAdmins: o.member.aadObjectId, time: "05:00" }, o.member);
    expect(answer.text).toContain("Only Touchpoint admins can change settings");
    expect(fake().rosterReads.length).toBe(readsBefore);
    expect(await adminsOf(o)).toEqual([[o.installer.aadObjectId, "Amy Admin"]]);
    expect(await tenantOf(o)).toEqual(before);
  });

  it("refuses a grant of someone not in the conversation, and says so", async () => {
    const o = await install("Outsiders Arts");
    const opened = await openSettings(o);
    const stranger = randomUUID();
    const answer = await save(o, opened, { newAdmins: `${o.member.aadObjectId},${stranger}` });
    expect(answer.text).toContain("Someone picked as an admin is not in this conversation");
    expect(answer.text).toContain("nothing was saved");
    expect(await adminsOf(o)).toEqual([[o.installer.aadObjectId, "Amy Admin"]]);
  });

  it("offers a group chat's people there, and in a personal chat says where to pick people", async () => {
    const o = await install("Group Chat Trust");
    const lee: TeamsUser = { id: `29:1lee${randomUUID()}`, name: "Lee Board", aadObjectId: randomUUID() };
    const chat = groupChat();
    fake().setMembers(chat.id, o.tenantId, [
      { id: o.installer.id, name: o.installer.name, aadObjectId: o.installer.aadObjectId },
      { id: lee.id, name: lee.name, aadObjectId: lee.aadObjectId },
      // An anonymous guest has no Entra object id: Touchpoint can't keep them, so doesn't offer them.
      { id: "29:1anonymous", name: "Guest", userRole: "anonymous" },
    ]);
    const asked = o.say.group(chat, "touchpoint settings");
    const form = await ask(asked);
    expect(choicesOf(form, "newAdmins")).toEqual({ [lee.aadObjectId]: "Lee Board" });
    const saved = await save(o, { form, asked }, { newAdmins: lee.aadObjectId });
    expect(saved.text).toContain("Settings saved.");
    expect((await adminsOf(o)).map(([id]) => id)).toContain(lee.aadObjectId);

    const personal = await ask(o.say.personal(o.chat, "settings"));
    expect(choicesOf(personal, "newAdmins")).toEqual({});
    expect(personal.text).toContain("To make someone else an admin, @mention me with settings in a team channel");
  });

  it("says so when Teams won't say who is in the conversation, and saves no grant then", async () => {
    const o = await install("Flaky Roster Fund");
    fake().failRosterReads(1, 403);
    const opened = await openSettings(o);
    expect(opened.form.text).toContain("I couldn't read who is in this conversation just now");
    expect(choicesOf(opened.form, "newAdmins")).toEqual({});

    const fresh = await openSettings(o);
    fake().failRosterReads(1, 403);
    const answer = await save(o, fresh, { newAdmins: o.member.aadObjectId });
    expect(answer.text).toContain("I couldn't check who is in this conversation just now, so nothing was saved");
    expect(await adminsOf(o)).toEqual([[o.installer.aadObjectId, "Amy Admin"]]);
  });
});
