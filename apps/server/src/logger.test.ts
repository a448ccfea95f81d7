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

  it("respect the level", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "warn", destination: { write: (line: string) => lines.push(line) } });
    logger.info("quiet");
    logger.warn("loud");
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(["loud"]);
  });
});
