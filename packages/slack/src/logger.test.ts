import { LogLevel } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { boltLogger, scrubSecrets } from "./logger.js";

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
