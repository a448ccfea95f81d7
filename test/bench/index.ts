/**
 * pnpm bench [import] [slack] [ingest] [nudge] [chaos]: each figure beside a baseline measured in the same run, as a
 * ratio, so the numbers mean the same on a laptop and on CI. `pnpm bench` starts a throwaway PostgreSQL
 * when it can; the Slack load test, ingest and nudge need one. BENCH_SECONDS shortens the load test
 * (default 30).
 */
import { runChaosBench } from "./chaos.js";
import { runImportBench } from "./import-contacts.js";
import { runIngestBench } from "./ingest-mentions.js";
import { runNudgeBench } from "./nudge.js";
import { benchSlackTouch, type LoadFigures } from "./slack-touch.js";

const P99_TARGET_MS = 150;
const RATE_TARGET = 0.5;

function row(f: LoadFigures): string {
  const failed = f.errors + f.non2xx > 0 ? `   (${f.errors} errors, ${f.non2xx} non-2xx)` : "";
  return `  ${f.label.padEnd(26)} ${`${f.p50} ms`.padStart(7)} ${`${f.p99} ms`.padStart(8)} ${f.requestsPerSecond.toFixed(0).padStart(10)}${failed}`;
}

async function runSlackBench(): Promise<string[]> {
  const appUrl = process.env.DATABASE_URL;
  const key = process.env.TOUCHPOINT_ENCRYPTION_KEY;
  if (!appUrl || !key) {
    console.log("/touch load test skipped: it needs PostgreSQL (DATABASE_URL and TOUCHPOINT_ENCRYPTION_KEY)");
    return [];
  }
  const seconds = Number(process.env.BENCH_SECONDS ?? 30);
  console.log(
    `/touch under load · PostgreSQL · 50 connections × ${seconds} s each, in rounds taking turns · the server in its own process\n`,
  );
  const { touch, baseline } = await benchSlackTouch(
    { appUrl, adminUrl: process.env.DATABASE_ADMIN_URL ?? appUrl, key },
    seconds,
  );
  const share = touch.requestsPerSecond / baseline.requestsPerSecond;
  console.log(`  ${"".padEnd(26)} ${"p50".padStart(7)} ${"p99".padStart(8)} ${"requests/s".padStart(10)}`);
  console.log(row(touch));
  console.log(row(baseline));
  const each = touch.rounds.map((rps, i) => `${((rps / (baseline.rounds[i] ?? rps)) * 100).toFixed(0)}%`);
  console.log(
    `  rounds: ${each.join(", ")} of the bare app's requests/s (${touch.rounds.map((r) => r.toFixed(0)).join(", ")} against ${baseline.rounds.map((r) => r.toFixed(0)).join(", ")})`,
  );
  console.log(
    `  ratio: ${(share * 100).toFixed(0)}% of the bare app's requests/s (target ≥ ${RATE_TARGET * 100}%: ${share >= RATE_TARGET ? "ok" : "MISSED"}); p99 ${touch.p99} ms (target < ${P99_TARGET_MS} ms: ${touch.p99 < P99_TARGET_MS ? "ok" : "MISSED"})`,
  );
  if (touch.stolenSeconds !== undefined && baseline.stolenSeconds !== undefined) {
    // Other virtual machines on the host took this much CPU meanwhile: a run that lost a lot is a poor measure.
    console.log(
      `  CPU stolen by the host (steal): ${touch.stolenSeconds.toFixed(1)} s during /touch, ${baseline.stolenSeconds.toFixed(1)} s during the bare app`,
    );
  }
  const missed: string[] = [];
  if (share < RATE_TARGET) missed.push("/touch requests/s");
  if (touch.p99 >= P99_TARGET_MS) missed.push("/touch p99");
  if (touch.errors + touch.non2xx > 0) missed.push("/touch answered every request");
  return missed;
}

const chosen = process.argv.slice(2);
const wanted = (name: string) => chosen.length === 0 || chosen.includes(name);
console.log(`pnpm bench · node ${process.version}\n`);
const missed: string[] = [];
if (wanted("import")) missed.push(...(await runImportBench()));
if (wanted("slack")) {
  if (wanted("import")) console.log("");
  missed.push(...(await runSlackBench()));
}
if (wanted("ingest")) {
  if (wanted("import") || wanted("slack")) console.log("");
  missed.push(...(await runIngestBench()));
}
if (wanted("nudge")) {
  if (wanted("import") || wanted("slack") || wanted("ingest")) console.log("");
  missed.push(...(await runNudgeBench()));
}
if (chosen.includes("chaos")) {
  // Kills hundreds of servers for many minutes: only when asked for by name.
  missed.push(...(await runChaosBench()));
}
console.log(`\npeak memory of the bench process (RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
if (missed.length > 0) {
  console.log(`targets missed: ${missed.join("; ")}`);
  process.exitCode = 1;
}
