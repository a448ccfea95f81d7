import { newTenant } from "@touchpoint/core/testing";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";
import { sharedDatabase } from "./testing/index.js";

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

  it("log a failed query by the database's code and message, never the SQL or the contact it carried", async () => {
    const { storage } = await sharedDatabase();
    const tenantId = await newTenant(storage);
    // What the core's checks now refuse earlier: here the database has to refuse it.
    const failure = await storage
      .withTenant(tenantId, (r) => r.contacts.create({ name: "Maria\u0000Chen", notes: "Met at the gala" }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => lines.push(line) } });
    logger.error({ err: failure, tenantId }, "a Slack command failed");

    const entry = JSON.parse(lines[0] ?? "{}");
    expect(entry.err).toMatchObject({
      type: "DatabaseError",
      code: "22021",
      message: 'invalid byte sequence for encoding "UTF8": 0x00 (SQLSTATE 22021, insert on contacts)',
      statement: "insert on contacts",
    });
    for (const leak of ["Maria", "Met at the gala", "insert into", "Failed query", "params"]) {
      expect(lines[0]).not.toContain(leak);
    }
  });
});
