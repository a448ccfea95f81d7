import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI_ENTRY = "apps/server/src/cli/index.ts";
/** The compiled CLI (`pnpm build`): what production runs, without the TypeScript loader. */
const BUILT_CLI = "apps/server/bin/touchpoint.js";

/** The environment a fresh machine has: none of this shell's Touchpoint settings leak in. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
  return { ...env, ...extra };
}

/** `touchpoint <args>` as its own process, its output piped: for tests that act while it runs. */
export function spawnCli(
  args: readonly string[],
  env: Record<string, string>,
  options: { readonly nodeArgs?: readonly string[]; readonly built?: boolean } = {},
): ChildProcess {
  const entry = options.built ? [BUILT_CLI] : ["--import", "tsx", "--conditions=@touchpoint/source", CLI_ENTRY];
  return spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry, ...args], {
    cwd: REPO_ROOT,
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `touchpoint <args>` as its own process, the way a person would, and waits for it. */
export async function runTouchpoint(args: readonly string[], env: Record<string, string>): Promise<Finished> {
  const child = spawnCli(args, env);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr };
}

export interface Serving {
  readonly url: string;
  readonly logs: () => string;
  /** Settles with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** Asks it to drain and exit (SIGTERM), and waits. */
  stop(): Promise<number | null>;
  /** Ends it at once, mid-work, as a crash or an OOM kill would (SIGKILL). */
  kill(): void;
}

/** Starts `touchpoint serve` on a free port and resolves once it logs where it listens. */
export async function startTouchpoint(
  env: Record<string, string>,
  options: { readonly nodeArgs?: readonly string[]; readonly built?: boolean } = {},
): Promise<Serving> {
  const child = spawnCli(["serve"], { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env }, options);
  let logs = "";
  const exited = once(child, "exit") as Promise<[number | null]>;
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      logs += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)".*"msg":"touchpoint is serving"/.exec(logs);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      logs += chunk.toString();
    });
    exited.then(([code]) => reject(new Error(`touchpoint serve exited with ${code}:\n${logs}`)));
  });
  return {
    url,
    logs: () => logs,
    exited: exited.then(([code]) => code),
    stop: async () => {
      child.kill("SIGTERM");
      const [code] = await exited;
      return code;
    },
    kill: () => child.kill("SIGKILL"),
  };
}
