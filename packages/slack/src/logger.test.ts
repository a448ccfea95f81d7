import { LogLevel } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { connectXModal } from "./blocks/views.js";
import { boltLogger, scrubSecrets } from "./logger.js";

const BEARER = "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4";

/** A connect-x submission as Slack sends it: every input of the real modal, typed into. */
function connectXSubmission(typed: { readonly handle: string; readonly token: string }) {
  const values: Record<string, Record<string, { type: string; value: string }>> = {};
  for (const block of connectXModal(undefined).blocks as { type: string; block_id?: string; element?: unknown }[]) {
    if (block.type !== "input" || !block.block_id) continue;
    const actionId = (block.element as { action_id: string }).action_id;
    const value = block.block_id === "handle" ? typed.handle : typed.token;
    values[block.block_id] = { [actionId]: { type: "plain_text_input", value } };
  }
  return {
    type: "view_submission",
    team: { id: "T1" },
    user: { id: "U1" },
    view: { callback_id: "connect_x_view", state: { values } },
  };
}

describe("the Slack SDKs' log text", () => {
  it("loses the secrets the SDKs print in request bodies and headers", () => {
    const lines: string[] = [];
    const capture = (_details: object, message?: string) => lines.push(message ?? "");
    const logger = boltLogger({ debug: capture, info: capture, warn: capture, error: capture }, LogLevel.DEBUG);
    logger.debug("http request body:", { client_id: "1.2", client_secret: "s3cr3t-client", code: "oauth-code-123" });
    logger.debug("http request headers: Authorization: Bearer xoxb-111-222-abcDEF");
    logger.info("form body client_secret=s3cr3t-client&code=oauth-code-123&redirect_uri=https://x");
    logger.warn("token xapp-1-A1-2-abc refused");
    const all = lines.join("\n");
    for (const secret of ["s3cr3t-client", "oauth-code-123", "111-222-abcDEF", "1-A1-2-abc"])
      expect(all).not.toContain(secret);
    expect(all).toContain('"client_id":"1.2"');
    expect(all).toContain("redirect_uri=https://x");
  });

  it("blanks the connect-x token in a logged Socket Mode payload, and keeps the rest of it", () => {
    const lines: string[] = [];
    const capture = (_details: object, message?: string) => lines.push(message ?? "");
    const logger = boltLogger({ debug: capture, info: capture, warn: capture, error: capture }, LogLevel.DEBUG);
    const envelope = {
      envelope_id: "e1",
      type: "interactive",
      accepts_response_payload: true,
      payload: connectXSubmission({ handle: "@riversidefood", token: BEARER }),
    };
    logger.debug(`Received a message on the WebSocket: ${JSON.stringify(envelope)}`);
    logger.debug(`ack() call begins (body: ${JSON.stringify(envelope.payload)}) after {not json`);
    logger.debug("body", envelope.payload);
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain(BEARER);
      expect(line).not.toContain(BEARER.slice(30, 60));
      expect(line).toContain("@riversidefood");
      expect(line).toContain("connect_x_view");
    }
    expect(lines[0]).toMatch(/^Received a message on the WebSocket: \{"envelope_id":"e1"/);
    expect(lines[1]).toMatch(/\) after \{not json$/);
  });

  it("keeps LOG_LEVEL's level when an SDK sets its own default", () => {
    const lines: string[] = [];
    const capture = (_details: object, message?: string) => lines.push(message ?? "");
    const logger = boltLogger({ debug: capture, info: capture, warn: capture, error: capture }, LogLevel.DEBUG);
    logger.setLevel(LogLevel.INFO); // what Bolt's App does with a logger it is given
    expect(logger.getLevel()).toBe(LogLevel.DEBUG);
    logger.debug("payload detail");
    expect(lines).toEqual(["payload detail"]);
  });

  it("drops what is below the level before formatting it", () => {
    const lines: string[] = [];
    const capture = (_details: object, message?: string) => lines.push(message ?? "");
    const logger = boltLogger({ debug: capture, info: capture, warn: capture, error: capture });
    logger.debug("per-request detail", { big: "x".repeat(10) });
    logger.info("installed");
    expect(lines).toEqual(["installed"]);
  });

  it("leaves ordinary text alone", () => {
    expect(scrubSecrets("Logged a call with Jane about the gala code review")).toBe(
      "Logged a call with Jane about the gala code review",
    );
  });
});
