import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CsvUnreadable, readCsvFile } from "./csv.js";

async function file(content: string | Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "touchpoint-csv-"));
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

  it("says where a quote was left open", async () => {
    const path = await file('name,notes\nJane,"never closed\nSam,ok\n');
    const error = await readCsvFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvUnreadable);
    expect((error as CsvUnreadable).message).toMatch(/quote/i);
    expect((error as CsvUnreadable).line).toBeGreaterThanOrEqual(2);
  });

  it("refuses an empty file", async () => {
    await expect(readCsvFile(await file(""))).rejects.toThrow(/empty/);
  });
});
