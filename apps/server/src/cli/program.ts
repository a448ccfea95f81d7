import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { DataDirBusy } from "../data-dir-lock.js";
import { EnvError } from "../env.js";
import { registerConnectX } from "./connect-x.js";
import { type CliContext, CliError, cliContext, type Output, processOutput } from "./context.js";
import { registerDemo } from "./demo.js";
import { registerDigest } from "./digest.js";
import { registerImportContacts } from "./import-contacts.js";
import { registerMigrate } from "./migrate.js";
import { registerRotateKey } from "./rotate-key.js";
import { registerServe } from "./serve.js";
import { registerSlackManifest } from "./slack-manifest.js";
import { registerTeamsPackage } from "./teams-package.js";
import { registerTenants } from "./tenants.js";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export function buildProgram(makeContext: () => CliContext, out: Output): Command {
  let context: CliContext | undefined;
  // The environment is read when a command runs, so --help works with a broken environment.
  const lazyContext = () => {
    context ??= makeContext();
    return context;
  };
  const program = new Command("touchpoint")
    .description("Touchpoint: the relationship assistant for nonprofits, in Slack and Microsoft Teams")
    .version(version)
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ sortSubcommands: true })
    .configureOutput({ writeOut: (text) => out.print(text.trimEnd()), writeErr: (text) => out.error(text.trimEnd()) });
  registerMigrate(program, lazyContext);
  registerServe(program, lazyContext);
  registerDemo(program, lazyContext);
  registerTenants(program, lazyContext);
  registerImportContacts(program, lazyContext);
  registerConnectX(program, lazyContext);
  registerDigest(program, lazyContext);
  registerRotateKey(program, lazyContext);
  registerSlackManifest(program, lazyContext);
  registerTeamsPackage(program, lazyContext);
  for (const command of program.commands) {
    command.configureOutput(program.configureOutput());
    for (const sub of command.commands) sub.configureOutput(program.configureOutput());
  }
  return program;
}

/** Runs the CLI and returns its exit code: 0 done, 1 the command failed, 2 bad usage or environment. */
export async function runCli(
  args: readonly string[],
  options: { readonly context?: () => CliContext; readonly out?: Output } = {},
): Promise<number> {
  const out = options.out ?? processOutput;
  const program = buildProgram(options.context ?? (() => cliContext(out)), out).exitOverride();
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  try {
    await program.parseAsync([...args], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof EnvError) {
      out.error(`touchpoint: the environment needs fixing:\n  ${error.lines.join("\n  ")}`);
      return 2;
    }
    if (error instanceof CliError || error instanceof DataDirBusy) {
      out.error(`touchpoint: ${error.message}`);
      return error instanceof CliError ? error.exitCode : 1;
    }
    out.error(
      `touchpoint: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  }
}
