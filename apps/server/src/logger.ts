import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

/** Field names whose values never reach a log line, wherever they appear. */
const SECRET_PATHS = [
  "token",
  "*.token",
  "botToken",
  "*.botToken",
  "credentials",
  "*.credentials",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
  "encryptionKey",
  "*.encryptionKey",
  "previousEncryptionKey",
  "*.previousEncryptionKey",
  // The environment's own names, should a settings object ever be logged.
  "TOUCHPOINT_ENCRYPTION_KEY",
  "*.TOUCHPOINT_ENCRYPTION_KEY",
  "TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS",
  "*.TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS",
];

/**
 * Structured logs (pino). The CLI logs to stderr so that stdout stays the command's output;
 * a terminal gets readable lines, anything else JSON. Writes are synchronous so that nothing is
 * lost when a command exits.
 */
export function createLogger(options: {
  readonly level: string;
  /** A file descriptor's name, or any stream (tests). */
  readonly destination?: "stdout" | "stderr" | pino.DestinationStream;
  readonly pretty?: boolean;
}): Logger {
  const { destination = "stdout" } = options;
  const fd = destination === "stderr" ? 2 : 1;
  const usePretty =
    typeof destination === "string" &&
    (options.pretty ?? Boolean(fd === 1 ? process.stdout.isTTY : process.stderr.isTTY));
  const stream =
    typeof destination !== "string"
      ? destination
      : usePretty
        ? pretty({ destination: fd, sync: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,app" })
        : pino.destination({ fd, sync: true });
  return pino(
    {
      level: options.level,
      base: { app: "touchpoint" },
      redact: { paths: SECRET_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
}
