import { InMemoryStorage } from "@touchpoint/core/testing";
import { type Activity, TestAdapter, TurnContext } from "botbuilder";
import { describe, expect, it } from "vitest";
import { cardAction } from "./index.js";

describe("cardAction", () => {
  it("logs at most 40 characters of an action it does not know: a card's data is anyone's to craft", async () => {
    const warnings: object[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (details: object) => void warnings.push(details) };
    const deps = { storage: new InMemoryStorage(), clock: { now: () => new Date() }, logger };
    const activity: Partial<Activity> = {
      type: "message",
      channelId: "msteams",
      conversation: { id: "a:1", conversationType: "personal", isGroup: false, name: "" },
    };
    const turn = {
      context: new TurnContext(new TestAdapter(async () => undefined), activity),
      tenantId: "t",
      teamsTenantId: "teams-t",
      userId: "aad-1",
    };
    const crafted = `nudge_${"x".repeat(5000)}`;
    const answer = await cardAction(deps, turn, { action: crafted });
    expect(JSON.stringify(answer.replies)).toContain("That button no longer does anything.");
    expect(warnings).toEqual([{ action: crafted.slice(0, 40) }]);
  });
});
