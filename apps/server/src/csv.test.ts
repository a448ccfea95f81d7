import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CsvUnreadable, readCsvFile } from "./csv.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function file(content: string | Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "touchpoint-csv-"));
  dirs.push(dir);
  const path = join(dir, "contacts.csv");
  await writeFile(path, content);
  return path;
}

describe("reading a contact CSV", () => {
  it("reads UTF-8 with a BOM, CRLF line ends, quoted commas and quoted line breaks", async () => {
    const path = await file(
      '\uFEFFname,email,notes\r\n"Doe, Jane",jane@example.org,"gala, spring"\r\nJosé Núñez,jose@example.org,"two\r\nlines"\r\n\r\nSam,,\r\n',
    );
    const csv = await readCsvFile(path);
    expect(csv.header).toEqual(["name", "email", "notes"]);
    expect(csv.records).toEqual([
      { line: 2, values: ["Doe, Jane", "jane@example.org", "gala, spring"] },
      { line: 3, values: ["José Núñez", "jose@example.org", "two\nlines"] },
      { line: 6, values: ["Sam", "", ""] },
    ]);
  });

  it("keeps rows with the wrong number of fields, for the importer to report", async () => {
    const csv = await readCsvFile(await file("name,email\nJane\nSam,sam@example.org,extra\n"));
    expect(csv.records.map((r) => r.values.length)).toEqual([1, 3]);
  });

  it("says on which line a quote was left open", async () => {
    const path = await file('name,notes\nJane,ok\nAna,"never closed\nSam,ok\n');
    const error = await readCsvFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvUnreadable);
    expect((error as CsvUnreadable).line).toBe(3);
    expect((error as CsvUnreadable).reason).toMatch(/^a quote opened here is never closed/);
  });

  it("reads quotes inside unquoted fields, as people type nicknames", async () => {
    const csv = await readCsvFile(
      await file('name,email\nRobert "Bob" Smith,bob@example.org\n"Ann" Lee,ann@example.org\n'),
    );
    expect(csv.records.map((r) => r.values[0])).toEqual(['Robert "Bob" Smith', '"Ann" Lee']);
  });

  it("refuses a file that is not UTF-8, naming the first line that isn't", async () => {
    const latin1 = Buffer.concat([
      Buffer.from("name,notes\nAna,ok\n"),
      Buffer.from([0x4a, 0x6f, 0x73, 0xe9]),
      Buffer.from(",caf\n"),
    ]);
    const error = await readCsvFile(await file(latin1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvUnreadable);
    expect((error as CsvUnreadable).line).toBe(3);
    expect((error as CsvUnreadable).reason).toMatch(/not UTF-8/);
  });

  it("refuses UTF-16, with or without a byte-order mark, rather than reading a NUL beside every letter", async () => {
    const text = "name,notes\nJane,met at the gala\n";
    for (const bytes of [
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
      Buffer.from(text, "utf16le"),
      Buffer.from(text, "utf16le").swap16(),
    ]) {
      const error = await readCsvFile(await file(bytes)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CsvUnreadable);
      expect((error as CsvUnreadable).message).toBe(
        'the file is UTF-16, not UTF-8; in Excel, save it as "CSV UTF-8 (Comma delimited)"',
      );
    }
  });

  it("reads a stray NUL as it is, for the importer to report by line and column", async () => {
    const csv = await readCsvFile(await file('name,notes\nJane,"met\u0000 at the gala"\nSam,ok\n'));
    expect(csv.records).toEqual([
      { line: 2, values: ["Jane", "met\u0000 at the gala"] },
      { line: 3, values: ["Sam", "ok"] },
    ]);
  });

  it("says so when given a folder", async () => {
    await expect(readCsvFile(tmpdir())).rejects.toThrow(/is a folder/);
  });

  it("refuses an empty file", async () => {
    await expect(readCsvFile(await file(""))).rejects.toThrow(/empty/);
  });
});
