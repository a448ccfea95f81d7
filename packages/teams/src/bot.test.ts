import { InMemoryStorage } from "@touchpoint/core/testing";
import { type Activity, TestAdapter, TurnContext } from "botbuilder";
import { describe, expect, it } from "vitest";
import { TouchpointBot } from "./bot.js";

/** A logger that keeps what it was told, to check what a refusal writes down. */
function recordingLogger() {
  const lines: { level: string; details: object; message?: string }[] = [];
  const at = (level: string) => (details: object, message?: string) => void lines.push({ level, details, message });
  return { lines, logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } };
}

const install = (fields: Partial<Activity>): Partial<Activity> => ({
  type: "installationUpdate",
  action: "add",
  id: "f:1",
  serviceUrl: "https://smba.example/",
  channelId: "msteams",
  from: { id: "29:1amy", name: "Amy Admin", aadObjectId: "2f1f9c7e-0000-4000-8000-000000000001" },
  recipient: { id: "28:bot", name: "Touchpoint" },
  conversation: { id: "a:1amy-chat", conversationType: "personal", tenantId: "tenant-1", isGroup: false, name: "" },
  channelData: { tenant: { id: "tenant-1" } },
  ...fields,
});

async function run(activity: Partial<Activity>, acceptEmulator = false) {
  const storage = new InMemoryStorage();
  const { lines, logger } = recordingLogger();
  const bot = new TouchpointBot({ storage, clock: { now: () => new Date() }, logger }, { acceptEmulator });
  const adapter = new TestAdapter(async () => undefined);
  await bot.run(new TurnContext(adapter, activity));
  return { lines, tenants: await storage.tenants.list(), sent: adapter.activeQueue.length };
}

describe("TouchpointBot's door", () => {
  it("drops an activity from another channel, or naming two tenants, with a warning that names no one", async () => {
    for (const [activity, reason] of [
      [install({ channelId: "webchat" }), "not_teams"],
      [install({ channelId: "emulator" }), "not_teams"],
      [install({ channelData: { tenant: { id: "tenant-2" } } }), "tenant_mismatch"],
    ] as const) {
      const { lines, tenants, sent } = await run(activity);
      expect(tenants).toEqual([]);
      expect(sent).toBe(0);
      expect(lines).toEqual([
        {
          level: "warn",
          details: { reason, channelId: activity.channelId, activityType: "installationUpdate" },
          message: "a Teams activity was refused",
        },
      ]);
      expect(JSON.stringify(lines)).not.toMatch(/Amy|29:1amy|2f1f9c7e|a:1amy-chat|tenant-/);
    }
  });

  it("lets a Teams activity through, and the Emulator's only when told to", async () => {
    expect((await run(install({}))).tenants.map((t) => t.externalId)).toEqual(["tenant-1"]);
    expect((await run(install({ channelId: "emulator" }), true)).tenants.map((t) => t.externalId)).toEqual([
      "tenant-1",
    ]);
  });
});
