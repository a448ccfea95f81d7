import { resolveTenant, type Tenant } from "@touchpoint/core";
import { type DatabaseReport, type OpenDatabase, openDatabase, WrongEncryptionKey } from "../database.js";
import { type Env, loadEnv } from "../env.js";

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

/** Where a command's words go: stdout for its output, stderr for problems. Tests capture both. */
export interface Output {
  print(text: string): void;
  error(text: string): void;
}

export const processOutput: Output = {
  print: (text) => process.stdout.write(`${text}\n`),
  error: (text) => process.stderr.write(`${text}\n`),
};

export interface CliContext {
  readonly env: Env;
  readonly out: Output;
  /** Piped standard input, or null at a terminal (where nothing is piped). */
  readonly stdin?: () => AsyncIterable<Buffer | string> | null;
  openDatabase(): Promise<OpenDatabase>;
}

export function cliContext(out: Output = processOutput): CliContext {
  const env = loadEnv();
  return {
    env,
    out,
    stdin: () => (process.stdin.isTTY ? null : process.stdin),
    openDatabase: () => openDatabase(env, reportTo(out)).catch(refusedDatabase),
  };
}

/** A database refused for a reason its settings can fix (the wrong key): one line, as any CliError. */
export function refusedDatabase(error: unknown): never {
  if (error instanceof WrongEncryptionKey) throw new CliError(error.message);
  throw error;
}

/** Database progress for a person at a terminal, on stderr so stdout stays the command's output. */
export function reportTo(out: Output): DatabaseReport {
  return (event) => {
    switch (event.kind) {
      case "key-generated":
        return out.error(`· generated an encryption key in ${event.path} (keep it with the data)`);
      case "migrating":
        return out.error(`· applying ${plural(event.pending.length, "migration")}: ${event.pending.join(", ")}`);
      case "migrated":
        return out.error(`· migrations applied in ${event.ms} ms`);
    }
  };
}

export async function withDatabase<T>(ctx: CliContext, work: (db: OpenDatabase) => Promise<T>): Promise<T> {
  const db = await ctx.openDatabase();
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

export function plural(count: number, word: string): string {
  return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
}

export function printJson(out: Output, value: unknown): void {
  out.print(JSON.stringify(value, null, 2));
}

/** A plain aligned table: readable in a terminal, no box drawing to break copy-paste. */
export function printTable(out: Output, headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  out.print(line(headers));
  for (const row of rows) out.print(line(row));
}
