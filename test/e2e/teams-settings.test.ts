import { beforeAll, describe, expect, it } from "vitest";
import type { Activity, SentCard } from "../support/teams-activities.js";
import { type InstalledOrg as Org, useTeamsServer } from "../support/teams-server.js";

const { ask, press, install, database } = useTeamsServer();

function tenantOf(o: Org) {
  return database().storage.withTenant(o.touchpointId, (r) => r.tenant.get());
}

/** `touchpoint settings` @mentioned in the team's channel: the card, and the activity that asked. */
async function openSettings(o: Org, from = o.installer): Promise<{ form: SentCard; asked: Activity }> {
  const asked = o.say.channel("touchpoint settings", from);
  return { form: await ask(asked), asked };
}

/** Save pressed on the form, with the form's inputs as filled in. */
function save(o: Org, opened: { form: SentCard; asked: Activity }, inputs: Record<string, string>, from = o.installer) {
  const submitted = o.say.submit(
    opened.asked.conversation,
    opened.form.call.id ?? "",
    { ...opened.form.button("Save"), ...inputs },
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
