import type { Activity } from "botbuilder";
import { TurnContext } from "botbuilder";
import { describe, expect, it } from "vitest";
import { commandText, teamsTenantId, teamsUserId } from "./deps.js";

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

  it("finds the Teams tenant in the conversation, else in channelData", () => {
    expect(teamsTenantId(activity({}))).toBe("tenant-1");
    const fromChannelData = activity({
      conversation: { id: "19:x@thread.tacv2", isGroup: true, name: "", conversationType: "channel" },
      channelData: { tenant: { id: "tenant-2" } },
    });
    expect(teamsTenantId(fromChannelData)).toBe("tenant-2");
    expect(
      teamsTenantId(activity({ conversation: { id: "c", isGroup: false, name: "", conversationType: "personal" } })),
    ).toBeUndefined();
  });

  it("names people by their Entra object id, else their Teams id", () => {
    expect(teamsUserId(activity({}))).toBe("aad-amy");
    expect(teamsUserId(activity({ from: { id: "29:1abc", name: "Amy" } }))).toBe("29:1abc");
  });
});
