import { composeDigest, systemClock } from "@touchpoint/core";
import type { Command } from "commander";
import { type CliContext, CliError, tenantOrFail, withDatabase } from "./context.js";
import { renderDigest } from "./render.js";

export function registerDigest(program: Command, context: () => CliContext): void {
  program
    .command("digest")
    .description("compose the organization's daily nudge (today's, or another day's) and print it")
    .requiredOption("--tenant <tenant>", "the tenant's id, or its Slack team id / Teams tenant id")
    .option("--date <date>", "the local day, YYYY-MM-DD (default: today in the organization's time zone)")
    .option("--dry-run", "print it instead of sending it")
    .action(async (options: { tenant: string; date?: string; dryRun?: boolean }) => {
      const ctx = context();
      if (!options.dryRun) {
        // Sending goes through the delivery outbox, which the scheduler's nudge job brings.
        throw new CliError("Sending from the CLI isn't available yet; add --dry-run to print the nudge.");
      }
      await withDatabase(ctx, async (db) => {
        const tenant = await tenantOrFail(db, options.tenant);
        const digest = await composeDigest(
          { storage: db.storage, clock: systemClock },
          { tenantId: tenant.id, ...(options.date !== undefined && { localDate: options.date }) },
        );
        if (!digest.ok) throw new CliError(digest.error.message);
        ctx.out.print(renderDigest(digest.value));
      });
    });
}
