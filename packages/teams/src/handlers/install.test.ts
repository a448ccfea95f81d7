import type { Installation } from "@touchpoint/core";
import { describe, expect, it } from "vitest";
import { legacyScopeOf } from "./install.js";

const installation = (reference: unknown, teamId: string | null = null): Installation => ({
  tenantId: "t",
  platform: "teams",
  key: "entra-1",
  enterpriseId: null,
  teamId,
  isEnterpriseInstall: false,
  botUserId: "28:bot",
  installedBy: "aad-amy",
  secret: typeof reference === "string" ? reference : JSON.stringify(reference),
});

describe("legacyScopeOf: where an installation older than scopes was added", () => {
  it("reads a team by the team id the installation kept, else its channel", () => {
    const channel = { conversation: { id: "19:general@thread.tacv2;messageid=1", conversationType: "channel" } };
    expect(legacyScopeOf(installation(channel, "19:team@thread.tacv2"))).toMatchObject({
      conversationId: "19:team@thread.tacv2",
      scope: "team",
      installedBy: "aad-amy",
    });
    expect(legacyScopeOf(installation(channel))?.conversationId).toBe("19:general@thread.tacv2");
  });

  it("reads a group chat and a personal chat by their conversation, with the reference as stored", () => {
    const group = installation({ conversation: { id: "19:group@thread.v2", conversationType: "groupChat" } });
    expect(legacyScopeOf(group)).toEqual({
      conversationId: "19:group@thread.v2",
      scope: "groupChat",
      reference: group.secret,
      installedBy: "aad-amy",
    });
    expect(legacyScopeOf(installation({ conversation: { id: "a:1x", conversationType: "personal" } }))).toMatchObject({
      conversationId: "a:1x",
      scope: "personal",
    });
  });

  it("reads nothing from a reference that isn't one", () => {
    expect(legacyScopeOf(installation("not json"))).toBeUndefined();
    expect(legacyScopeOf(installation({ serviceUrl: "https://smba.example/" }))).toBeUndefined();
  });
});
