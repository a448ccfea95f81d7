import type { Command } from "commander";
import { createLogger } from "../logger.js";
import { serve } from "../main.js";
import { type CliContext, refusedDatabase } from "./context.js";

export function registerServe(program: Command, context: () => CliContext): void {
  program
    .command("serve")
    .description("run the server: the HTTP routes (what `pnpm start` runs)")
    .action(async () => {
      const { env } = context();
      // The server's logs are its output: stdout, JSON unless a person is watching.
      await serve(env, createLogger({ level: env.LOG_LEVEL, destination: "stdout" })).catch(refusedDatabase);
    });
}
