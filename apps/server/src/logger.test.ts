import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

describe("logs", () => {
  it("are JSON lines with secrets redacted wherever they sit", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => lines.push(line) } });
    logger.info(
      {
        token: "xoxb-111-secret",
        installation: { botToken: "xoxb-222-secret", team: "T1" },
        account: { credentials: "AAAA-bearer-secret" },
        req: { headers: { authorization: "Bearer zzz-secret", "user-agent": "Slackbot" } },
      },
      "installed",
    );
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry).toMatchObject({ level: 30, msg: "installed", app: "touchpoint", installation: { team: "T1" } });
    expect(entry.req.headers["user-agent"]).toBe("Slackbot");
    expect(lines[0]).not.toMatch(/secret/);
    expect(lines[0]).toContain("[redacted]");
  });

  it("redact the encryption keys, the previous one of a rotation too", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => lines.push(line) } });
    logger.info(
      {
        previousEncryptionKey: "old-key-secret",
        env: { TOUCHPOINT_ENCRYPTION_KEY: "new-key-secret", TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS: "old-key-secret" },
        rotation: {
          encryptionKey: "new-key-secret",
          previousEncryptionKey: "old-key-secret",
          keyId: "0a1b2c3d4e5f6a7b",
        },
      },
      "rotating",
    );
    expect(lines[0]).not.toMatch(/key-secret/);
    expect(JSON.parse(lines[0] ?? "{}").rotation.keyId).toBe("0a1b2c3d4e5f6a7b");
  });

  it("respect the level", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "warn", destination: { write: (line: string) => lines.push(line) } });
    logger.info("quiet");
    logger.warn("loud");
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(["loud"]);
  });
});
