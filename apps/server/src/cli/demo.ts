import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Clock,
  composeDigest,
  connectXAccount,
  createTenant,
  DEFAULT_POLL_SETTINGS,
  type Logger,
  listRelationships,
  logTouch,
  parseCommand,
  pollAccount,
  summarizeRelationship,
  systemClock,
  type Tenant,
} from "@touchpoint/core";
import { digestMessage } from "@touchpoint/slack";
import { createRecordedXSource, readXRecording } from "@touchpoint/x";
import type { Command } from "commander";
import { DateTime } from "luxon";
import type { OpenDatabase } from "../database.js";
import { type CliContext, CliError, plural, withDatabase } from "./context.js";
import { describeImport, importContactsFile } from "./import-contacts.js";
import { renderDigest, renderOverview, renderRelationship } from "./render.js";

export const SAMPLE_CONTACTS = fileURLToPath(new URL("../../fixtures/sample-contacts.csv", import.meta.url));
/** X API v2 responses recorded for the sample organization's account, replayed through the real poll. */
export const SAMPLE_X_MENTIONS = fileURLToPath(new URL("../../fixtures/x-mentions.json", import.meta.url));

const DEMO_ORG = {
  platform: "slack",
  externalId: "TDEMORIVERSIDE",
  name: "Riverside Food Bank",
  timeZone: "America/New_York",
} as const;
const DEMO_STAFF = { amy: "U0DEMOAMY", jordan: "U0DEMOJORDAN", priya: "U0DEMOPRIYA" } as const;

/** The recording's account, and what stands in for its bearer token (stored encrypted like a real one). */
const DEMO_X = { handle: "RiversideFood", credentials: "demo-recording" } as const;
/**
 * Between demo runs the account stays paused: `touchpoint serve` on the same data must not take the
 * placeholder credentials to X (it would be refused, and the account paused as revoked).
 */
const DEMO_X_PAUSED = "the demo's X account replays apps/server/fixtures/x-mentions.json; `pnpm demo` reads it";

/**
 * What the team logged in the last few months, as they would type it in Slack. `{date}` becomes the
 * day that many days ago in the organization's time zone; the parser turns it back into a date.
 */
const SAMPLE_TOUCHES: readonly { by: keyof typeof DEMO_STAFF; daysAgo: number; text: string }[] = [
  { by: "amy", daysAgo: 1, text: "@JaneDoe called about the gala yesterday" },
  { by: "amy", daysAgo: 20, text: "jane.doe@example.org emailed a thank-you for the turkey drive {date}" },
  { by: "amy", daysAgo: 40, text: '"Jane Doe" donated $2,500 to the winter appeal {date}' },
  { by: "amy", daysAgo: 62, text: "maria.chen@example.org called about gala seating {date}" },
  { by: "jordan", daysAgo: 41, text: "@devpatel met to go over the budget {date}" },
  { by: "priya", daysAgo: 10, text: "@samlee dm thanks for the shout-out {date}" },
  { by: "jordan", daysAgo: 3, text: "@alvarezbakery called about the Tuesday pickup {date}" },
  { by: "amy", daysAgo: 95, text: 'grace.okafor@example.org coffee about "Grace\'s Pantry" {date}' },
  { by: "amy", daysAgo: 30, text: "@siddiquifdn emailed the grant report {date}" },
  { by: "jordan", daysAgo: 5, text: "@wendypark met for board prep {date}" },
  { by: "priya", daysAgo: 50, text: '"Hiro Nakamura" emailed about a cooking demo {date}' },
  { by: "jordan", daysAgo: 70, text: "@vegacatering called about the gala menu {date}" },
  { by: "amy", daysAgo: 28, text: '"Ruth Goldberg" donated to the winter appeal {date}' },
  { by: "priya", daysAgo: 0, text: "@zoekim via:meeting campus pantry walkthrough today" },
];

async function demoTenant(db: OpenDatabase): Promise<{ tenant: Tenant; created: boolean }> {
  const existing = await db.storage.tenants.findByExternalId(DEMO_ORG.platform, DEMO_ORG.externalId);
  if (existing) return { tenant: existing, created: false };
  const created = await createTenant(
    { storage: db.storage },
    { ...DEMO_ORG, admin: { platformUserId: DEMO_STAFF.amy, displayName: "Amy (demo)" } },
  );
  if (!created.ok) throw new CliError(created.error.message);
  return { tenant: created.value, created: true };
}

export async function runDemo(
  db: OpenDatabase,
  clock: Clock,
  print: (text: string) => void,
  dataDir: string,
): Promise<void> {
  const step = (text: string) => print(`✓ ${text}`);

  const { tenant, created } = await demoTenant(db);
  step(
    `${created ? "created" : "found"} the sample organization: ${tenant.name} (${tenant.platform} ${tenant.externalId})`,
  );

  const imported = await importContactsFile(db, {
    tenantId: tenant.id,
    file: SAMPLE_CONTACTS,
    dryRun: false,
    progress: false,
  });
  if (!imported.report) {
    throw new CliError(`the sample CSV did not import: ${JSON.stringify(imported.problems?.slice(0, 3))}`);
  }
  step(`${describeImport(imported.report)} (apps/server/fixtures/sample-contacts.csv)`);

  const now = clock.now();
  let logged = 0;
  let replayed = 0;
  for (const [index, touch] of SAMPLE_TOUCHES.entries()) {
    const day = DateTime.fromJSDate(now, { zone: tenant.timeZone }).minus({ days: touch.daysAgo }).toISODate() ?? "";
    const text = touch.text.replace("{date}", day);
    // The same path a Slack /touch takes: the shared parser, then the logTouch use case.
    const command = parseCommand("/touch", text);
    if (!command.ok || command.value.kind !== "touch") {
      throw new CliError(`sample command "/touch ${text}" did not parse: ${command.ok ? "" : command.error.message}`);
    }
    const result = await logTouch(
      { storage: db.storage, clock },
      {
        tenantId: tenant.id,
        ...command.value,
        loggedBy: DEMO_STAFF[touch.by],
        source: "demo",
        sourceRef: `demo:touch:${index}`,
      },
    );
    if (!result.ok) throw new CliError(`sample command "/touch ${text}": ${result.error.message}`);
    if (result.value.created) logged++;
    else replayed++;
  }
  step(
    `logged ${logged} touches through /touch${replayed > 0 ? ` (${replayed} already logged by an earlier run, not logged twice)` : ""}`,
  );
  const unknown = parseCommand("/touch", "@somebody_new called about volunteering");
  if (unknown.ok && unknown.value.kind === "touch") {
    const result = await logTouch(
      { storage: db.storage, clock },
      { tenantId: tenant.id, ...unknown.value, loggedBy: DEMO_STAFF.priya, source: "demo", sourceRef: "demo:unknown" },
    );
    if (!result.ok) step(`/touch @somebody_new … → "${result.error.message}" (Slack will offer to create the contact)`);
  }

  print("");
  print(renderOverview(await listRelationships({ storage: db.storage, clock }, { tenantId: tenant.id }), now));
  print("");
  print("/contact show @janedoe");
  const jane = await summarizeRelationship(
    { storage: db.storage, clock },
    { tenantId: tenant.id, who: { kind: "handle", handle: "janedoe", raw: "@janedoe" } },
  );
  if (!jane.ok) throw new CliError(jane.error.message);
  print(renderRelationship(jane.value, now));

  // Last, so the relationships above are what the team logged by hand; the X touches join them from the next run.
  print("");
  await readSampleMentions(db, clock, tenant, print);

  const digest = await composeDigest({ storage: db.storage, clock }, { tenantId: tenant.id });
  if (!digest.ok) throw new CliError(digest.error.message);
  await mkdir(dataDir, { recursive: true });
  const blockKit = join(dataDir, "demo-nudge.slack.json");
  // As the sender posts it: with its buttons.
  await writeFile(blockKit, `${JSON.stringify(digestMessage(digest.value, { buttons: true }), null, 2)}\n`);
  print("");
  print(`The daily nudge, as it is posted each morning (Block Kit for Slack, with its buttons, in ${blockKit}):`);
  print("");
  print(renderDigest(digest.value));
}

/**
 * Connects the sample organization's X account to a replay of recorded X API v2 responses and runs
 * one poll: the same connect, poll and ingest a live account goes through, without network or token.
 */
async function readSampleMentions(
  db: OpenDatabase,
  clock: Clock,
  tenant: Tenant,
  print: (text: string) => void,
): Promise<void> {
  const step = (text: string) => print(`✓ ${text}`);
  const recording = readXRecording(JSON.parse(await readFile(SAMPLE_X_MENTIONS, "utf8")));
  const openSource = createRecordedXSource(recording, { now: () => clock.now() });

  const earlier = await db.storage.withTenant(tenant.id, (r) => r.socialAccounts.list());
  const connected = await connectXAccount(
    { storage: db.storage, openSource },
    { tenantId: tenant.id, handle: DEMO_X.handle, bearerToken: DEMO_X.credentials, actorId: null },
  );
  if (!connected.ok) throw new CliError(`the sample X account did not connect: ${connected.error.message}`);
  const account = connected.value;
  const again = earlier.some((a) => a.id === account.id);
  step(
    `${again ? "found" : "connected"} @${account.handle} on X, replaying recorded X API v2 responses (apps/server/fixtures/x-mentions.json)`,
  );

  const problems: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (details, message) => problems.push(`${message ?? ""} ${JSON.stringify(details)}`),
    error: (details, message) => problems.push(`${message ?? ""} ${JSON.stringify(details)}`),
  };
  const outcome = await pollAccount(
    { storage: db.storage, openSource, clock, logger, settings: DEFAULT_POLL_SETTINGS },
    { tenantId: tenant.id, accountId: account.id },
  ).finally(() => db.storage.withTenant(tenant.id, (r) => r.socialAccounts.pause(account.id, DEMO_X_PAUSED)));
  if (outcome.kind !== "polled" || problems.length > 0) {
    throw new CliError(`the recorded X mentions did not read cleanly (${outcome.kind}): ${problems.join("; ")}`);
  }
  const { mentions, ownPosts } = outcome;
  if (mentions.stored === 0) {
    step(`read 0 new mentions of @${account.handle} (already read by an earlier run, nothing stored twice)`);
  } else {
    step(
      `read ${plural(mentions.stored, "mention")} of @${account.handle} through the poller: ${mentions.touchpoints} from contacts, each logged as a touch · ${mentions.answered + ownPosts.answered} already answered`,
    );
  }
}

export function registerDemo(program: Command, context: () => CliContext): void {
  program
    .command("demo")
    .description("an end-to-end run on the embedded database with a sample organization (no network, no credentials)")
    .action(async () => {
      const ctx = context();
      const started = Date.now();
      await withDatabase(ctx, async (db) => {
        ctx.out.print(`Touchpoint demo · ${db.description}`);
        await runDemo(db, systemClock, (text) => ctx.out.print(text), ctx.env.TOUCHPOINT_DATA_DIR);
      });
      ctx.out.print(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Try: pnpm touchpoint tenants list`);
    });
}
