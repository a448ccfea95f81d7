import { describe, expect, it } from "vitest";
import { InMemoryStorage, slackInstall, uniqueExternalId } from "../testing/index.js";
import { installApp } from "./install-app.js";
import { uninstallApp } from "./uninstall-app.js";

describe("installApp", () => {
  it("creates the organization on the first install, with the installer as its admin", async () => {
    const storage = new InMemoryStorage();
    const key = uniqueExternalId();
    const result = await installApp(
      { storage },
      {
        installation: slackInstall(key),
        organizationName: "Riverside Food Bank",
        installer: { platformUserId: "U0AMY", displayName: "Amy" },
      },
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.firstInstall).toBe(true);
    expect(result.value.tenant).toMatchObject({ platform: "slack", externalId: key, name: "Riverside Food Bank" });
    expect(await storage.withTenant(result.value.tenant.id, (r) => r.members.get("U0AMY"))).toMatchObject({
      role: "admin",
    });
    expect((await storage.installations.find("slack", key))?.tenantId).toBe(result.value.tenant.id);
  });

  it("keeps the organization on a reinstall, replacing the credentials and making the new installer an admin", async () => {
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
    expect(again.value).toMatchObject({ firstInstall: false, tenant: { id: first.value.tenant.id } });
    expect((await storage.installations.find("slack", key))?.secret).toContain("xoxb-2");
    const admins = await storage.withTenant(first.value.tenant.id, (r) => r.members.list());
    expect(admins.map((m) => [m.platformUserId, m.role])).toEqual([
      ["U0AMY", "admin"],
      ["U0JORDAN", "admin"],
    ]);
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
