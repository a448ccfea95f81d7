import { composeDigest, queueNudgeNow, systemClock } from "@touchpoint/core";
import type { Command } from "commander";
import { type CliContext, CliError, tenantOrFail, withDatabase } from "./context.js";
import { renderDigest } from "./render.js";

export function registerDigest(program: Command, context: () => CliContext): void {
  program
    .command("digest")
    .description("compose the organization's daily nudge and queue it to be sent now, or print it (--dry-run)")
    .requiredOption("--tenant <tenant>", "the tenant's id, or its Slack team id / Teams tenant id")
    .option("--date <date>", "the local day, YYYY-MM-DD (default: today in the organization's time zone)")
    .option("--dry-run", "print it instead of sending it")
    .action(async (options: { tenant: string; date?: string; dryRun?: boolean }) => {
      const ctx = context();
      if (!options.dryRun) {
        if (options.date !== undefined) {
          throw new CliError("Only today's nudge can be sent; add --dry-run to print another day's.");
        }
        await withDatabase(ctx, async (db) => {
          const tenant = await tenantOrFail(db, options.tenant);
          const queued = await queueNudgeNow({ storage: db.storage, clock: systemClock }, tenant.id);
          if (!queued.ok) throw new CliError(`${queued.error.message} (touchpoint tenants set --channel)`);
          const { localDate, outcome, channel } = queued.value;
          ctx.out.print(
            outcome === "queued"
              ? `Queued ${tenant.name}'s nudge for ${localDate} to ${channel}: a running server (touchpoint serve) posts it.`
              : outcome === "silent"
                ? `Nothing to say for ${localDate}, and ${tenant.name} posts nothing then; the day is done.`
                : `${tenant.name} already has its nudge for ${localDate}; nothing more was queued.`,
          );
        });
        return;
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
