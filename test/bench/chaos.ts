import { execFileSync } from "node:child_process";
import { type ChaosDatabase, chaosProblems, describeChaos, runChaos } from "../support/chaos.js";
import { REPO_ROOT } from "../support/processes.js";

/**
 * pnpm bench chaos: hundreds of kill -9s of the compiled server at random moments (CHAOS_KILLS
 * each, default 200 on PostgreSQL and 100 on the embedded database, whose restarts take longer)
 * while staff log touches, nudges go out over the run and mentions come in. Prints kills, commands,
 * lost and doubled; any loss, double or failed restart is a missed target.
 */
export async function runChaosBench(): Promise<string[]> {
  execFileSync("pnpm", ["--silent", "turbo", "run", "build", "--output-logs=errors-only"], {
    cwd: REPO_ROOT,
    stdio: "inherit",
  });
  const missed: string[] = [];
  const appUrl = process.env.DATABASE_URL;
  const runs: { label: string; database: ChaosDatabase; kills: number }[] = [
    ...(appUrl
      ? [
          {
            label: "PostgreSQL",
            database: { kind: "postgres" as const, appUrl, adminUrl: process.env.DATABASE_ADMIN_URL ?? appUrl },
            kills: Number(process.env.CHAOS_KILLS ?? 200),
          },
        ]
      : []),
    { label: "embedded PGlite", database: { kind: "embedded" }, kills: Number(process.env.CHAOS_KILLS ?? 100) },
  ];
  if (!appUrl) console.log("chaos on PostgreSQL skipped: it needs DATABASE_URL");
  for (const run of runs) {
    console.log(`chaos · ${run.label} · ${run.kills} kill -9s, the server restarted at once each time`);
    const report = await runChaos({
      database: run.database,
      kills: run.kills,
      tenants: 20,
      contactsPerTenant: 10,
      staff: 8,
      upMs: [300, 2000],
      // Workspaces come due one by one through the run, so kills land among deliveries too.
      nudgeSpreadMinutes: Math.max(1, Math.min(15, Math.floor((run.kills * 2.5) / 60))),
      built: true,
      log: (line) => console.log(`  ${line}`),
    });
    console.log(describeChaos(`  ${run.label}`, report));
    missed.push(...chaosProblems(report).map((problem) => `chaos ${run.label}: ${problem}`));
  }
  return missed;
}
