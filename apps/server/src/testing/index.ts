import { Readable } from "node:stream";
import { sharedEmbeddedDb, sharedEmbeddedStorage } from "@touchpoint/db/testing";
import type { CliContext, Output } from "../cli/context.js";
import { runCli } from "../cli/program.js";
import type { OpenDatabase } from "../database.js";
import { loadEnv } from "../env.js";
import { createLogger, type Logger } from "../logger.js";

/** The worker's shared PGlite as an OpenDatabase that outlives each command. */
export async function sharedDatabase(): Promise<OpenDatabase> {
  const handle = await sharedEmbeddedDb();
  return { handle, storage: await sharedEmbeddedStorage(), description: "test PGlite", close: async () => {} };
}

export const silentLogger = createLogger({ level: "silent", destination: "stderr", pretty: false });

/** The server's logger writing its JSON lines into `lines`, for tests that read what was logged. */
export function capturingLogger(): { readonly logger: Logger; readonly lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level: "info", destination: { write: (line: string) => lines.push(line) } }), lines };
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
