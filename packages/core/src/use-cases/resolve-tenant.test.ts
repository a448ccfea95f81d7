import { describe, expect, it } from "vitest";
import { UnknownTenant } from "../errors.js";
import { unwrap, unwrapErr } from "../testing/builders.js";
import { randomId } from "../testing/ids.js";
import { InMemoryStorage } from "../testing/index.js";
import { resolveTenant } from "./resolve-tenant.js";

async function directory() {
  const storage = new InMemoryStorage();
  const created = async (platform: "slack" | "teams", externalId: string, name: string) =>
    unwrap(await storage.tenants.create({ platform, externalId, name }));
  const slack = await created("slack", "T024BE7LH", "Riverside Food Bank");
  const teams = await created("teams", "72F988BF-86F1-41AF-91AB-2D7CD011DB47", "Harbor Arts");
  return { deps: { storage }, slack, teams };
}

describe("resolveTenant", () => {
  it("finds a tenant by its id, in any case and with spaces around", async () => {
    const { deps, slack } = await directory();
    expect(unwrap(await resolveTenant(deps, slack.id))).toEqual(slack);
    expect(unwrap(await resolveTenant(deps, ` ${slack.id.toUpperCase()} `))).toEqual(slack);
  });

  it("finds a tenant by its Slack team id", async () => {
    const { deps, slack } = await directory();
    expect(unwrap(await resolveTenant(deps, "T024BE7LH"))).toEqual(slack);
  });

  it("finds a Teams tenant whose external id looks like a UUID", async () => {
    const { deps, teams } = await directory();
    expect(unwrap(await resolveTenant(deps, "72F988BF-86F1-41AF-91AB-2D7CD011DB47"))).toEqual(teams);
  });

  it("says UnknownTenant for anything else", async () => {
    const { deps } = await directory();
    const error = unwrapErr(await resolveTenant(deps, " T999 "));
    expect(error).toBeInstanceOf(UnknownTenant);
    expect(error.message).toBe('No tenant has the id or external id "T999".');
    expect(unwrapErr(await resolveTenant(deps, randomId()))).toBeInstanceOf(UnknownTenant);
  });
});
