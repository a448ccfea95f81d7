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
 * breaks, and stray quotes inside unquoted fields (Robert "Bob" Smith). Each record keeps the line it
 * starts on, so problems can point at it. A file that can't be read says where and why.
 */
export async function readCsvFile(path: string): Promise<CsvFile> {
  const info = await stat(path);
  if (info.isDirectory()) throw new CsvUnreadable(undefined, `${path} is a folder, not a CSV file`);
  if (info.size > MAX_CSV_BYTES) {
    throw new CsvUnreadable(
      undefined,
      `the file is ${(info.size / 1e6).toFixed(0)} MB; the limit is ${MAX_CSV_BYTES / 1e6} MB`,
    );
  }
  // One line-ending convention, so line numbers count what an editor shows (the parser counts
  // the CR and the LF of a quoted CRLF as two lines).
  const text = decodeUtf8(await readFile(path)).replace(/\r\n?/g, "\n");
  let lastGoodLine = 1;
  let rows: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    rows = parse(text, {
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      raw: true,
      on_record: (record: string[], context: { lines: number }) => {
        lastGoodLine = context.lines;
        return record;
      },
    }) as unknown as typeof rows;
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    const line = lastGoodLine + 1;
    if (code === "CSV_QUOTE_NOT_CLOSED") {
      throw new CsvUnreadable(
        line,
        'a quote opened here is never closed; close it, or write a quote inside quotes as ""',
      );
    }
    if (code === "CSV_INVALID_CLOSING_QUOTE") {
      throw new CsvUnreadable(line, 'text follows a closing quote; inside quotes, write a quote as ""');
    }
    throw new CsvUnreadable(line, `this line can't be read as CSV (${(error as Error).message})`);
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

const SAVE_AS_UTF8 = 'in Excel, save it as "CSV UTF-8 (Comma delimited)"';

/**
 * UTF-16 (Excel's "Unicode Text", some CRM exports) puts a zero byte beside every ASCII letter.
 * Without a byte-order mark it is valid UTF-8 that way, full of NUL characters, and every cell of
 * every row would be refused one by one; saying what the file is helps more.
 */
function looksLikeUtf16(bytes: Buffer): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return true;
  const sample = bytes.subarray(0, 4096);
  const zeros = sample.reduce((count, byte) => (byte === 0 ? count + 1 : count), 0);
  return sample.length >= 4 && zeros >= sample.length / 4;
}

/** Excel's plain "CSV" is Windows-1252: refuse it by line rather than store mangled names. */
function decodeUtf8(bytes: Buffer): string {
  if (looksLikeUtf16(bytes)) throw new CsvUnreadable(undefined, `the file is UTF-16, not UTF-8; ${SAVE_AS_UTF8}`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder("utf-8").decode(bytes);
    const line = lossy.slice(0, lossy.indexOf("\uFFFD")).split("\n").length;
    throw new CsvUnreadable(line, `the file is not UTF-8; ${SAVE_AS_UTF8}`);
  }
}
