import { resolve } from "node:path";
import {
  type ImportProgress,
  type ImportReport,
  importContacts,
  type Logger,
  queueWelcomeNudge,
  type RowProblem,
  systemClock,
} from "@touchpoint/core";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { CsvUnreadable, readCsvFile } from "../csv.js";
import type { OpenDatabase } from "../database.js";
import { type CliContext, CliError, plural, printJson, tenantOrFail, withDatabase } from "./context.js";

/** Files this long get a progress bar (on a terminal); short ones are done before a bar would draw. */
const PROGRESS_FROM_ROWS = 2_000;
/** The CLI says what it did itself. */
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
/** Problems printed in full; the rest are counted, so a wholly wrong file stays readable. */
const MAX_PROBLEMS_SHOWN = 200;

export interface ImportOutcome {
  readonly report?: ImportReport;
  readonly problems?: readonly RowProblem[];
}

/** Reads, validates and imports one CSV file; shared by the CLI command and the demo. */
export async function importContactsFile(
  db: OpenDatabase,
  input: { readonly tenantId: string; readonly file: string; readonly dryRun: boolean; readonly progress: boolean },
): Promise<ImportOutcome> {
  let csv: Awaited<ReturnType<typeof readCsvFile>>;
  try {
    csv = await readCsvFile(input.file);
  } catch (error) {
    if (error instanceof CsvUnreadable) return { problems: [{ line: error.line ?? 0, message: error.reason }] };
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new CliError(`No file at ${input.file}.`);
    throw error;
  }
  const bar =
    input.progress && csv.records.length >= PROGRESS_FROM_ROWS && process.stderr.isTTY
      ? new SingleBar({
          stream: process.stderr,
          format: " writing |{bar}| {value}/{total} contacts · {eta_formatted} left",
          hideCursor: true,
        })
      : undefined;
  const onProgress = (p: ImportProgress) => {
    if (!bar) return;
    if (p.done === 0) bar.start(p.total, 0);
    else bar.update(p.done);
  };
  try {
    const result = await importContacts(
      { storage: db.storage },
      {
        tenantId: input.tenantId,
        header: csv.header,
        records: csv.records,
        dryRun: input.dryRun,
        onProgress,
      },
    );
    return result.ok ? { report: result.value } : { problems: result.error.problems };
  } finally {
    bar?.stop();
  }
}

export function describeImport(report: ImportReport): string {
  const verb = report.dryRun ? "Would import" : "Imported";
  return `${verb} ${plural(report.rows, "row")}: ${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged.`;
}

export function registerImportContacts(program: Command, context: () => CliContext): void {
  program
    .command("import-contacts")
    .description("import a contact list (CSV: name,email,x_handle,segment,tags,owner,cadence_days,notes)")
    .argument("<file>", "the CSV file")
    .requiredOption("--tenant <tenant>", "the tenant's id, or its Slack team id / Teams tenant id")
    .option("--dry-run", "check the file and report what would change, writing nothing")
    .option("--json", "print the outcome as JSON")
    .action(async (file: string, options: { tenant: string; dryRun?: boolean; json?: boolean }) => {
      const started = Date.now();
      const ctx = context();
      await withDatabase(ctx, async (db) => {
        const tenant = await tenantOrFail(db, options.tenant);
        const outcome = await importContactsFile(db, {
          tenantId: tenant.id,
          file: resolve(file),
          dryRun: options.dryRun ?? false,
          progress: !options.json,
        });
        if (options.json) {
          printJson(ctx.out, outcome);
        } else if (outcome.report) {
          ctx.out.print(`${describeImport(outcome.report)} (${tenant.name}, ${Date.now() - started} ms)`);
        }
        if (outcome.report?.first && !outcome.report.dryRun) {
          // Their first contacts: the first nudge now, not tomorrow morning (a running server posts it).
          const welcome = await queueWelcomeNudge(
            { storage: db.storage, clock: systemClock, logger: quiet },
            tenant.id,
          );
          if (welcome === "queued" && !options.json) {
            ctx.out.print("Queued a first nudge for the organization's channel: what it missed this week.");
          }
        }
        if (outcome.problems) {
          if (!options.json) {
            for (const p of outcome.problems.slice(0, MAX_PROBLEMS_SHOWN)) {
              ctx.out.error(`  ${p.line > 0 ? `line ${p.line}: ` : ""}${p.message}`);
            }
            if (outcome.problems.length > MAX_PROBLEMS_SHOWN) {
              ctx.out.error(`  … and ${outcome.problems.length - MAX_PROBLEMS_SHOWN} more`);
            }
          }
          throw new CliError(`${file} has ${plural(outcome.problems.length, "problem")}; nothing was imported.`);
        }
      });
    });
}
