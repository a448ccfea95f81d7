import type { InstallScope } from "@touchpoint/core";
import { describe, expect, it } from "vitest";
import { ConnectorTimeout } from "./adapter.js";
import { conversationKind, failureOf, isPersonTarget } from "./notifier.js";

/** A connector error as botbuilder throws it: the HTTP status, and the response's headers. */
function connectorError(statusCode: number, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`HTTP ${statusCode}`), {
    statusCode,
    response: { headers: { get: (name: string) => headers[name.toLowerCase()] } },
  });
}

describe("failureOf (what a Bot Framework connector error means for a nudge delivery)", () => {
  it("waits out a 429 for its Retry-After, or 5 s when it names none: nothing was posted", () => {
    expect(failureOf(connectorError(429, { "retry-after": "7" }))).toEqual({
      kind: "rate_limited",
      retryAfterSeconds: 7,
    });
    expect(failureOf(connectorError(429))).toEqual({ kind: "rate_limited", retryAfterSeconds: 5 });
  });

  it("takes a 412, and a connection that never opened, for nothing posted", () => {
    expect(failureOf(connectorError(412))).toEqual({ kind: "not_taken", detail: "HTTP 412" });
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    expect(failureOf(refused)).toMatchObject({ kind: "not_taken" });
  });

  it("takes a 5xx, a 408, a timeout and a dropped connection after the request went out for an unknown outcome", () => {
    for (const status of [500, 502, 503, 504, 408]) {
      expect(failureOf(connectorError(status))).toEqual({ kind: "unavailable", detail: `HTTP ${status}` });
    }
    expect(failureOf(new ConnectorTimeout(10_000))).toEqual({
      kind: "unavailable",
      detail: "the Bot Framework connector did not answer within 10 s",
    });
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    expect(failureOf(reset)).toEqual({ kind: "unavailable", detail: "socket hang up" });
  });

  it("takes any failure before the message went out (creating a person's chat) for nothing posted", () => {
    expect(failureOf(connectorError(502), { sent: false })).toEqual({ kind: "not_taken", detail: "HTTP 502" });
    expect(failureOf(new ConnectorTimeout(10_000), { sent: false })).toMatchObject({ kind: "not_taken" });
  });

  it("gives up on what retrying will not change (403: the bot was removed from the team)", () => {
    expect(failureOf(connectorError(403))).toMatchObject({
      kind: "rejected",
      detail: expect.stringContaining("HTTP 403"),
    });
    expect(failureOf(connectorError(403), { sent: false })).toMatchObject({ kind: "rejected" });
  });
});

describe("conversationKind (where Graph may be asked for a conversation's messages)", () => {
  const scope = (conversationId: string, kind: InstallScope["scope"]): InstallScope => ({
    conversationId,
    scope: kind,
    reference: "{}",
    installedBy: null,
    removedAt: null,
    createdAt: new Date(),
  });

  it("tells a team's channel, a group chat and a personal chat apart by their ids", () => {
    expect(conversationKind("19:abc123@thread.tacv2", [])).toBe("channel");
    expect(conversationKind("19:abc123@thread.skype", [])).toBe("channel");
    expect(conversationKind("19:9f8e7d@thread.v2", [])).toBe("chat");
    expect(conversationKind("a:1XyZ-personal-chat", [])).toBe("personal");
  });

  it("believes the scope the app was added in over the id's look", () => {
    expect(conversationKind("19:odd@thread.tacv2", [scope("19:odd@thread.tacv2", "groupChat")])).toBe("chat");
    expect(conversationKind("19:odd@thread.v2", [scope("19:odd@thread.v2", "personal")])).toBe("personal");
  });
});

describe("isPersonTarget (an owner's own nudge, rather than a conversation's)", () => {
  it("takes Teams user ids and Entra object ids for people", () => {
    expect(isPersonTarget("29:1AbCdEf-GhIjK_lmn")).toBe(true);
    expect(isPersonTarget("6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b")).toBe(true);
  });

  it("leaves channels, group chats and personal chats to the stored reference", () => {
    expect(isPersonTarget("19:abc123@thread.tacv2")).toBe(false);
    expect(isPersonTarget("19:meeting_xyz@thread.v2")).toBe(false);
    expect(isPersonTarget("a:1XyZ-personal-chat")).toBe(false);
  });
});
