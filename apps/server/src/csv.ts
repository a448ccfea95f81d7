import { readFile, stat } from "node:fs/promises";
import type { CsvRecord } from "@touchpoint/core";
import { parse } from "csv-parse/sync";

export interface CsvFile {
  readonly header: string[];
  readonly records: CsvRecord[];
}

export class CsvUnreadable extends Error {
  constructor(
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(line === undefined ? reason : `line ${line}: ${reason}`);
    this.name = "CsvUnreadable";
  }
}

/** 50 MB is about half a million contacts: far beyond any nonprofit's list, short of exhausting memory. */
export const MAX_CSV_BYTES = 50 * 1024 * 1024;

/**
 * Reads a whole CSV file: UTF-8 with or without a BOM, CRLF or LF, quoted commas and quoted line
 * breaks. Each record keeps the line it starts on, so problems can point at it.
 */
export async function readCsvFile(path: string): Promise<CsvFile> {
  const size = (await stat(path)).size;
  if (size > MAX_CSV_BYTES) {
    throw new CsvUnreadable(
      undefined,
      `the file is ${(size / 1e6).toFixed(0)} MB; the limit is ${MAX_CSV_BYTES / 1e6} MB`,
    );
  }
  // One line-ending convention, so line numbers count what an editor shows (the parser counts
  // the CR and the LF of a quoted CRLF as two lines).
  const text = (await readFile(path, "utf8")).replace(/\r\n?/g, "\n");
  let rows: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    rows = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      raw: true,
    }) as unknown as typeof rows;
  } catch (error) {
    const e = error as { code?: string; lines?: number; message: string };
    if (e.code?.startsWith("CSV_")) throw new CsvUnreadable(e.lines, e.message.replace(/^.*?: /, ""));
    throw error;
  }
  const [first, ...rest] = rows;
  if (first === undefined) throw new CsvUnreadable(undefined, "the file is empty; it needs a header row");
  const records = rest.map(({ record, info, raw }) => {
    // `lines` is where the record ends; skipped blank lines lead its raw text.
    const breaks = (raw.replace(/^\n+/, "").replace(/\n$/, "").match(/\n/g) ?? []).length;
    return { line: info.lines - breaks, values: record };
  });
  return { header: first.record, records };
}
