import {
  type DatabaseHandle,
  type ResealProgress,
  type ResealReport,
  registeredSealingKeys,
  registerSealingKey,
  resealSecrets,
  retireOtherSealingKeys,
  SEALED_COLUMNS,
} from "@touchpoint/db";
import { SingleBar } from "cli-progress";
import type { Command, OptionValues } from "commander";
import { openDatabaseForRotation, secretBoxOf } from "../database.js";
import { type EncryptionKeys, finishKeyFileRotation } from "../secrets.js";
import { type CliContext, CliError, plural, printJson, printTable, reportTo } from "./context.js";

/** Values re-sealed per transaction: small enough that running servers barely wait on its locks. */
const DEFAULT_BATCH_SIZE = 500;

function progressBar(enabled: boolean) {
  if (!enabled || !process.stderr.isTTY) return undefined;
  const bar = new SingleBar({
    stream: process.stderr,
    format: " re-sealing |{bar}| {value}/{total} tenants · {resealed} values re-sealed · {eta_formatted} left",
    hideCursor: true,
  });
  return {
    update: (p: ResealProgress) => {
      if (p.tenantsDone === 0) bar.start(p.tenantsTotal, 0, { resealed: 0 });
      else bar.update(p.tenantsDone, { resealed: p.resealed });
    },
    stop: () => bar.stop(),
  };
}

function unreadableCount(report: ResealReport): number {
  return SEALED_COLUMNS.reduce((sum, column) => sum + report.columns[column].unreadable, 0);
}

/** Values a pass would re-seal or cannot open: not yet under the new key. */
function notCurrentCount(report: ResealReport): number {
  return SEALED_COLUMNS.reduce(
    (sum, column) => sum + report.columns[column].resealed + report.columns[column].unreadable,
    0,
  );
}

function describeKeySource(keys: EncryptionKeys): string {
  return keys.source.kind === "env" ? "TOUCHPOINT_ENCRYPTION_KEY" : `the key in ${keys.source.path}`;
}

/**
 * `touchpoint rotate-key`: every stored secret sealed again under TOUCHPOINT_ENCRYPTION_KEY,
 * read with TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS (or, on the embedded default without either, under
 * a new key file). The new key is registered first, so servers restarted with both keys keep
 * working throughout; the old key leaves the registry only once no stored value is sealed with it.
 */
export async function rotateKey(
  ctx: CliContext,
  options: {
    readonly batchSize: number;
    readonly json: boolean;
    /** Tests: what a server still on the old key does between the pass and the look after it. */
    readonly afterPass?: (db: DatabaseHandle) => Promise<void>;
  },
) {
  const { out } = ctx;
  const db = await openDatabaseForRotation(ctx.env, reportTo(out));
  try {
    const given = secretBoxOf(db.keys);
    // Keys the registry names that this run was not given: values under them would stay unreadable.
    // Looked at before anything changes, the embedded key file included.
    const strangers = (await registeredSealingKeys(db.handle.db)).filter((id) => !given.keyIds.includes(id));
    if (strangers.length > 0) {
      const survey = await resealSecrets(db.handle.db, given, { dryRun: true, batchSize: options.batchSize });
      const unreadable = unreadableCount(survey);
      if (unreadable > 0) {
        const previous =
          db.keys.source.kind === "file"
            ? "restore the key file that belongs with this data"
            : ctx.env.TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS
              ? "TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS is not that key either: set it to that key"
              : "set that key in TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS";
        throw new CliError(
          `${plural(unreadable, "stored value")} ${unreadable === 1 ? "is" : "are"} sealed with key id ` +
            `${survey.unreadableKeyIds.join(", ")}, which ${describeKeySource(db.keys)} (key id ${given.keyId}) is not: ` +
            `${previous}, and run \`touchpoint rotate-key\` again. Nothing was changed.`,
        );
      }
    }

    let keys = db.keys;
    if (db.rotateKeyFile) {
      const rotation = await db.rotateKeyFile();
      keys = rotation;
      if (rotation.generated) {
        out.error(
          `· the embedded database's key is the file ${rotation.source.path}: wrote a new key there; ` +
            "the old one stays in encryption.key.previous until every value is re-sealed",
        );
      }
    }
    const box = secretBoxOf(keys);
    await registerSealingKey(db.handle.db, box);
    const bar = progressBar(!options.json);
    let report: ResealReport;
    try {
      report = await resealSecrets(db.handle.db, box, { batchSize: options.batchSize, onProgress: bar?.update });
    } finally {
      bar?.stop();
    }
    await options.afterPass?.(db.handle);
    const unreadable = unreadableCount(report);
    // A server not yet restarted with both keys may have sealed a value under the old one behind
    // the pass: look once more before the old key is forgotten, and keep it if anything needs it.
    const behind = unreadable === 0 ? notCurrentCount(await resealSecrets(db.handle.db, box, { dryRun: true })) : 0;
    if (behind > 0) {
      throw new CliError(
        `${plural(behind, "value")} were sealed under the old key while this ran: a server still runs without ` +
          "TOUCHPOINT_ENCRYPTION_KEY set to the new key. Restart every server with the new key (and the old one in " +
          "TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS), then run `touchpoint rotate-key` again; the old key stays registered.",
      );
    }
    const retired = unreadable === 0 ? await retireOtherSealingKeys(db.handle.db, box) : [];
    if (unreadable === 0 && keys.source.kind === "file") await finishKeyFileRotation(ctx.env);

    if (options.json) {
      printJson(out, { keyId: box.keyId, ...report, retiredKeyIds: retired });
    } else {
      const resealed = SEALED_COLUMNS.reduce((sum, column) => sum + report.columns[column].resealed, 0);
      out.print(
        `Re-sealed ${plural(resealed, "value")} under key id ${box.keyId} (${plural(report.tenants, "tenant")}):`,
      );
      printTable(
        out,
        ["COLUMN", "RE-SEALED", "ALREADY UNDER IT", "UNREADABLE"],
        SEALED_COLUMNS.map((column) => {
          const tally = report.columns[column];
          return [column, String(tally.resealed), String(tally.current), String(tally.unreadable)];
        }),
      );
      if (unreadable === 0) {
        const old = retired.length > 0 ? `The old key (key id ${retired.join(", ")})` : "No other key";
        out.print(
          keys.source.kind === "file"
            ? `${old} is no longer needed and was removed; ${keys.source.path} is the key now: keep it with the data.`
            : `${old} opens nothing stored now: remove TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS from every server's settings.`,
        );
      }
    }
    if (unreadable > 0) {
      throw new CliError(
        `${plural(unreadable, "value")} could be opened with neither key (key id ${report.unreadableKeyIds.join(", ")}) ` +
          "and were left as they were; the old key stays registered. Find the key they were sealed with, " +
          "set it in TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS, and run `touchpoint rotate-key` again.",
      );
    }
  } finally {
    await db.close();
  }
}

export function registerRotateKey(program: Command, context: () => CliContext): void {
  program
    .command("rotate-key")
    .description(
      "re-seal stored tokens under TOUCHPOINT_ENCRYPTION_KEY, reading them with TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS " +
        "(on the embedded default without either: under a new key file); safe to run again",
    )
    .option("--batch-size <n>", "values re-sealed per transaction", String(DEFAULT_BATCH_SIZE))
    .option("--json", "print the outcome as JSON")
    .action(async (options: OptionValues) => {
      const batchSize = Number(options.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        throw new CliError(`--batch-size needs a whole number above 0 (got ${JSON.stringify(options.batchSize)})`, 2);
      }
      await rotateKey(context(), { batchSize, json: Boolean(options.json) });
    });
}
