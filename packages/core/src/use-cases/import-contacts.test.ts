import { describe, expect, it } from "vitest";
import type { Contact } from "../domain/contact.js";
import { allContacts, emailId, seedContact, unwrap, unwrapErr, type World, world, xId } from "../testing/builders.js";
import {
  CONTACT_CSV_COLUMNS,
  type CsvRecord,
  type ImportProgress,
  ImportRejected,
  importContacts,
} from "./import-contacts.js";

const HEADER = [...CONTACT_CSV_COLUMNS];

/** Rows as they would come out of a CSV reader: line 1 is the header, so rows start on line 2. */
function rows(...lines: string[]): CsvRecord[] {
  return lines.map((line, i) => ({ line: i + 2, values: line.split(",") }));
}

function importRows(
  w: World,
  records: readonly CsvRecord[],
  options: { header?: readonly string[]; dryRun?: boolean; onProgress?: (p: ImportProgress) => void } = {},
) {
  return importContacts(w.deps, { tenantId: w.tenantId, header: options.header ?? HEADER, records, ...options });
}

/** The stored contacts, by name, without ids and timestamps, for readable comparisons. */
async function storedByName(w: World): Promise<Record<string, Partial<Contact>>> {
  const contacts = await allContacts(w);
  return Object.fromEntries(
    contacts.map(({ name, segment, tags, owner, cadenceDays, notes, identities }) => [
      name,
      { segment, tags, owner, cadenceDays, notes, identities },
    ]),
  );
}

function rejection(result: Awaited<ReturnType<typeof importContacts>>): ImportRejected {
  const error = unwrapErr(result);
  expect(error).toBeInstanceOf(ImportRejected);
  expect(error.message).toBe(
    `${error.problems.length} problem${error.problems.length === 1 ? "" : "s"}; nothing was imported.`,
  );
  return error;
}

//                                 name,         email,              x_handle, segment,     tags,          owner, cadence_days, notes
const JANE = "Jane Doe,jane@example.org,@JaneDoe,Major Donor,gala;board,U024BE7LH,30,met at the gala";
const MARIA = "Maria Chen,maria@riverside.org,,board,,,,";
const SAM = "Sam Lee,,samlee,influencer,press,,,";

describe("importContacts", () => {
  describe("a good file", () => {
    it("creates every contact, normalized, and reports the counts", async () => {
      const w = await world();
      const report = unwrap(await importRows(w, rows(JANE, MARIA, SAM)));
      expect(report).toEqual({ rows: 3, created: 3, updated: 0, unchanged: 0, dryRun: false, first: true });
      expect(await storedByName(w)).toEqual({
        "Jane Doe": {
          segment: "major donor",
          tags: ["gala", "board"],
          owner: "U024BE7LH",
          cadenceDays: 30,
          notes: "met at the gala",
          identities: [xId("janedoe"), emailId("jane@example.org")],
        },
        "Maria Chen": {
          segment: "board",
          tags: [],
          owner: null,
          cadenceDays: null,
          notes: null,
          identities: [emailId("maria@riverside.org")],
        },
        "Sam Lee": {
          segment: "influencer",
          tags: ["press"],
          owner: null,
          cadenceDays: null,
          notes: null,
          identities: [xId("samlee")],
        },
      });
    });

    it("accepts columns in any order, in any case, with spaces for underscores, and only some of them", async () => {
      const w = await world();
      const header = [" X Handle ", "NAME", "Cadence Days"];
      const report = unwrap(await importRows(w, rows("janedoe,Jane Doe,14"), { header }));
      expect(report.created).toBe(1);
      expect(await storedByName(w)).toMatchObject({ "Jane Doe": { cadenceDays: 14, identities: [xId("janedoe")] } });
    });

    it("skips blank rows and takes x.com links as handles", async () => {
      const w = await world();
      const records = rows(",,,,,,,", "Jane Doe,,https://x.com/JaneDoe,,,,,", " , , , , , , , ");
      expect(unwrap(await importRows(w, records))).toMatchObject({ rows: 1, created: 1 });
      expect(await storedByName(w)).toMatchObject({ "Jane Doe": { identities: [xId("janedoe")] } });
    });

    it("imports nothing and reports zeros for an empty file", async () => {
      const w = await world();
      expect(unwrap(await importRows(w, []))).toEqual({
        rows: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        dryRun: false,
        first: false,
      });
    });
  });

  describe("the header", () => {
    it("reports an unknown column, a duplicate column and a missing name, all at once on line 1", async () => {
      const w = await world();
      const error = rejection(
        await importRows(w, rows("jane@example.org,555,x"), { header: ["email", "phone", "Email"] }),
      );
      expect(error.problems).toEqual([
        {
          line: 1,
          message: 'unknown column "phone"; the columns are name,email,x_handle,segment,tags,owner,cadence_days,notes',
        },
        { line: 1, message: 'column "email" appears twice' },
        { line: 1, message: 'the header needs a "name" column' },
      ]);
      expect(await allContacts(w)).toEqual([]);
    });

    it("refuses an empty header", async () => {
      const w = await world();
      expect(rejection(await importRows(w, [], { header: [] })).problems).toEqual([
        { line: 1, message: 'the header needs a "name" column' },
      ]);
    });
  });

  describe("bad rows", () => {
    it("reports every bad row with its line and reason in one go, and writes nothing", async () => {
      const w = await world();
      const records = rows(
        JANE, // 2: fine
        "Bad Email,jane@,,,,,,", // 3
        "Bad Handle,,@way_too_long_for_x,,,,,", // 4
        "Bad Cadence,,,,,,monthly,", // 5
        "Too Few,fields", // 6
        "Jane Again,,JANEDOE,,,,,", // 7: same handle as line 2
        "Jane Twice,Jane@Example.org,,,,,,", // 8: same email as line 2
        "Pat Kim,,,,,,,", // 9
        "pat  kim,,,,,,,", // 10: same name as line 9, nothing to tell them apart
        "Zero Cadence,,,,,,0,", // 11
        ",nameless@example.org,,,,,,", // 12
        "Two Problems,nope,,,,,9999,", // 13
      );
      const error = rejection(await importRows(w, records));
      expect(error.problems).toEqual([
        { line: 3, message: 'email "jane@" is not an email address (like jane@example.org)' },
        {
          line: 4,
          message: 'x_handle "@way_too_long_for_x" is not an X handle (1–15 letters, digits or _, like @janedoe)',
        },
        { line: 5, message: 'cadence_days "monthly" must be a whole number of days from 1 to 3650' },
        { line: 6, message: "has 2 fields; the header has 8" },
        { line: 7, message: "x_handle @janedoe is also on line 2" },
        { line: 8, message: "email jane@example.org is also on line 2" },
        { line: 10, message: 'the name "pat kim" (with no email or x_handle to tell them apart) is also on line 9' },
        { line: 11, message: 'cadence_days "0" must be a whole number of days from 1 to 3650' },
        { line: 12, message: "name is required" },
        { line: 13, message: 'email "nope" is not an email address (like jane@example.org)' },
        { line: 13, message: 'cadence_days "9999" must be a whole number of days from 1 to 3650' },
      ]);
      expect(await allContacts(w)).toEqual([]);
    });

    it("reports a row with too many fields, and long values", async () => {
      const w = await world();
      const records = rows(
        "Jane Doe,,,,,,,,extra",
        `${"n".repeat(201)},,,,,,,`,
        `Long Segment,,,${"s".repeat(101)},,,,`,
        `Many Tags,,,,${Array.from({ length: 51 }, (_, i) => `t${i}`).join(";")},,,`,
      );
      expect(rejection(await importRows(w, records)).problems).toEqual([
        { line: 2, message: "has 9 fields; the header has 8" },
        { line: 3, message: "name is longer than 200 characters" },
        { line: 4, message: "segment is longer than 100 characters" },
        { line: 5, message: "tags are limited to 50" },
      ]);
    });

    it("names the line and column of a character the database can't hold, in a dry run and a real one alike", async () => {
      const w = await world();
      const records = rows(
        JANE, // 2: fine
        "Maria Chen,maria@riverside.org,,board,,,,Met at the gala\u0000", // 3
        "Sam\u0000Lee,sam@exa\u0000mple.org,,,,,,", // 4: two cells, and an email that would otherwise read as one
        "Ana Ruiz,,,donor\u001b[2J,,,,", // 5: an escape a terminal would act on
        "Lee Wong,,,,,,,half an emoji \uD83C", // 6
        "Ok Row,,,,,,,tabs\tand\nline breaks are fine", // 7
      );
      const expected = [
        { line: 3, message: "the notes column holds a NUL character (U+0000) after “Met at the gala”" },
        { line: 4, message: "the name column holds a NUL character (U+0000) after “Sam”" },
        { line: 4, message: "the email column holds a NUL character (U+0000) after “sam@exa”" },
        { line: 5, message: "the segment column holds an invisible control character (U+001B) after “donor”" },
        {
          line: 6,
          message:
            "the notes column holds a broken character (half of a UTF-16 surrogate pair, U+D83C) after “half an emoji ”",
        },
      ];
      expect(rejection(await importRows(w, records, { dryRun: true })).problems).toEqual(expected);
      expect(rejection(await importRows(w, records)).problems).toEqual(expected);
      expect(await allContacts(w)).toEqual([]);
    });

    it("names a header cell holding a NUL", async () => {
      const w = await world();
      const error = rejection(await importRows(w, rows("Jane Doe,x"), { header: ["name", "no\u0000tes"] }));
      expect(error.problems).toEqual([
        { line: 1, message: "column 2 of the header holds a NUL character (U+0000) after “no”" },
      ]);
    });

    it("uses the line numbers it is given, for records that span several lines", async () => {
      const w = await world();
      const records: CsvRecord[] = [
        { line: 2, values: ["Jane Doe", "", "", "", "", "", "", "a note\nover two lines"] },
        { line: 4, values: ["Bad", "bad", "", "", "", "", "", ""] },
      ];
      expect(rejection(await importRows(w, records)).problems.map((p) => p.line)).toEqual([4]);
    });
  });

  describe("dry run", () => {
    it("reports the same counts as a real import but writes nothing", async () => {
      const w = await world();
      await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe")] });
      const before = await allContacts(w);
      const progress: ImportProgress[] = [];
      const records = rows(JANE, MARIA, SAM);

      const dry = unwrap(await importRows(w, records, { dryRun: true, onProgress: (p) => progress.push(p) }));
      expect(dry).toEqual({ rows: 3, created: 2, updated: 1, unchanged: 0, dryRun: true, first: false });
      expect(await allContacts(w)).toEqual(before);
      expect(progress).toEqual([]);

      const real = unwrap(await importRows(w, records));
      expect(real).toEqual({ ...dry, dryRun: false });
    });

    it("still reports bad rows", async () => {
      const w = await world();
      const error = rejection(await importRows(w, rows("Bad,bad,,,,,,"), { dryRun: true }));
      expect(error.problems).toHaveLength(1);
    });
  });

  describe("re-importing", () => {
    it("changes nothing the second time", async () => {
      const w = await world();
      const records = rows(JANE, MARIA, SAM, "Pat Kim,,,,,,,");
      unwrap(await importRows(w, records));
      const afterFirst = await allContacts(w);

      const again = unwrap(await importRows(w, records));
      expect(again).toEqual({ rows: 4, created: 0, updated: 0, unchanged: 4, dryRun: false, first: false });
      expect(await allContacts(w)).toEqual(afterFirst);
    });
  });

  describe("matching existing contacts", () => {
    it("matches by X handle and updates: tags unioned, empty cells keep what is stored", async () => {
      const w = await world();
      await seedContact(w, {
        name: "Jane Doe",
        segment: "donor",
        tags: ["lapsed", "gala"],
        owner: "U1",
        cadenceDays: 14,
        notes: "typed in chat",
        identities: [xId("janedoe")],
      });
      const report = unwrap(await importRows(w, rows("Jane Doe,,janedoe,,gala;spring,,,")));
      expect(report).toEqual({ rows: 1, created: 0, updated: 1, unchanged: 0, dryRun: false, first: false });
      expect(await storedByName(w)).toEqual({
        "Jane Doe": {
          segment: "donor",
          tags: ["lapsed", "gala", "spring"],
          owner: "U1",
          cadenceDays: 14,
          notes: "typed in chat",
          identities: [xId("janedoe")],
        },
      });
    });

    it("matches by X handle and takes the file's name, segment, owner, cadence and notes when given", async () => {
      const w = await world();
      await seedContact(w, {
        name: "J. Doe",
        segment: "donor",
        owner: "U1",
        cadenceDays: 14,
        identities: [xId("janedoe")],
      });
      unwrap(await importRows(w, rows(JANE)));
      expect(await storedByName(w)).toEqual({
        "Jane Doe": {
          segment: "major donor",
          tags: ["gala", "board"],
          owner: "U024BE7LH",
          cadenceDays: 30,
          notes: "met at the gala",
          identities: [xId("janedoe"), emailId("jane@example.org")],
        },
      });
    });

    it("matches by email when the handle is unknown, adding the handle", async () => {
      const w = await world();
      await seedContact(w, { name: "Maria Chen", identities: [emailId("maria@riverside.org")] });
      const report = unwrap(await importRows(w, rows("Maria Chen,MARIA@riverside.org,mariachen,,,,,")));
      expect(report).toMatchObject({ created: 0, updated: 1 });
      expect(await storedByName(w)).toMatchObject({
        "Maria Chen": { identities: [emailId("maria@riverside.org"), xId("mariachen")] },
      });
    });

    it("matches by exact name when no identity is known, adding the identities", async () => {
      const w = await world();
      const dev = await seedContact(w, { name: "Dev Patel", tags: ["board"] });
      const report = unwrap(await importRows(w, rows("Dev Patel,dev@example.org,devpatel,,,,,")));
      expect(report).toMatchObject({ created: 0, updated: 1 });
      const [stored] = await allContacts(w);
      expect(stored).toMatchObject({
        id: dev.id,
        name: "Dev Patel",
        tags: ["board"],
        identities: [xId("devpatel"), emailId("dev@example.org")],
      });
    });

    it("does not match by name a contact who already has another identity on the same platform", async () => {
      const w = await world();
      await seedContact(w, { name: "Sam Lee", identities: [xId("samlee")] });
      const report = unwrap(await importRows(w, rows("Sam Lee,,samuel_lee,,,,,")));
      expect(report).toMatchObject({ created: 1, updated: 0 });
      const identities = (await allContacts(w)).map((c) => c.identities);
      expect(identities).toHaveLength(2);
      expect(identities).toEqual(expect.arrayContaining([[xId("samlee")], [xId("samuel_lee")]]));
    });

    it("reports bad fields and clashes with stored contacts together, in line order", async () => {
      const w = await world();
      await seedContact(w, { name: "Ann Ray", identities: [xId("annray")] });
      await seedContact(w, { name: "Bo Diaz", identities: [emailId("bo@example.org")] });
      const error = rejection(
        await importRows(w, rows("Mixed Up,bo@example.org,@annray,,,,,", "Broken,not-an-email,,,,,,")),
      );
      expect(error.problems.map((p) => p.line)).toEqual([2, 3]);
      expect(error.problems[0]?.message).toBe(
        "x_handle @annray belongs to Ann Ray but email bo@example.org belongs to Bo Diaz",
      );
      expect(error.problems[1]?.message).toMatch(/^email "not-an-email" is not an email address/);
    });

    it("refuses a name-only row that fits several contacts, rather than adding another on every import", async () => {
      const w = await world();
      await seedContact(w, { name: "Pat Kim", segment: "donor" });
      await seedContact(w, { name: "pat kim", segment: "press" });
      const before = await allContacts(w);
      const error = rejection(await importRows(w, rows(MARIA, "Pat Kim,,,,,,,")));
      expect(error.problems).toEqual([
        { line: 3, message: "2 contacts are named Pat Kim; add an email or x_handle to say which" },
      ]);
      expect(await allContacts(w)).toEqual(before);
    });

    it("creates a new contact for a row with an identity whose name fits several contacts", async () => {
      const w = await world();
      await seedContact(w, { name: "Pat Kim" });
      await seedContact(w, { name: "Pat Kim" });
      expect(unwrap(await importRows(w, rows("Pat Kim,pat@example.org,,,,,,")))).toMatchObject({ created: 1 });
      expect(unwrap(await importRows(w, rows("Pat Kim,pat@example.org,,,,,,")))).toMatchObject({
        created: 0,
        unchanged: 1,
      });
    });

    it("matches an archived contact rather than making a second one", async () => {
      const w = await world();
      const jane = await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe")] });
      await w.storage.withTenant(w.tenantId, (repos) => repos.contacts.update(jane.id, { archived: true }));
      expect(unwrap(await importRows(w, rows("Jane Doe,,janedoe,,,,,")))).toMatchObject({ created: 0, unchanged: 1 });
      expect(await allContacts(w)).toHaveLength(1);
    });
  });

  describe("conflicts with what is stored", () => {
    async function janeAndMaria() {
      const w = await world();
      await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe"), emailId("jane@example.org")] });
      await seedContact(w, { name: "Maria Chen", identities: [emailId("maria@riverside.org")] });
      return w;
    }

    it("reports a handle that belongs to one contact and an email that belongs to another", async () => {
      const w = await janeAndMaria();
      const before = await allContacts(w);
      const error = rejection(await importRows(w, rows(SAM, "Jane Doe,maria@riverside.org,janedoe,,,,,")));
      expect(error.problems).toEqual([
        {
          line: 3,
          message: "x_handle @janedoe belongs to Jane Doe but email maria@riverside.org belongs to Maria Chen",
        },
      ]);
      expect(await allContacts(w)).toEqual(before);
    });

    it("reports a contact that already has another identity on the same platform", async () => {
      const w = await janeAndMaria();
      const error = rejection(await importRows(w, rows("Jane Doe,jane@work.org,janedoe,,,,,")));
      expect(error.problems).toEqual([
        { line: 2, message: "Jane Doe already has jane@example.org; the file says jane@work.org" },
      ]);
    });

    it("reports two rows that update the same contact", async () => {
      const w = await janeAndMaria();
      const error = rejection(await importRows(w, rows("Jane Doe,,janedoe,,,,,", "Jane D,jane@example.org,,,,,,")));
      expect(error.problems).toEqual([{ line: 3, message: "updates Jane Doe, as line 2 does too" }]);
    });
  });

  describe("progress", () => {
    it("reports validation, then writing with done rising to the total", async () => {
      const w = await world();
      await seedContact(w, { name: "Existing", identities: [xId("existing")] });
      const records = [
        ...Array.from({ length: 1_100 }, (_, i) => ({ line: i + 2, values: [`Person ${i}`, `p${i}@example.org`] })),
        { line: 1_102, values: ["Existing", "existing@example.org"] },
      ];
      const progress: ImportProgress[] = [];
      const report = unwrap(
        await importRows(w, records, { header: ["name", "email"], onProgress: (p) => progress.push(p) }),
      );
      expect(report).toMatchObject({ rows: 1_101, created: 1_100, updated: 1, unchanged: 0 });

      expect(progress.map((p) => p.done)).toEqual([0, 500, 1_000, 1_100, 1_101]);
      expect(progress.every((p) => p.total === 1_101)).toBe(true);
      expect(await allContacts(w)).toHaveLength(1_101);
    });

    it("counts updates too, ending at the total", async () => {
      const w = await world();
      await seedContact(w, { name: "Jane Doe", identities: [xId("janedoe")] });
      const progress: ImportProgress[] = [];
      unwrap(await importRows(w, rows(MARIA, "Jane Doe,,janedoe,,vip,,,"), { onProgress: (p) => progress.push(p) }));
      const done = progress.map((p) => p.done);
      expect(done).toEqual([0, 1, 2]);
      for (let i = 1; i < done.length; i++) expect(done[i]).toBeGreaterThan(done[i - 1] ?? 0);
    });
  });
});
