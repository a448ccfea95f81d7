import { Readable } from "node:stream";
import { sharedEmbeddedDb, sharedEmbeddedStorage } from "@touchpoint/db/testing";
import type { CliContext, Output } from "../cli/context.js";
import { runCli } from "../cli/program.js";
import type { OpenDatabase } from "../database.js";
import { loadEnv } from "../env.js";
import { createLogger } from "../logger.js";

/** The worker's shared PGlite as an OpenDatabase that outlives each command. */
export async function sharedDatabase(): Promise<OpenDatabase> {
  const handle = await sharedEmbeddedDb();
  return { handle, storage: await sharedEmbeddedStorage(), description: "test PGlite", close: async () => {} };
}

export const silentLogger = createLogger({ level: "silent", destination: "stderr", pretty: false });

/** A log line as the server wrote it (pino's JSON): `msg` and the details beside it. */
export type LogLine = Readonly<Record<string, unknown>> & { readonly msg?: string };

/**
 * A logger that keeps every line, for a test that awaits what the server says it did (work a
 * listener finishes after Slack has its ack), or checks what a log line may not carry.
 */
export function recordingLogger(level = "info") {
  const lines: LogLine[] = [];
  const listeners = new Set<(line: LogLine) => void>();
  const logger = createLogger({
    level,
    pretty: false,
    destination: {
      write(raw: string) {
        const line = JSON.parse(raw) as LogLine;
        lines.push(line);
        for (const listener of [...listeners]) listener(line);
      },
    },
  });
  /** The first line with this message (after `since` lines), already written or still to come. */
  function waitFor(message: string, since = 0, timeoutMs = 5000): Promise<LogLine> {
    const seen = lines.slice(since).find((line) => line.msg === message);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const listener = (line: LogLine) => {
        if (line.msg !== message) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(line);
      };
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`no log line "${message}" within ${timeoutMs} ms`));
      }, timeoutMs);
      listeners.add(listener);
    });
  }
  return { logger, lines: lines as readonly LogLine[], waitFor };
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI program in-process against the shared test database, capturing its output. */
export async function cli(...args: string[]): Promise<CliRun> {
  return cliWith({}, ...args);
}

/** `cli` with environment variables set (X_API_URL, X_BEARER_TOKEN…) and, optionally, piped input. */
export async function cliWith(
  options: { readonly env?: Record<string, string>; readonly stdin?: string },
  ...args: string[]
): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out: Output = { print: (t) => stdout.push(t), error: (t) => stderr.push(t) };
  const database = await sharedDatabase();
  const context = (): CliContext => ({
    env: loadEnv(options.env ?? {}),
    out,
    stdin: () => (options.stdin === undefined ? null : Readable.from([options.stdin])),
    openDatabase: async () => database,
  });
  const code = await runCli(args, { context, out });
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

export { importContactsFile } from "../cli/import-contacts.js";
export { type OpenDatabase, openDatabase } from "../database.js";
export { loadEnv } from "../env.js";
export { createMentionPoller } from "../jobs/poll-mentions.js";
export { type RunningServer, startServer } from "../main.js";
