import { describe, expect, it } from "vitest";
import { TenantExists, ValidationError } from "../errors.js";
import { unwrap, unwrapErr } from "../testing/builders.js";
import { InMemoryStorage } from "../testing/index.js";
import { createTenant } from "./create-tenant.js";

const base = { platform: "slack", externalId: "T024BE7LH", name: "Riverside Food Bank" } as const;

describe("createTenant", () => {
  it("creates a tenant with the default time zone and nudge time", async () => {
    const storage = new InMemoryStorage();
    const tenant = unwrap(await createTenant({ storage }, { ...base, name: "  Riverside Food Bank " }));
    expect(tenant).toMatchObject({
      platform: "slack",
      externalId: "T024BE7LH",
      enterpriseId: null,
      name: "Riverside Food Bank",
      timeZone: "UTC",
      nudgeTime: "09:00",
      nudgeChannel: null,
    });
    expect(await storage.tenants.get(tenant.id)).toEqual(tenant);
  });

  it("keeps a valid time zone and writes the nudge time as HH:MM", async () => {
    const storage = new InMemoryStorage();
    const tenant = unwrap(
      await createTenant(
        { storage },
        { ...base, timeZone: " Pacific/Auckland ", nudgeTime: "8:30", nudgeChannel: "C123" },
      ),
    );
    expect(tenant).toMatchObject({ timeZone: "Pacific/Auckland", nudgeTime: "08:30", nudgeChannel: "C123" });
  });

  it("makes whoever installed it the first admin", async () => {
    const storage = new InMemoryStorage();
    const tenant = unwrap(
      await createTenant({ storage }, { ...base, admin: { platformUserId: "U024BE7LH", displayName: "Amy" } }),
    );
    const members = await storage.withTenant(tenant.id, (repos) => repos.members.list());
    expect(members).toEqual([{ tenantId: tenant.id, platformUserId: "U024BE7LH", role: "admin", displayName: "Amy" }]);
  });

  it("creates no member when no admin is known", async () => {
    const storage = new InMemoryStorage();
    const tenant = unwrap(await createTenant({ storage }, base));
    expect(await storage.withTenant(tenant.id, (repos) => repos.members.list())).toEqual([]);
  });

  it.each([
    [{ timeZone: "Mars/Olympus_Mons" }, "timeZone", /"Mars\/Olympus_Mons" is not a time zone; use an IANA name/],
    [{ nudgeTime: "25:00" }, "nudgeTime", /"25:00" is not a time of day; use 24-hour HH:MM/],
    [{ nudgeTime: "9am" }, "nudgeTime", /"9am" is not a time of day/],
    [{ name: "  " }, "name", /^A tenant needs a name of 1 to 200 characters\.$/],
    [{ name: "n".repeat(201) }, "name", /^A tenant needs a name/],
    [{ externalId: " " }, "externalId", /^A tenant needs its platform's id/],
    [{ name: "Riverside\u0000" }, "name", /^The name holds a NUL character \(U\+0000\) after “Riverside”; remove it/],
    [
      { externalId: "T024\u001bBE7LH" },
      "externalId",
      /^The platform id holds an invisible control character \(U\+001B\)/,
    ],
  ])("refuses %j and creates nothing", async (override, field, message) => {
    const storage = new InMemoryStorage();
    const error = unwrapErr(await createTenant({ storage }, { ...base, ...override, admin: { platformUserId: "U1" } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field });
    expect(error.message).toMatch(message);
    expect(await storage.tenants.list()).toEqual([]);
  });

  it("refuses a second tenant with the same platform and external id", async () => {
    const storage = new InMemoryStorage();
    unwrap(await createTenant({ storage }, base));
    const error = unwrapErr(await createTenant({ storage }, { ...base, name: "Imposter" }));
    expect(error).toBeInstanceOf(TenantExists);
    expect(error.message).toBe('A slack tenant with external id "T024BE7LH" already exists.');
    expect(unwrap(await createTenant({ storage }, { ...base, platform: "teams" })).platform).toBe("teams");
  });
});
