import { DrizzleQueryError } from "drizzle-orm";
import { PgPreparedQuery } from "drizzle-orm/pg-core";

/**
 * A failed query as the database reported it, and nothing of the data it was sent.
 *
 * What the libraries throw carries the data into whatever prints or logs it: drizzle's error reads
 * "Failed query: <sql> params: <values>" and keeps both as fields; PGlite keeps `query` and
 * `params` on its own errors, enumerable, so a log serializer writes them out; PostgreSQL's
 * `detail` quotes the failing row ("Key (email)=(jane@example.org) already exists", "Failing row
 * contains (…)"), and a data error's message quotes the value it could not read ("invalid input
 * syntax for type uuid: "Maria Chen""). This keeps the database's own code and message, with any
 * value it quotes taken out, the schema names it reports, and which kind of statement on which
 * table failed: enough to know what went wrong, never whose data it was.
 */
export class DatabaseError extends Error {
  override readonly name = "DatabaseError";
  /** The SQLSTATE ("22021", "23505"…), or the driver's own code ("CONNECTION_CLOSED"). */
  readonly code: string | undefined;
  /** The database's message alone, without the code and statement the full message adds. */
  readonly reason: string;
  readonly severity: string | undefined;
  readonly table: string | undefined;
  readonly column: string | undefined;
  readonly constraint: string | undefined;
  /** "insert on contacts": what kind of statement failed, and on which table, never its text. */
  readonly statement: string | undefined;

  constructor(fields: {
    readonly reason: string;
    readonly code?: string | undefined;
    readonly severity?: string | undefined;
    readonly table?: string | undefined;
    readonly column?: string | undefined;
    readonly constraint?: string | undefined;
    readonly statement?: string | undefined;
  }) {
    const where = [fields.code && `SQLSTATE ${fields.code}`, fields.statement].filter(Boolean).join(", ");
    super(where === "" ? fields.reason : `${fields.reason} (${where})`);
    this.reason = fields.reason;
    this.code = fields.code;
    this.severity = fields.severity;
    this.table = fields.table;
    this.column = fields.column;
    this.constraint = fields.constraint;
    this.statement = fields.statement;
  }
}

type Fields = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** An error from postgres.js (PostgresError) or PGlite (pg-protocol's DatabaseError): the server's report. */
function isServerError(error: unknown): error is Error & Fields {
  return error instanceof Error && typeof (error as unknown as Fields).severity === "string" && "code" in error;
}

/** Every string a query was sent, however the driver holds them (arrays for arrays, JSON for jsonb). */
function parameterTexts(params: unknown): string[] {
  if (typeof params === "string") return params === "" ? [] : [params];
  if (Array.isArray(params)) return params.flatMap(parameterTexts);
  return [];
}

/**
 * The message with every value it quotes taken out: each parameter that appears in quotes, and,
 * for data errors (SQLSTATE class 22, whose messages quote the input they could not read), any
 * quoted text that is not a plain name such as "UTF8".
 */
function withoutValues(message: string, params: unknown, code: string | undefined): string {
  let clean = message;
  for (const value of parameterTexts(params).sort((a, b) => b.length - a.length)) {
    clean = clean.split(`"${value}"`).join('"…"');
  }
  if (code?.startsWith("22"))
    clean = clean.replace(/"([^"]*)"/g, (quoted, inner: string) => (/^\w+$/.test(inner) ? quoted : '"…"'));
  return clean;
}

/** "insert on contacts" from the statement's text: its first word and the first table it names. */
function describeStatement(query: unknown): string | undefined {
  if (typeof query !== "string") return undefined;
  const verb = /^\s*([a-z]+)/i.exec(query)?.[1]?.toLowerCase();
  if (verb === undefined) return undefined;
  const table = /\b(?:into|update|from|table)\s+("(?:[^"]|"")+"|[a-z_][\w.]*)/i.exec(query)?.[1]?.replace(/"/g, "");
  return table === undefined ? verb : `${verb} on ${table}`;
}

function fromDriver(cause: unknown, params: unknown, query: unknown): DatabaseError {
  const fields: Fields = typeof cause === "object" && cause !== null ? (cause as Fields) : {};
  const code = text(fields.code);
  const message = cause instanceof Error ? cause.message : String(cause);
  return new DatabaseError({
    reason: withoutValues(message, params, code),
    code,
    severity: text(fields.severity),
    // postgres.js names them table_name…, PGlite table…
    table: text(fields.table_name ?? fields.table),
    column: text(fields.column_name ?? fields.column),
    constraint: text(fields.constraint_name ?? fields.constraint),
    statement: describeStatement(query),
  });
}

/** A DatabaseError for anything a driver or drizzle threw about a query; anything else as it is. */
export function toDatabaseError(error: unknown): unknown {
  if (error instanceof DatabaseError) return error;
  if (error instanceof DrizzleQueryError) return fromDriver(error.cause, error.params, error.query);
  if (isServerError(error)) return fromDriver(error, error.params ?? error.parameters, error.query);
  return error;
}

/** The drizzle method every query of every PostgreSQL driver passes through (drizzle-orm 0.45). */
interface QueryFunnel {
  queryWithCache(queryString: string, params: unknown[], query: () => Promise<unknown>): Promise<unknown>;
}

let installed = false;

/**
 * Makes every failed query throw a DatabaseError, before any caller (a use case, a log line, the
 * CLI's last-resort printing, Slack's and Teams' error handlers) can see what drizzle threw.
 * Cleaning at the one place errors come from, rather than in each place that prints them, leaves
 * no printer to forget, including the SDKs' own loggers.
 *
 * drizzle has no hook for its errors, so this wraps the internal method that builds them. Should
 * an upgrade rename it, this throws at start-up rather than let the data through unnoticed.
 */
export function cleanQueryErrors(): void {
  if (installed) return;
  const funnel = PgPreparedQuery.prototype as unknown as Partial<QueryFunnel>;
  const original = funnel.queryWithCache;
  if (typeof original !== "function") {
    throw new Error("drizzle-orm's PgPreparedQuery.queryWithCache is gone: update packages/db/src/errors.ts");
  }
  funnel.queryWithCache = async function queryWithCleanErrors(this: QueryFunnel, ...args) {
    try {
      return await original.apply(this, args);
    } catch (error) {
      throw toDatabaseError(error);
    }
  };
  installed = true;
}
