import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "@touchpoint/core";

/**
 * Keys whose values are secrets wherever they sit in a payload the SDKs log: OAuth and API
 * fields, and the block ids of modal inputs that take a secret (the connect-x modal's bearer
 * token is `token`), whose typed value sits beneath them in `view.state.values`.
 */
const SECRET_KEYS = new Set([
  "token",
  "bot_token",
  "access_token",
  "refresh_token",
  "app_token",
  "client_secret",
  "signing_secret",
  "code",
  "bearer",
  "bearer_token",
  "password",
  "app_password",
  "secret",
  "authorization",
]);

/** Secrets the SDKs put in their own debug text outside JSON (form bodies, headers, bare tokens). */
const SECRETS_IN_TEXT: readonly [RegExp, string][] = [
  [
    /("(?:client_secret|code|token|refresh_token|access_token|signing_secret|app_token)"\s*:\s*")[^"]*"/gi,
    '$1[redacted]"',
  ],
  [/\b((?:client_secret|code|token|refresh_token)=)[^&\s"]+/gi, "$1[redacted]"],
  [/\b(xox[a-z]-|xapp-)[A-Za-z0-9-]+/g, "$1[redacted]"],
  [/(Bearer\s+)[A-Za-z0-9._~+/-]+=*/gi, "$1[redacted]"],
];

/** Every string under a secret key is blanked, however deep (an input's value under its block id). */
function redact(value: unknown, secret = false): unknown {
  if (typeof value === "string") return secret ? "[redacted]" : value;
  if (Array.isArray(value)) return value.map((item) => redact(item, secret));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, redact(inner, secret || SECRET_KEYS.has(key.toLowerCase()))]),
    );
  }
  return value;
}

/**
 * Where the JSON value starting at `start` (a `{` or `[`) ends, by brackets outside strings; the
 * index after it, or -1 if the text ends first. JSON.parse then says whether it really is JSON.
 */
function endOfJson(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The SDKs print whole payloads into their messages ("Received a message on the WebSocket: {…}"). */
function redactJsonIn(text: string): string {
  let out = "";
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "{" && text[i] !== "[") continue;
    const end = endOfJson(text, i);
    if (end < 0) break;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.slice(i, end));
    } catch {
      continue;
    }
    out += text.slice(at, i) + JSON.stringify(redact(parsed));
    at = end;
    i = end - 1;
  }
  return out + text.slice(at);
}

export function scrubSecrets(text: string): string {
  return SECRETS_IN_TEXT.reduce(
    (clean, [pattern, replacement]) => clean.replace(pattern, replacement),
    redactJsonIn(text),
  );
}

const ORDER = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/**
 * Bolt and the Slack SDKs log through this, into the app's structured log. Messages below `level`
 * are dropped before they are formatted: the SDKs write a debug line for every request.
 */
export function boltLogger(logger: Logger, level: LogLevel = LogLevel.INFO, name = "slack"): BoltLogger {
  let label = name;
  const enabled = (at: LogLevel) => ORDER.indexOf(at) >= ORDER.indexOf(level);
  const text = (parts: unknown[]) =>
    scrubSecrets(
      parts
        .map((p) => (p instanceof Error ? p.message : typeof p === "string" ? p : JSON.stringify(redact(p))))
        .join(" "),
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
    // Bolt's App sets its own default (INFO) on the logger it is given, which would silence
    // LOG_LEVEL=debug after start-up: the level is Touchpoint's setting, not the SDKs'.
    setLevel: () => {},
    getLevel: () => level,
    setName: (next) => {
      label = next;
    },
  };
}
