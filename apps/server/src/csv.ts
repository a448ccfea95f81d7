import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { CsvRecord } from "@touchpoint/core";
import { parse } from "csv-parse";

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
export async function readCsvFile(path: string, onBytes?: (read: number, total: number) => void): Promise<CsvFile> {
  const size = (await stat(path)).size;
  if (size > MAX_CSV_BYTES) {
    throw new CsvUnreadable(
      undefined,
      `the file is ${(size / 1e6).toFixed(0)} MB; the limit is ${MAX_CSV_BYTES / 1e6} MB`,
    );
  }
  const parser = createReadStream(path).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, raw: true }),
  );
  let header: string[] | undefined;
  const records: CsvRecord[] = [];
  try {
    for await (const { record, info, raw } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; bytes: number };
      raw: string;
    }>) {
      const breaks = (raw.replace(/\r?\n$/, "").match(/\n/g) ?? []).length;
      const line = info.lines - breaks;
      if (header === undefined) header = record;
      else records.push({ line, values: record });
      if (records.length % 1000 === 0) onBytes?.(info.bytes, size);
    }
  } catch (error) {
    const e = error as { code?: string; lines?: number; message: string };
    if (e.code?.startsWith("CSV_")) throw new CsvUnreadable(e.lines, e.message.replace(/^.*?: /, ""));
    throw error;
  }
  onBytes?.(size, size);
  if (header === undefined) throw new CsvUnreadable(undefined, "the file is empty; it needs a header row");
  return { header, records };
}
