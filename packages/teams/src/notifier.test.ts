import { describe, expect, it } from "vitest";
import { failureOf, isPersonTarget } from "./notifier.js";

/** A connector error as botbuilder throws it: the HTTP status, and the response's headers. */
function connectorError(statusCode: number, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`HTTP ${statusCode}`), {
    statusCode,
    response: { headers: { get: (name: string) => headers[name.toLowerCase()] } },
  });
}

describe("failureOf (what a Bot Framework connector error means for a nudge delivery)", () => {
  it("waits out a 429 for its Retry-After, or 5 s when it names none", () => {
    expect(failureOf(connectorError(429, { "retry-after": "7" }))).toEqual({
      kind: "rate_limited",
      retryAfterSeconds: 7,
    });
    expect(failureOf(connectorError(429))).toEqual({ kind: "rate_limited", retryAfterSeconds: 5 });
  });

  it("tries 412, 502 and 504 again, and a dropped connection", () => {
    for (const status of [412, 502, 504]) {
      expect(failureOf(connectorError(status))).toEqual({ kind: "unavailable", detail: `HTTP ${status}` });
    }
    expect(failureOf(new Error("socket hang up"))).toEqual({ kind: "unavailable", detail: "socket hang up" });
  });

  it("gives up on what retrying will not change (403: the bot was removed from the team)", () => {
    expect(failureOf(connectorError(403))).toMatchObject({
      kind: "rejected",
      detail: expect.stringContaining("HTTP 403"),
    });
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
