import { describe, expect, it } from "vitest";
import type { InstallScopeKind } from "../domain/installation.js";
import { FixedClock, InMemoryStorage, slackInstall, uniqueExternalId } from "../testing/index.js";
import { installApp } from "./install-app.js";
import { removeInstallScope } from "./remove-install-scope.js";
import { uninstallApp } from "./uninstall-app.js";

async function roles(storage: InMemoryStorage, tenantId: string) {
  const members = await storage.withTenant(tenantId, (r) => r.members.list());
  return members.map((m) => [m.platformUserId, m.role]);
}

describe("installApp", () => {
  it("creates the organization on the first install, with the installer as its admin", async () => {
    const storage = new InMemoryStorage();
    const key = uniqueExternalId();
    const result = await installApp(
      { storage },
      {
        installation: slackInstall(key),
        organizationName: "Riverside Food Bank",
        // The name as the platform gave it: a NUL PostgreSQL can't hold is dropped, not refused.
        installer: { platformUserId: "U0AMY", displayName: "Amy\u0000 Admin " },
      },
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toMatchObject({ firstInstall: true, installerIsNewAdmin: true });
    expect((await storage.withTenant(result.value.tenant.id, (r) => r.members.get("U0AMY")))?.displayName).toBe(
      "Amy Admin",
    );
    expect(result.value.tenant).toMatchObject({ platform: "slack", externalId: key, name: "Riverside Food Bank" });
    expect(await storage.withTenant(result.value.tenant.id, (r) => r.members.get("U0AMY"))).toMatchObject({
      role: "admin",
    });
    expect((await storage.installations.find("slack", key))?.tenantId).toBe(result.value.tenant.id);
  });

  it("keeps the organization and its roles on a reinstall by a member, replacing only the credentials", async () => {
    const storage = new InMemoryStorage();
    const key = uniqueExternalId();
    const first = await installApp(
      { storage },
      { installation: slackInstall(key), organizationName: "Riverside", installer: { platformUserId: "U0AMY" } },
    );
    const again = await installApp(
      { storage },
      {
        installation: { ...slackInstall(key, '{"bot":{"token":"xoxb-2"}}'), installedBy: "U0JORDAN" },
        organizationName: "Riverside renamed",
        installer: { platformUserId: "U0JORDAN" },
      },
    );
    if (!first.ok || !again.ok) throw new Error("install failed");
    expect(again.value).toMatchObject({
      firstInstall: false,
      installerIsNewAdmin: false,
      tenant: { id: first.value.tenant.id },
    });
    expect((await storage.installations.find("slack", key))?.secret).toContain("xoxb-2");
    expect(await roles(storage, first.value.tenant.id)).toEqual([["U0AMY", "admin"]]);
  });

  it("leaves a revoked admin revoked when they install again", async () => {
    const storage = new InMemoryStorage();
    const key = uniqueExternalId();
    const install = (platformUserId: string) =>
      installApp(
        { storage },
        { installation: slackInstall(key), organizationName: "Riverside", installer: { platformUserId } },
      );
    const first = await install("U0AMY");
    if (!first.ok) throw new Error("install failed");
    const tenantId = first.value.tenant.id;
    await storage.withTenant(tenantId, async (r) => {
      await r.members.upsert({ platformUserId: "U0SAM", role: "admin" });
      await r.members.upsert({ platformUserId: "U0AMY", role: "member" });
    });
    await install("U0AMY");
    expect(await roles(storage, tenantId)).toEqual([
      ["U0AMY", "member"],
      ["U0SAM", "admin"],
    ]);
  });

  it("makes the installer the first admin of an organization that has none (created without one)", async () => {
    const storage = new InMemoryStorage();
    const key = uniqueExternalId();
    const created = await storage.tenants.create({ platform: "slack", externalId: key, name: "Riverside" });
    if (!created.ok) throw new Error("create failed");
    const installed = await installApp(
      { storage },
      { installation: slackInstall(key), organizationName: "Riverside", installer: { platformUserId: "U0AMY" } },
    );
    expect(installed.ok && installed.value).toMatchObject({ firstInstall: false, installerIsNewAdmin: true });
    expect(await roles(storage, created.value.id)).toEqual([["U0AMY", "admin"]]);
  });
});

describe("uninstallApp", () => {
  it("removes the credentials, harmlessly when repeated, and keeps the organization's data", async () => {
    const storage = new InMemoryStorage();
    const key = uniqueExternalId();
    const installed = await installApp(
      { storage },
      { installation: slackInstall(key), organizationName: "Riverside", installer: null },
    );
    if (!installed.ok) throw new Error("install failed");
    await storage.withTenant(installed.value.tenant.id, (r) => r.contacts.create({ name: "Jane Doe" }));
    expect(await uninstallApp({ storage }, { platform: "slack", key })).toEqual({ removed: true });
    expect(await uninstallApp({ storage }, { platform: "slack", key })).toEqual({ removed: false });
    expect(await storage.installations.find("slack", key)).toBeUndefined();
    expect(await storage.withTenant(installed.value.tenant.id, (r) => r.contacts.list())).toHaveLength(1);
  });

  it("pauses the organization's X accounts until the app is installed again", async () => {
    const storage = new InMemoryStorage();
    const key = uniqueExternalId();
    const install = () =>
      installApp({ storage }, { installation: slackInstall(key), organizationName: "Riverside", installer: null });
    const installed = await install();
    if (!installed.ok) throw new Error("install failed");
    const tenantId = installed.value.tenant.id;
    await storage.withTenant(tenantId, (r) =>
      r.socialAccounts.connect({ platform: "x", handle: "riverside", externalUserId: "1", credentials: "t" }),
    );
    const status = async () => (await storage.withTenant(tenantId, (r) => r.socialAccounts.list()))[0]?.status;

    await uninstallApp({ storage }, { platform: "slack", key });
    expect(await status()).toBe("paused");
    await install();
    expect(await status()).toBe("active");
  });
});

/** A Teams organization the tests add the app to, place by place, as Teams reports each add and removal. */
function teamsOrganization() {
  const storage = new InMemoryStorage();
  const clock = new FixedClock(new Date("2026-11-30T10:00:00Z"));
  const key = uniqueExternalId("entra-");
  const reference = (conversationId: string) => JSON.stringify({ conversation: { id: conversationId } });
  let tenantId = "";
  return {
    storage,
    key,
    reference,
    tenantId: () => tenantId,
    /** `recorded: false` adds it as Touchpoint did before it kept scopes. */
    async add(conversationId: string, scope: InstallScopeKind, installer: string, recorded = true) {
      const result = await installApp(
        { storage },
        {
          installation: {
            platform: "teams",
            key,
            enterpriseId: null,
            teamId: scope === "team" ? conversationId : null,
            isEnterpriseInstall: false,
            botUserId: "28:bot",
            installedBy: installer,
            secret: reference(conversationId),
          },
          organizationName: "Riverside",
          installer: { platformUserId: installer },
          ...(recorded && { scope: { conversationId, scope } }),
          nudgeChannel: scope === "team" ? conversationId : null,
        },
      );
      if (!result.ok) throw new Error(result.error.message);
      tenantId = result.value.tenant.id;
      return result.value;
    },
    remove(conversationId: string) {
      return removeInstallScope(
        { storage, clock },
        {
          platform: "teams",
          key,
          conversationId,
          // As the Teams adapter reads an old installation's reference: here, a personal chat's.
          legacyScope: (installation) => ({
            conversationId: (JSON.parse(installation.secret) as { conversation: { id: string } }).conversation.id,
            scope: "personal",
            reference: installation.secret,
            installedBy: installation.installedBy,
          }),
        },
      );
    },
    async installed() {
      return storage.installations.find("teams", key);
    },
  };
}

describe("Teams scopes: an organization lives as long as the install it lives by", () => {
  it("neither makes a member admin nor uninstalls when they add and remove the app in their chats", async () => {
    const org = teamsOrganization();
    expect(await org.add("19:team", "team", "aad-amy")).toMatchObject({
      firstInstall: true,
      installerIsNewAdmin: true,
    });
    expect(await org.add("a:sam", "personal", "aad-sam")).toMatchObject({
      firstInstall: false,
      installerIsNewAdmin: false,
    });
    expect(await org.add("19:group", "groupChat", "aad-sam")).toMatchObject({ installerIsNewAdmin: false });
    expect(await roles(org.storage, org.tenantId())).toEqual([["aad-amy", "admin"]]);
    // The newest add's reference is the installation's.
    expect((await org.installed())?.secret).toBe(org.reference("19:group"));

    expect(await org.remove("a:sam")).toEqual({ outcome: "scope_removed", referenceMoved: false });
    // The reference it had came from the group chat: removing that moves it to the team's.
    expect(await org.remove("19:group")).toEqual({ outcome: "scope_removed", referenceMoved: true });
    expect(await org.installed()).toMatchObject({ secret: org.reference("19:team"), teamId: "19:team" });
    expect(await roles(org.storage, org.tenantId())).toEqual([["aad-amy", "admin"]]);
  });

  it("uninstalls when the last team install goes, though personal ones remain, and pauses X", async () => {
    const org = teamsOrganization();
    await org.add("19:first", "team", "aad-amy");
    await org.add("19:second", "team", "aad-amy");
    await org.add("a:sam", "personal", "aad-sam");
    await org.storage.withTenant(org.tenantId(), (r) =>
      r.socialAccounts.connect({ platform: "x", handle: "riverside", externalUserId: "1", credentials: "t" }),
    );

    // The personal scope's reference was the installation's; the newest team's takes over.
    expect(await org.remove("19:first")).toEqual({ outcome: "scope_removed", referenceMoved: false });
    expect(await org.remove("a:sam")).toEqual({ outcome: "scope_removed", referenceMoved: true });
    expect((await org.installed())?.secret).toBe(org.reference("19:second"));
    await org.add("a:ben", "personal", "aad-ben");
    expect(await org.remove("19:second")).toEqual({ outcome: "uninstalled" });
    expect(await org.installed()).toBeUndefined();
    const [account] = await org.storage.withTenant(org.tenantId(), (r) => r.socialAccounts.list());
    expect(account?.status).toBe("paused");
    // Redelivered, or another place removed afterwards: nothing more to do.
    expect(await org.remove("19:second")).toEqual({ outcome: "not_installed" });
    expect(await org.remove("a:ben")).toEqual({ outcome: "not_installed" });
  });

  it("without a team install ever, lives until its last chat install goes", async () => {
    const org = teamsOrganization();
    await org.add("a:amy", "personal", "aad-amy");
    await org.add("19:group", "groupChat", "aad-sam");
    expect(await org.remove("a:amy")).toEqual({ outcome: "scope_removed", referenceMoved: false });
    expect(await org.installed()).toMatchObject({ secret: org.reference("19:group"), teamId: null });
    expect(await org.remove("19:group")).toEqual({ outcome: "uninstalled" });
    expect(await org.installed()).toBeUndefined();
  });

  it("stays uninstalled when a member adds it to their chat after the teams removed it; a team add installs again", async () => {
    const org = teamsOrganization();
    await org.add("19:team", "team", "aad-amy");
    await org.storage.withTenant(org.tenantId(), (r) =>
      r.socialAccounts.connect({ platform: "x", handle: "riverside", externalUserId: "1", credentials: "t" }),
    );
    const status = async () =>
      (await org.storage.withTenant(org.tenantId(), (r) => r.socialAccounts.list()))[0]?.status;
    await org.remove("19:team");
    expect(await org.add("a:sam", "personal", "aad-sam")).toMatchObject({ firstInstall: false, installed: false });
    expect(await org.installed()).toBeUndefined();
    expect(await status()).toBe("paused");

    expect(await org.add("19:team", "team", "aad-jo")).toMatchObject({ installed: true, installerIsNewAdmin: false });
    expect((await org.installed())?.secret).toBe(org.reference("19:team"));
    expect(await status()).toBe("active");
    expect(await roles(org.storage, org.tenantId())).toEqual([["aad-amy", "admin"]]);
  });

  it("installs again on a chat add when it never had a team", async () => {
    const org = teamsOrganization();
    await org.add("a:amy", "personal", "aad-amy");
    await org.remove("a:amy");
    expect(await org.installed()).toBeUndefined();
    expect(await org.add("a:sam", "personal", "aad-sam")).toMatchObject({
      installed: true,
      installerIsNewAdmin: false,
    });
    expect((await org.installed())?.secret).toBe(org.reference("a:sam"));
  });

  it("treats a place added before scopes were recorded as no team: it ends the organization only with nothing left", async () => {
    const org = teamsOrganization();
    await org.add("19:team", "team", "aad-amy");
    // A place the app was added to before scopes were kept: its removal ends nothing while a team has it.
    expect(await org.remove("a:unrecorded")).toEqual({ outcome: "scope_removed", referenceMoved: false });
    expect(await org.installed()).toBeDefined();

    // Installed in Amy's personal chat before scopes were kept: Sam removing his copy ends
    // nothing (her place is read from the installation's reference first); her removal does.
    const legacy = teamsOrganization();
    await legacy.add("a:amy", "personal", "aad-amy", false);
    expect(await legacy.storage.withTenant(legacy.tenantId(), (r) => r.installScopes.list())).toEqual([]);
    expect(await legacy.remove("a:sam")).toEqual({ outcome: "scope_removed", referenceMoved: false });
    expect(await legacy.installed()).toBeDefined();
    expect(await legacy.remove("a:amy")).toEqual({ outcome: "uninstalled" });
  });

  it("sets the nudge channel from the first team the app joins, and keeps one an admin chose", async () => {
    const org = teamsOrganization();
    await org.add("a:amy", "personal", "aad-amy");
    expect((await org.storage.tenants.get(org.tenantId()))?.nudgeChannel).toBeNull();
    expect((await org.add("19:team", "team", "aad-amy")).tenant.nudgeChannel).toBe("19:team");
    expect((await org.add("19:other", "team", "aad-amy")).tenant.nudgeChannel).toBe("19:team");
  });
});
