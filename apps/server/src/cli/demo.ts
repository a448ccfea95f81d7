import { fileURLToPath } from "node:url";
import {
  type Clock,
  createTenant,
  listRelationships,
  logTouch,
  parseCommand,
  summarizeRelationship,
  systemClock,
  type Tenant,
} from "@touchpoint/core";
import type { Command } from "commander";
import { DateTime } from "luxon";
import type { OpenDatabase } from "../database.js";
import { type CliContext, CliError, withDatabase } from "./context.js";
import { describeImport, importContactsFile } from "./import-contacts.js";
import { renderOverview, renderRelationship } from "./render.js";

export const SAMPLE_CONTACTS = fileURLToPath(new URL("../../fixtures/sample-contacts.csv", import.meta.url));

const DEMO_ORG = {
  platform: "slack",
  externalId: "TDEMORIVERSIDE",
  name: "Riverside Food Bank",
  timeZone: "America/New_York",
} as const;
const DEMO_STAFF = { amy: "U0DEMOAMY", jordan: "U0DEMOJORDAN", priya: "U0DEMOPRIYA" } as const;

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

export async function runDemo(db: OpenDatabase, clock: Clock, print: (text: string) => void): Promise<void> {
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
        await runDemo(db, systemClock, (text) => ctx.out.print(text));
      });
      ctx.out.print(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Try: pnpm touchpoint tenants list`);
    });
}
