import { connectXAccount } from "@touchpoint/core";
import { createXSource } from "@touchpoint/x";
import type { Command } from "commander";
import { type CliContext, CliError, tenantOrFail, withDatabase } from "./context.js";

/** The bearer token: X_BEARER_TOKEN, else standard input (piped), never an argument. */
async function readToken(ctx: CliContext): Promise<string> {
  if (ctx.env.X_BEARER_TOKEN) return ctx.env.X_BEARER_TOKEN;
  const input = ctx.stdin?.() ?? null;
  if (input === null) {
    throw new CliError("No bearer token: set X_BEARER_TOKEN, or pipe it in (touchpoint connect-x … < token.txt).");
  }
  let text = "";
  for await (const chunk of input) text += chunk.toString();
  return text.trim();
}

export function registerConnectX(program: Command, context: () => CliContext): void {
  program
    .command("connect-x")
    .description("connect the organization's X account, checked with X first; its mentions are then polled")
    .requiredOption("--tenant <tenant>", "the tenant's id, or its Slack team id / Teams tenant id")
    .requiredOption("--handle <handle>", "the organization's X handle, e.g. @riversidefood")
    .addHelpText(
      "after",
      "\nThe app bearer token is read from X_BEARER_TOKEN or standard input, never from an argument.",
    )
    .action(async (options: { tenant: string; handle: string }) => {
      const ctx = context();
      const token = await readToken(ctx);
      await withDatabase(ctx, async (db) => {
        const tenant = await tenantOrFail(db, options.tenant);
        const result = await connectXAccount(
          { storage: db.storage, openSource: createXSource({ apiUrl: ctx.env.X_API_URL }) },
          { tenantId: tenant.id, handle: options.handle, bearerToken: token, actorId: null },
        );
        if (!result.ok) throw new CliError(result.error.message);
        ctx.out.print(
          `Connected @${result.value.handle} (X user ${result.value.externalUserId}) to ${tenant.name}; its mentions are read from the next poll.`,
        );
      });
    });
}
