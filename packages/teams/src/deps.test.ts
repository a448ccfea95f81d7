import type { Activity } from "botbuilder";
import { TurnContext } from "botbuilder";
import { describe, expect, it } from "vitest";
import { activityRefusal, commandText, teamsTenantId, teamsUserId } from "./deps.js";

const BOT = { id: "28:bot-app-id", name: "Touchpoint" };

function activity(fields: Partial<Activity>): Activity {
  return {
    type: "message",
    channelId: "msteams",
    from: { id: "29:1abc", name: "Amy", aadObjectId: "aad-amy" },
    recipient: BOT,
    conversation: { id: "a:1chat", conversationType: "personal", tenantId: "tenant-1", isGroup: false, name: "" },
    ...fields,
  } as Activity;
}

const strip = (a: Activity) => TurnContext.removeRecipientMention(a);

describe("reading a Teams activity", () => {
  it("takes the bot's own mention out of a channel message and keeps a colleague's", () => {
    const message = activity({
      text: "<at>Touchpoint</at> touch <at>Amy Lee</at> coffee\n",
      entities: [
        { type: "mention", text: "<at>Touchpoint</at>", mentioned: BOT },
        { type: "mention", text: "<at>Amy Lee</at>", mentioned: { id: "29:1amy", name: "Amy Lee" } },
      ],
    });
    expect(commandText(message, strip)).toBe("touch <at>Amy Lee</at> coffee");
  });

  it("reads HTML entities back, and leaves a personal chat's text as typed", () => {
    expect(commandText(activity({ text: "touch&nbsp;@janedoe called &quot;early&quot; &amp; late" }), strip)).toBe(
      'touch @janedoe called "early" & late',
    );
    expect(commandText(activity({ text: "touch @janedoe called" }), strip)).toBe("touch @janedoe called");
  });

  it("takes the Teams tenant from the conversation only", () => {
    expect(teamsTenantId(activity({}))).toBe("tenant-1");
    const onlyInChannelData = activity({
      conversation: { id: "19:x@thread.tacv2", isGroup: true, name: "", conversationType: "channel" },
      channelData: { tenant: { id: "tenant-2" } },
    });
    expect(teamsTenantId(onlyInChannelData)).toBeUndefined();
  });

  it("refuses activities from other channels, and a channelData tenant that is not the conversation's", () => {
    const strict = { acceptEmulator: false };
    expect(activityRefusal(activity({ channelData: { tenant: { id: "tenant-1" } } }), strict)).toBeUndefined();
    expect(activityRefusal(activity({}), strict)).toBeUndefined();
    expect(activityRefusal(activity({ channelId: "slack" }), strict)).toBe("not_teams");
    expect(activityRefusal(activity({ channelId: "emulator" }), strict)).toBe("not_teams");
    expect(activityRefusal(activity({ channelId: "emulator" }), { acceptEmulator: true })).toBeUndefined();
    expect(activityRefusal(activity({ channelId: "webchat" }), { acceptEmulator: true })).toBe("not_teams");
    expect(activityRefusal(activity({ channelData: { tenant: { id: "tenant-2" } } }), strict)).toBe("tenant_mismatch");
    const noConversationTenant = activity({
      conversation: { id: "a:1chat", isGroup: false, name: "", conversationType: "personal" },
      channelData: { tenant: { id: "tenant-2" } },
    });
    expect(activityRefusal(noConversationTenant, strict)).toBe("tenant_mismatch");
  });

  it("names people by their Entra object id, else their Teams id", () => {
    expect(teamsUserId(activity({}))).toBe("aad-amy");
    expect(teamsUserId(activity({ from: { id: "29:1abc", name: "Amy" } }))).toBe("29:1abc");
  });
});
