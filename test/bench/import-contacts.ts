/** Importing a 10,000-row CSV, beside the same rows written directly, on PGlite and PostgreSQL. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTenant, type NewContact } from "@touchpoint/core";
import { uniqueExternalId } from "@touchpoint/core/testing";
import { createDb, type Database } from "@touchpoint/db";
import { insertContactsPlain } from "@touchpoint/db/testing";
import { importContactsFile, loadEnv, type OpenDatabase, openDatabase } from "@touchpoint/server/testing";

const ROWS = 10_000;
const RUNS = 3;
const TARGET_SECONDS = 10;
const SEGMENTS = ["major donor", "board", "donor", "supporter", "volunteer", "influencer", "partner", "press"];

function sampleContacts(count: number): NewContact[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `Supporter ${i} Example`,
    segment: SEGMENTS[i % SEGMENTS.length] ?? null,
    tags: i % 3 === 0 ? ["gala", "monthly"] : ["newsletter"],
    owner: i % 5 === 0 ? "amy" : null,
    cadenceDays: i % 7 === 0 ? 30 : null,
    notes: i % 4 === 0 ? `Met at the ${2000 + (i % 25)} gala, "table ${i % 40}"` : null,
    identities: [
      { platform: "email" as const, handle: `supporter${i}@example.org`, externalUserId: null },
      ...(i % 2 === 0 ? [{ platform: "x" as const, handle: `supporter_${i}`, externalUserId: null }] : []),
    ],
  }));
}

function toCsv(contacts: readonly NewContact[]): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const lines = contacts.map((c) => {
    const x = c.identities?.find((i) => i.platform === "x")?.handle;
    const email = c.identities?.find((i) => i.platform === "email")?.handle;
    return [
      c.name,
      email ?? "",
      x ? `@${x}` : "",
      c.segment ?? "",
      (c.tags ?? []).join(";"),
      c.owner ?? "",
      c.cadenceDays ?? "",
      c.notes ?? "",
    ]
      .map((v) => cell(String(v)))
      .join(",");
  });
  return `\uFEFFname,email,x_handle,segment,tags,owner,cadence_days,notes\r\n${lines.join("\r\n")}\r\n`;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

async function newTenantId(db: OpenDatabase, label: string): Promise<string> {
  const created = await createTenant(
    { storage: db.storage },
    { platform: "slack", externalId: uniqueExternalId("BENCH"), name: `bench ${label}` },
  );
  if (!created.ok) throw new Error(created.error.message);
  return created.value.id;
}

interface Figures {
  readonly backend: string;
  readonly importSeconds: number;
  readonly reimportSeconds: number;
  readonly baselineSeconds: number;
}

async function benchImport(
  backend: string,
  db: OpenDatabase,
  owner: Database,
  file: string,
  rows: NewContact[],
): Promise<Figures> {
  const imports: number[] = [];
  const reimports: number[] = [];
  const baselines: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const baselineTenant = await newTenantId(db, "baseline");
    baselines.push(await timed(() => insertContactsPlain(owner, baselineTenant, rows)));

    const tenantId = await newTenantId(db, "import");
    imports.push(
      await timed(async () => {
        const outcome = await importContactsFile(db, { tenantId, file, dryRun: false, progress: false });
        if (outcome.report?.created !== ROWS)
          throw new Error(`import failed: ${JSON.stringify(outcome).slice(0, 500)}`);
      }),
    );
    reimports.push(
      await timed(async () => {
        const outcome = await importContactsFile(db, { tenantId, file, dryRun: false, progress: false });
        if (outcome.report?.unchanged !== ROWS) throw new Error("re-import changed something");
      }),
    );
  }
  return {
    backend,
    importSeconds: median(imports),
    reimportSeconds: median(reimports),
    baselineSeconds: median(baselines),
  };
}

function report(f: Figures): void {
  const ok = f.importSeconds < TARGET_SECONDS ? "ok" : "MISSED";
  const s = (n: number) => `${n.toFixed(2)} s`;
  console.log(
    [
      `import ${ROWS.toLocaleString("en-US")}-row CSV · ${f.backend}`,
      `  import          ${s(f.importSeconds).padStart(8)}   ${(ROWS / f.importSeconds).toFixed(0)} rows/s   target < ${TARGET_SECONDS} s: ${ok}`,
      `  baseline        ${s(f.baselineSeconds).padStart(8)}   the same rows written directly: no CSV, no checks, no RLS`,
      `  ratio           ${(f.importSeconds / f.baselineSeconds).toFixed(2).padStart(6)}×   import ÷ baseline`,
      `  re-import       ${s(f.reimportSeconds).padStart(8)}   same file again, nothing to change (${(f.reimportSeconds / f.baselineSeconds).toFixed(2)}× baseline)`,
    ].join("\n"),
  );
}

/** Returns the backends that missed the target. */
export async function runImportBench(): Promise<string[]> {
  const work = await mkdtemp(join(tmpdir(), "touchpoint-bench-"));
  const rows = sampleContacts(ROWS);
  const file = join(work, "contacts.csv");
  await writeFile(file, toCsv(rows));
  console.log(`import ${ROWS.toLocaleString("en-US")} contacts · median of ${RUNS} runs\n`);
  const missed: string[] = [];
  try {
    const embeddedEnv = loadEnv({ TOUCHPOINT_DATA_DIR: join(work, "embedded"), LOG_LEVEL: "silent" });
    const embedded = await openDatabase(embeddedEnv, () => {});
    try {
      const figures = await benchImport("embedded PGlite", embedded, embedded.handle.db, file, rows);
      report(figures);
      if (figures.importSeconds >= TARGET_SECONDS) missed.push(figures.backend);
    } finally {
      await embedded.close();
    }

    const env = loadEnv({ ...process.env, LOG_LEVEL: "silent" });
    if (env.DATABASE_URL) {
      console.log("");
      const postgres = await openDatabase(env, () => {});
      const owner = await createDb({ kind: "postgres", url: env.DATABASE_ADMIN_URL ?? env.DATABASE_URL });
      try {
        const figures = await benchImport("PostgreSQL", postgres, owner.db, file, rows);
        report(figures);
        if (figures.importSeconds >= TARGET_SECONDS) missed.push(figures.backend);
      } finally {
        await owner.close();
        await postgres.close();
      }
    } else {
      console.log("\n(PostgreSQL skipped: set DATABASE_URL, or install PostgreSQL 15 for scripts/with-postgres.sh)");
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return missed.map((backend) => `import on ${backend}`);
}
