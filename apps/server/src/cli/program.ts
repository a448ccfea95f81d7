import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { DataDirBusy } from "../data-dir-lock.js";
import { EnvError } from "../env.js";
import { type CliContext, CliError, cliContext } from "./context.js";
import { registerDemo } from "./demo.js";
import { registerImportContacts } from "./import-contacts.js";
import { registerMigrate } from "./migrate.js";
import { registerServe } from "./serve.js";
import { registerTenants } from "./tenants.js";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export function buildProgram(): Command {
  let context: CliContext | undefined;
  // The environment is read when a command runs, so --help works with a broken environment.
  const lazyContext = () => {
    context ??= cliContext();
    return context;
  };
  const program = new Command("touchpoint")
    .description("Touchpoint: the relationship assistant for nonprofits, in Slack and Microsoft Teams")
    .version(version)
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ sortSubcommands: true });
  registerMigrate(program, lazyContext);
  registerServe(program, lazyContext);
  registerDemo(program, lazyContext);
  registerTenants(program, lazyContext);
  registerImportContacts(program, lazyContext);
  return program;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof EnvError) {
      console.error(`touchpoint: the environment needs fixing:\n  ${error.lines.join("\n  ")}`);
      return 2;
    }
    if (error instanceof CliError || error instanceof DataDirBusy) {
      console.error(`touchpoint: ${error.message}`);
      return error instanceof CliError ? error.exitCode : 1;
    }
    console.error(error);
    return 1;
  }
}
