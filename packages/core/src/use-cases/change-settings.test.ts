import { describe, expect, it } from "vitest";
import { NotAdmin, ValidationError } from "../errors.js";
import { InMemoryStorage, uniqueExternalId } from "../testing/index.js";
import { changeSettings, viewSettings } from "./change-settings.js";
import { createTenant } from "./create-tenant.js";

async function organization() {
  const storage = new InMemoryStorage();
  const created = await createTenant(
    { storage },
    { platform: "slack", externalId: uniqueExternalId(), name: "Riverside", admin: { platformUserId: "U0AMY" } },
  );
  if (!created.ok) throw new Error(created.error.message);
  const tenantId = created.value.id;
  await storage.withTenant(tenantId, (r) => r.members.upsert({ platformUserId: "U0SAM" }));
  return { storage, tenantId };
}

describe("settings from chat", () => {
  it("let an admin change the nudge and who else is admin, in one go", async () => {
    const { storage, tenantId } = await organization();
    const changed = await changeSettings(
      { storage },
      {
        tenantId,
        actorId: "U0AMY",
        patch: { timeZone: "america/chicago", nudgeTime: "8:15", nudgeChannel: "C0NUDGES" },
        admins: ["U0AMY", "U0SAM"],
      },
    );
    expect(changed.ok && changed.value).toMatchObject({
      timeZone: "America/Chicago",
      nudgeTime: "08:15",
      nudgeChannel: "C0NUDGES",
    });
    const view = await viewSettings({ storage }, { tenantId, actorId: "U0SAM" });
    expect(view.canEdit).toBe(true);
    expect(view.admins.map((a) => a.platformUserId)).toEqual(["U0AMY", "U0SAM"]);
  });

  it("change nothing for someone who is not an admin", async () => {
    const { storage, tenantId } = await organization();
    const attempt = await changeSettings(
      { storage },
      { tenantId, actorId: "U0SAM", patch: { nudgeTime: "06:00" }, admins: ["U0SAM"] },
    );
    expect(!attempt.ok && attempt.error).toBeInstanceOf(NotAdmin);
    const view = await viewSettings({ storage }, { tenantId, actorId: "U0SAM" });
    expect(view).toMatchObject({ canEdit: false, tenant: { nudgeTime: "09:00" } });
    expect(view.admins.map((a) => a.platformUserId)).toEqual(["U0AMY"]);
  });

  it("refuse a bad field or an empty admin list, changing nothing", async () => {
    const { storage, tenantId } = await organization();
    const badZone = await changeSettings(
      { storage },
      { tenantId, actorId: "U0AMY", patch: { timeZone: "EST", nudgeTime: "07:00" } },
    );
    expect(!badZone.ok && badZone.error).toBeInstanceOf(ValidationError);
    const noAdmins = await changeSettings({ storage }, { tenantId, actorId: "U0AMY", patch: {}, admins: [] });
    expect(!noAdmins.ok && noAdmins.error.message).toBe("Keep at least one admin.");
    expect((await viewSettings({ storage }, { tenantId, actorId: "U0AMY" })).tenant.nudgeTime).toBe("09:00");
  });

  it("grant and revoke admins against who is admin when saved, keeping names and anyone granted meanwhile", async () => {
    const { storage, tenantId } = await organization();
    const granted = await changeSettings(
      { storage },
      {
        tenantId,
        actorId: "U0AMY",
        patch: {},
        admins: { grant: [{ platformUserId: "U0SAM", displayName: "Sam Staff" }], revoke: [] },
      },
    );
    expect(granted.ok).toBe(true);
    // Sam grants Lee while Amy's form, drawn before, revokes only herself: Lee stays.
    await changeSettings(
      { storage },
      { tenantId, actorId: "U0SAM", patch: {}, admins: { grant: [{ platformUserId: "U0LEE" }], revoke: [] } },
    );
    const revoked = await changeSettings(
      { storage },
      { tenantId, actorId: "U0AMY", patch: {}, admins: { grant: [], revoke: ["U0AMY"] } },
    );
    expect(revoked.ok).toBe(true);
    const view = await viewSettings({ storage }, { tenantId, actorId: "U0AMY" });
    expect(view.canEdit).toBe(false);
    expect(view.admins.map((a) => [a.platformUserId, a.displayName])).toEqual([
      ["U0LEE", null],
      ["U0SAM", "Sam Staff"],
    ]);
  });

  it("refuse a revoke that would leave no admin, or a grant of someone the platform can't name, changing nothing", async () => {
    const { storage, tenantId } = await organization();
    const alone = await changeSettings(
      { storage },
      { tenantId, actorId: "U0AMY", patch: { nudgeTime: "07:00" }, admins: { grant: [], revoke: ["U0AMY"] } },
    );
    expect(!alone.ok && alone.error).toMatchObject({ field: "admins", message: "Keep at least one admin." });
    const stranger = await changeSettings(
      { storage },
      {
        tenantId,
        actorId: "U0AMY",
        patch: { nudgeTime: "07:00" },
        admins: { grant: [{ platformUserId: "everyone" }], revoke: [] },
      },
    );
    expect(!stranger.ok && stranger.error.message).toBe('"everyone" is not a Slack user id.');
    const view = await viewSettings({ storage }, { tenantId, actorId: "U0AMY" });
    expect(view.tenant.nudgeTime).toBe("09:00");
    expect(view.admins.map((a) => a.platformUserId)).toEqual(["U0AMY"]);
  });

  it("of two admins revoking each other at once, let the first through and refuse the second", async () => {
    const { storage, tenantId } = await organization();
    await storage.withTenant(tenantId, (r) => r.members.upsert({ platformUserId: "U0SAM", role: "admin" }));
    const revoke = (actorId: string, other: string) =>
      changeSettings({ storage }, { tenantId, actorId, patch: {}, admins: { grant: [], revoke: [other] } });
    const outcomes = await Promise.all([revoke("U0AMY", "U0SAM"), revoke("U0SAM", "U0AMY")]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false]);
    expect(!outcomes[1]?.ok && outcomes[1]?.error).toBeInstanceOf(NotAdmin);
    const view = await viewSettings({ storage }, { tenantId, actorId: "U0AMY" });
    expect(view.admins.map((a) => a.platformUserId)).toEqual(["U0AMY"]);
  });
});
