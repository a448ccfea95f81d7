import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "@touchpoint/core";

/**
 * Secrets the Slack SDKs put in their own debug text (request bodies, headers): the app's log
 * redacts fields by name, but these arrive inside messages.
 */
const SECRETS_IN_TEXT: readonly [RegExp, string][] = [
  [
    /("(?:client_secret|code|token|refresh_token|access_token|signing_secret|app_token)"\s*:\s*")[^"]*"/gi,
    '$1[redacted]"',
  ],
  [/\b((?:client_secret|code|token|refresh_token)=)[^&\s"]+/gi, "$1[redacted]"],
  [/\b(xox[a-z]-|xapp-)[A-Za-z0-9-]+/g, "$1[redacted]"],
  [/(Bearer\s+)[A-Za-z0-9._~+/-]+=*/gi, "$1[redacted]"],
];

export function scrubSecrets(text: string): string {
  return SECRETS_IN_TEXT.reduce((clean, [pattern, replacement]) => clean.replace(pattern, replacement), text);
}

const ORDER = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/**
 * Bolt and the Slack SDKs log through this, into the app's structured log. Messages below `level`
 * are dropped before they are formatted: the SDKs write a debug line for every request.
 */
export function boltLogger(logger: Logger, initialLevel: LogLevel = LogLevel.INFO, name = "slack"): BoltLogger {
  let level = initialLevel;
  let label = name;
  const enabled = (at: LogLevel) => ORDER.indexOf(at) >= ORDER.indexOf(level);
  const text = (parts: unknown[]) =>
    scrubSecrets(
      parts.map((p) => (p instanceof Error ? p.message : typeof p === "string" ? p : JSON.stringify(p))).join(" "),
    );
  return {
    debug: (...parts) => {
      if (enabled(LogLevel.DEBUG)) logger.debug({ component: label }, text(parts));
    },
    info: (...parts) => {
      if (enabled(LogLevel.INFO)) logger.info({ component: label }, text(parts));
    },
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
