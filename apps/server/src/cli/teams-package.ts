import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { MESSAGES_PATH } from "@touchpoint/teams";
import type { Command } from "commander";
import { teamsPackage, teamsPackageSettings } from "../teams-package.js";
import { type CliContext, CliError } from "./context.js";

export const DEFAULT_TEAMS_PACKAGE = "touchpoint-teams.zip";

export function registerTeamsPackage(program: Command, context: () => CliContext): void {
  program
    .command("teams-package")
    .description("write the Microsoft Teams app package (a zip to upload in Teams) for this installation")
    .option("--out <file>", "where to write the zip", DEFAULT_TEAMS_PACKAGE)
    .option("--app-id <id>", "the bot's Microsoft App ID (default: TEAMS_APP_ID)")
    .addHelpText(
      "after",
      "\nThe package holds manifest.json (app id, PUBLIC_URL's domain, the commands) and its two icons.\nUpload it in Teams: Apps → Manage your apps → Upload an app.",
    )
    .action(async (options: { out: string; appId?: string }) => {
      const ctx = context();
      const settings = teamsPackageSettings(ctx.env, { appId: options.appId });
      if (!settings.ok) throw new CliError(settings.error, 2);
      for (const warning of settings.value.warnings) ctx.out.error(`· ${warning}`);
      const path = resolve(options.out);
      try {
        await writeFile(path, teamsPackage(settings.value));
      } catch (error) {
        const reason =
          (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
        throw new CliError(`could not write ${path} (${reason})`);
      }
      const base = settings.value.publicUrl.replace(/\/+$/, "");
      const endpoint = `${base.startsWith("https:") ? base : "https://<your public address>"}${MESSAGES_PATH}`;
      ctx.out.print(`Wrote the Teams app package for app ${settings.value.appId} to ${path}`);
      ctx.out.print(
        [
          "Next:",
          `  1. In the bot's Azure registration, set the messaging endpoint to ${endpoint} and turn on the Microsoft Teams channel.`,
          "  2. In Microsoft Teams, open Apps → Manage your apps → Upload an app → Upload a custom app, and choose that file.",
          "     (Your Teams admin may need to allow custom apps first.)",
          "  3. Add it to a team or a chat, or open it on its own, and write: help",
        ].join("\n"),
      );
    });
}
