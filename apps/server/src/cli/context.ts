import { resolveTenant, type Tenant } from "@touchpoint/core";
import { type OpenDatabase, openDatabase } from "../database.js";
import { type Env, loadEnv } from "../env.js";
import { createLogger, type Logger } from "../logger.js";

/** An expected failure: its message is the whole story, no stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export interface CliContext {
  readonly env: Env;
  readonly logger: Logger;
}

export function cliContext(): CliContext {
  const env = loadEnv();
  // Logs go to stderr; stdout carries what the command prints. Routine info stays quiet at the terminal.
  return { env, logger: createLogger({ level: env.LOG_LEVEL, destination: "stderr" }) };
}

export async function withDatabase<T>(ctx: CliContext, work: (db: OpenDatabase) => Promise<T>): Promise<T> {
  const db = await openDatabase(ctx.env, ctx.logger);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

export async function tenantOrFail(db: OpenDatabase, ref: string): Promise<Tenant> {
  const tenant = await resolveTenant({ storage: db.storage }, ref);
  if (!tenant.ok) throw new CliError(`${tenant.error.message} See \`touchpoint tenants list\`.`);
  return tenant.value;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain aligned table: readable in a terminal, no box drawing to break copy-paste. */
export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}
