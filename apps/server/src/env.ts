import { z } from "zod";

/**
 * The only reader of process.env. Every variable from CONTRACT.md is parsed here once; a missing
 * or malformed one stops start-up with one line naming it and saying what it needs.
 */

const optionalText = z.string().trim().min(1).optional();

// Parsed the way the driver will parse it, so a password with a stray / or # fails here, by name,
// instead of inside the driver (whose errors carry the whole URL).
const postgresUrl = z
  .string()
  .trim()
  .refine(
    (value) => URL.canParse(value) && /^postgres(ql)?:$/.test(new URL(value).protocol),
    "a postgres:// or postgresql:// URL (percent-encode special characters in the password)",
  )
  .optional();

const httpUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^https?:/.test(value), "an http:// or https:// URL");

const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], { message: "true or false" })
    .default(fallback ? "true" : "false")
    .transform((value) => ["true", "1", "yes", "on"].includes(value));

const encryptionKey = z
  .string()
  .trim()
  .refine(
    (value) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(value) && Buffer.from(value, "base64").length === 32,
    "32 random bytes in base64 (make one with: openssl rand -base64 32)",
  )
  .optional();

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: `one of ${values.join(", ")}` });

const schema = z.object({
  NODE_ENV: oneOf(["development", "production", "test"]).default("development"),
  DATABASE_URL: postgresUrl,
  DATABASE_ADMIN_URL: postgresUrl,
  TOUCHPOINT_DATA_DIR: z.string().trim().min(1).default("./.touchpoint"),
  TOUCHPOINT_ENCRYPTION_KEY: encryptionKey,
  TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS: encryptionKey,
  PORT: z.coerce
    .number({ message: "a port number" })
    .int("a whole port number")
    .min(0, "a port from 0 to 65535")
    .max(65535, "a port from 0 to 65535")
    .default(3000),
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  PUBLIC_URL: httpUrl.optional(),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: httpUrl.default("https://slack.com/api/"),
  TEAMS_APP_ID: optionalText,
  TEAMS_APP_PASSWORD: optionalText,
  TEAMS_APP_TENANT_ID: optionalText,
  TEAMS_APP_TYPE: oneOf(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).optional(),
  TEAMS_ALLOW_UNAUTHENTICATED: flag(false),
  TEAMS_GRAPH_URL: httpUrl.optional(),
  /**
   * How long after a Teams post that may have gone through the sender waits before looking for it
   * in Graph, whose listing lags the connector (tests shorten it).
   */
  TEAMS_GRAPH_SETTLE_SECONDS: z.coerce
    .number({ message: "a number of seconds" })
    .min(0, "0 seconds or more")
    .default(30),
  X_API_URL: httpUrl.default("https://api.x.com"),
  X_POLL_INTERVAL: z.coerce
    .number({ message: "a number of seconds" })
    .int("a whole number of seconds")
    .min(15, "at least 15 seconds (X rate limits)")
    .default(120),
  X_BEARER_TOKEN: optionalText,
  TOUCHPOINT_SCHEDULER: oneOf(["on", "off"]).default("on"),
  TOUCHPOINT_DELIVERY_RETRY_SECONDS: z.coerce
    .number({ message: "a number of seconds" })
    .positive("more than 0 seconds")
    .default(5),
  LOG_LEVEL: oneOf(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** Rules across variables, checked on the raw values so they are reported alongside any others. */
function crossProblems(raw: Record<string, string>): [string, string][] {
  const problems: [string, string][] = [];
  if (raw.DATABASE_URL && !raw.TOUCHPOINT_ENCRYPTION_KEY) {
    problems.push([
      "TOUCHPOINT_ENCRYPTION_KEY",
      "required with DATABASE_URL: 32 random bytes in base64 (make one with: openssl rand -base64 32)",
    ]);
  }
  problems.push(...previousKeyProblems(raw));
  if (raw.DATABASE_ADMIN_URL && !raw.DATABASE_URL) {
    problems.push(["DATABASE_ADMIN_URL", "set DATABASE_URL too; the admin URL only runs migrations"]);
  }
  problems.push(...teamsProblems(raw));
  if ((raw.SLACK_SIGNING_SECRET || raw.SLACK_APP_TOKEN) && !raw.SLACK_BOT_TOKEN && !raw.SLACK_CLIENT_ID) {
    problems.push([
      "SLACK_BOT_TOKEN",
      "Slack needs credentials: SLACK_BOT_TOKEN for one workspace, or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install in many",
    ]);
  }
  if (raw.SLACK_APP_TOKEN && raw.SLACK_CLIENT_ID) {
    problems.push([
      "SLACK_APP_TOKEN",
      "Socket Mode is for trying Touchpoint in one workspace: use it with SLACK_BOT_TOKEN, not the OAuth variables",
    ]);
  }
  if (raw.SLACK_BOT_TOKEN && raw.SLACK_CLIENT_ID) {
    problems.push(["SLACK_BOT_TOKEN", "set it or the OAuth variables (SLACK_CLIENT_ID…), not both"]);
  }
  if ((raw.SLACK_BOT_TOKEN || raw.SLACK_CLIENT_ID) && !raw.SLACK_SIGNING_SECRET && !raw.SLACK_APP_TOKEN) {
    problems.push([
      "SLACK_SIGNING_SECRET",
      "needed to verify Slack's requests (or SLACK_APP_TOKEN for Socket Mode in development)",
    ]);
  }
  const oauth = ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"] as const;
  const missing = oauth.filter((name) => !raw[name]);
  if (missing.length > 0 && missing.length < oauth.length) {
    problems.push([
      missing[0] ?? "SLACK_CLIENT_ID",
      `needed with the other Slack OAuth variables (missing: ${missing.join(", ")})`,
    ]);
  }
  return problems;
}

/** The addresses only this machine can reach, as HOST names them. */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);

/**
 * Teams without credentials checks no token: anyone who can reach the server could speak as any
 * Teams organization. So it runs only where that is meant (NODE_ENV=development or test, said
 * explicitly: unset means development by default, which a forgotten production deploy would be
 * too) and only on a loopback HOST, where nothing off this machine reaches it. One line, the first
 * rule it breaks.
 */
function unauthenticatedTeamsProblem(raw: Record<string, string>): string | undefined {
  const mode = raw.NODE_ENV;
  if (mode !== "development" && mode !== "test") {
    const got = mode === undefined ? "NODE_ENV is unset" : `got NODE_ENV=${JSON.stringify(mode)}`;
    return `only for local use and tests: set NODE_ENV=development or NODE_ENV=test explicitly (${got}), or set TEAMS_APP_ID and TEAMS_APP_PASSWORD instead`;
  }
  const host = raw.HOST?.trim();
  if (host === undefined || !LOOPBACK_HOSTS.has(host.toLowerCase())) {
    const got = host === undefined ? "HOST is unset, so 0.0.0.0" : `got HOST=${JSON.stringify(host)}`;
    return `only on a loopback HOST (127.0.0.1, ::1 or localhost), so nothing off this machine reaches a bot that checks no tokens (${got})`;
  }
  return undefined;
}

/**
 * The previous key is only ever the one a rotation moves away from, to TOUCHPOINT_ENCRYPTION_KEY:
 * without that there is nothing to rotate to (the embedded key file rotates on its own, with
 * neither set), and the same key twice would rotate nothing.
 */
function previousKeyProblems(raw: Record<string, string>): [string, string][] {
  const previous = raw.TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS;
  if (!previous) return [];
  if (!raw.TOUCHPOINT_ENCRYPTION_KEY) {
    return [
      [
        "TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS",
        "set TOUCHPOINT_ENCRYPTION_KEY too: the new key it is rotated to (on the embedded default, `touchpoint rotate-key` with neither set makes a new key file)",
      ],
    ];
  }
  if (Buffer.from(previous, "base64").equals(Buffer.from(raw.TOUCHPOINT_ENCRYPTION_KEY, "base64"))) {
    return [
      ["TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS", "is the same key as TOUCHPOINT_ENCRYPTION_KEY; set it to the old key"],
    ];
  }
  return [];
}

/**
 * Teams is on with an app id (botbuilder checks every activity's token against it) or, for local
 * use and tests, with TEAMS_ALLOW_UNAUTHENTICATED and no credentials at all; never both at once,
 * so a leftover flag cannot switch a configured app's checks off.
 */
function teamsProblems(raw: Record<string, string>): [string, string][] {
  const problems: [string, string][] = [];
  const unauthenticated = ["true", "1", "yes", "on"].includes(raw.TEAMS_ALLOW_UNAUTHENTICATED ?? "");
  const type = raw.TEAMS_APP_TYPE ?? "MultiTenant";
  if (!raw.TEAMS_APP_ID) {
    const orphan = ["TEAMS_APP_PASSWORD", "TEAMS_APP_TENANT_ID", "TEAMS_APP_TYPE"].find((name) => raw[name]);
    if (orphan) problems.push([orphan, "set TEAMS_APP_ID too: the Bot Framework credentials go together"]);
    const refused = unauthenticated ? unauthenticatedTeamsProblem(raw) : undefined;
    if (refused) problems.push(["TEAMS_ALLOW_UNAUTHENTICATED", refused]);
    return problems;
  }
  if (unauthenticated) {
    problems.push([
      "TEAMS_ALLOW_UNAUTHENTICATED",
      "set it or TEAMS_APP_ID, not both: with an app id every Teams request is authenticated",
    ]);
  }
  if (type !== "UserAssignedMSI" && !raw.TEAMS_APP_PASSWORD) {
    problems.push(["TEAMS_APP_PASSWORD", `needed with TEAMS_APP_ID for a ${type} app: the client secret from Azure`]);
  }
  if (type === "UserAssignedMSI" && raw.TEAMS_APP_PASSWORD) {
    problems.push(["TEAMS_APP_PASSWORD", "a UserAssignedMSI app has no password; leave it unset"]);
  }
  if ((type === "SingleTenant" || type === "UserAssignedMSI") && !raw.TEAMS_APP_TENANT_ID) {
    problems.push(["TEAMS_APP_TENANT_ID", `needed for a ${type} app: the app's home Microsoft Entra tenant id`]);
  }
  return problems;
}

const SHOWN = new Set([
  "NODE_ENV",
  "PORT",
  "HOST",
  "PUBLIC_URL",
  "SLACK_API_URL",
  "X_API_URL",
  "X_POLL_INTERVAL",
  "TEAMS_APP_TYPE",
  "TEAMS_ALLOW_UNAUTHENTICATED",
  "TEAMS_GRAPH_URL",
  "TEAMS_GRAPH_SETTLE_SECONDS",
  "TOUCHPOINT_SCHEDULER",
  "TOUCHPOINT_DELIVERY_RETRY_SECONDS",
  "LOG_LEVEL",
]);

export type Env = Omit<z.infer<typeof schema>, "PUBLIC_URL"> & { readonly PUBLIC_URL: string };

export class EnvError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join("\n"));
    this.name = "EnvError";
  }
}

/** Parses the environment; empty values count as unset, as they do in most .env files. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = schema.safeParse(present);
  const lines = new Map<string, string>();
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const name = String(issue.path[0] ?? "environment");
    // Values are echoed only for variables that can never hold a secret.
    const shown = SHOWN.has(name) ? ` (got ${JSON.stringify(present[name])})` : "";
    if (!lines.has(name)) lines.set(name, `${name}: needs ${issue.message}${shown}`);
  }
  for (const [name, message] of crossProblems(present as Record<string, string>)) {
    if (!lines.has(name)) lines.set(name, `${name}: ${message}`);
  }
  if (!parsed.success || lines.size > 0) throw new EnvError([...lines.values()]);
  const env = parsed.data;
  return { ...env, PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${env.PORT}` };
}
