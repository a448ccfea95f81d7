import type { Storage } from "@touchpoint/core";
import { InMemoryStorage } from "@touchpoint/core/testing";
import { type Activity, TestAdapter, TurnContext } from "botbuilder";
import { describe, expect, it } from "vitest";
import { SETTINGS_INPUTS } from "../cards/settings.js";
import type { TeamsDeps } from "../deps.js";
import { apologize } from "../saved.js";
import type { Turn } from "../turn.js";
import { SETTINGS_SAVE } from "./action-ids.js";
import { settingsSaveAction } from "./settings.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const ADMIN = "2f1f9c7e-0000-4000-8000-000000000001";

/** In-memory storage whose every read fails once the tenant's settings have been written: the database gone after the commit. */
function failingAfterUpdate(storage: InMemoryStorage): Storage {
  let committed = false;
  const withTenant: Storage["withTenant"] = async (tenantId, work) => {
    if (committed) throw new Error("the connection to the database was lost");
    const result = await storage.withTenant(tenantId, (repos) =>
      work({
        ...repos,
        tenant: {
          ...repos.tenant,
          update: async (patch) => {
            const tenant = await repos.tenant.update(patch);
            committed = true;
            return tenant;
          },
        },
      }),
    );
    return result;
  };
  return Object.assign(Object.create(storage) as Storage, { withTenant });
}

describe("Save on the settings form", () => {
  it("is said as saved when what follows the commit (the read for the card) fails", async () => {
    const storage = new InMemoryStorage();
    const created = await storage.tenants.create(
      { platform: "teams", externalId: "teams-tenant", name: "Riverside" },
      { admin: { platformUserId: ADMIN } },
    );
    if (!created.ok) throw new Error("no tenant");
    const tenantId = created.value.id;
    const deps: TeamsDeps = { storage: failingAfterUpdate(storage), clock: { now: () => new Date() }, logger: silent };
    const adapter = new TestAdapter(async () => undefined);
    const activity: Partial<Activity> = {
      type: "message",
      channelId: "msteams",
      from: { id: "29:1amy", name: "Amy Admin", aadObjectId: ADMIN },
      conversation: { id: "a:1amy", conversationType: "personal", tenantId: "teams-tenant", isGroup: false, name: "" },
      recipient: { id: "28:bot", name: "Touchpoint" },
    };
    const context = new TurnContext(adapter, activity);
    const turn: Turn = { context, tenantId, teamsTenantId: "teams-tenant", userId: ADMIN };
    const value = {
      action: SETTINGS_SAVE,
      tenantId,
      [SETTINGS_INPUTS.time]: "06:45",
      [SETTINGS_INPUTS.timeZone]: "UTC",
    };

    await expect(settingsSaveAction(deps, turn, value)).rejects.toThrow(/connection to the database was lost/);
    expect((await storage.withTenant(tenantId, (r) => r.tenant.get())).nudgeTime).toBe("06:45");
    // onTurnError's answer.
    await apologize(deps, context);
    const said = JSON.stringify(adapter.activeQueue.map((sent) => sent.attachments));
    expect(said).toContain("Your settings were saved, but the confirmation didn't reach you");
    expect(said).not.toMatch(/nothing (of it )?was saved/i);
  });
});
