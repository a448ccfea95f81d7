import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "@touchpoint/core";

/** Bolt and the Slack SDKs log through this, into the app's structured log. */
export function boltLogger(logger: Logger, name = "slack"): BoltLogger {
  let level = LogLevel.INFO;
  let label = name;
  const text = (parts: unknown[]) => parts.map((p) => (p instanceof Error ? p.message : String(p))).join(" ");
  return {
    debug: (...parts) => logger.debug({ component: label }, text(parts)),
    info: (...parts) => logger.info({ component: label }, text(parts)),
    warn: (...parts) => logger.warn({ component: label }, text(parts)),
    error: (...parts) => logger.error({ component: label, err: parts.find((p) => p instanceof Error) }, text(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next) => {
      label = next;
    },
  };
}
