import type { Command } from "commander";
import { migratePostgres } from "../database.js";
import { type CliContext, reportTo, withDatabase } from "./context.js";

export function registerMigrate(program: Command, context: () => CliContext): void {
  program
    .command("migrate")
    .description("apply the drizzle/ migrations once (under an advisory lock on PostgreSQL)")
    .action(async () => {
      const ctx = context();
      const started = Date.now();
      if (ctx.env.DATABASE_URL) {
        const { applied } = await migratePostgres(
          ctx.env.DATABASE_URL,
          ctx.env.DATABASE_ADMIN_URL ?? ctx.env.DATABASE_URL,
          reportTo(ctx.out),
        );
        ctx.out.print(
          applied > 0
            ? `Applied ${applied} migration(s) in ${Date.now() - started} ms.`
            : "The database is up to date.",
        );
        return;
      }
      await withDatabase(ctx, async (db) => {
        ctx.out.print(`The ${db.description} is up to date (${Date.now() - started} ms).`);
      });
    });
}
