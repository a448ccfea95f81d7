import { describe, expect, it } from "vitest";
import { channelForWord, channelLabel, defaultDirection, isTouchChannel, TOUCH_CHANNELS } from "./touchpoint.js";

describe("channelForWord", () => {
  it("maps the words people start notes with", () => {
    expect(channelForWord("Called,")).toBe("call");
    expect(channelForWord("emailed")).toBe("email");
    expect(channelForWord("coffee!")).toBe("meeting");
    expect(channelForWord("dm'd")).toBe("x_dm");
    expect(channelForWord("gave")).toBe("donation");
    expect(channelForWord("attended")).toBe("event");
  });

  it("knows nothing of other words", () => {
    expect(channelForWord("thanked")).toBeUndefined();
    expect(channelForWord("")).toBeUndefined();
    expect(channelForWord(undefined)).toBeUndefined();
  });
});

describe("defaultDirection", () => {
  it("is inbound for what the supporter did, outbound for what staff did", () => {
    const inbound = TOUCH_CHANNELS.filter((channel) => defaultDirection(channel) === "inbound");
    expect(inbound).toEqual(["x_mention", "x_quote", "donation"]);
  });
});

describe("channels", () => {
  it("recognizes channel names and labels each one", () => {
    expect(isTouchChannel("x_dm")).toBe(true);
    expect(isTouchChannel("phone")).toBe(false);
    expect(TOUCH_CHANNELS.map(channelLabel)).toContain("X DM");
    expect(new Set(TOUCH_CHANNELS.map(channelLabel)).size).toBe(TOUCH_CHANNELS.length);
  });
});
