import { inspect } from "node:util";
import type { Storage } from "@touchpoint/core";
import { newTenant } from "@touchpoint/core/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../client.js";
import { DatabaseError } from "../errors.js";

/** A contact's name and note: what must never reach a message, a log line or a printed stack. */
const NAME = "Maria Chen";
const NOTE = "Met at the gala";

async function rejection(work: Promise<unknown>): Promise<DatabaseError> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DatabaseError);
  return error as DatabaseError;
}

/** Everything a person or a log could be shown of the error holds none of the data nor the SQL. */
function expectNothingOf(error: DatabaseError, ...secrets: string[]): void {
  const shown = [
    String(error),
    error.stack ?? "",
    JSON.stringify(error),
    inspect(error, { depth: 10, showHidden: true }),
    JSON.stringify(Object.fromEntries(Object.entries(error))),
  ].join("\n");
  for (const secret of [...secrets, "Failed query", "params:", "values ("]) expect(shown).not.toContain(secret);
  expect(error).not.toHaveProperty("cause");
  expect(error).not.toHaveProperty("params");
  expect(error).not.toHaveProperty("query");
  expect(error).not.toHaveProperty("detail");
}

/**
 * Failed queries throw DatabaseError with the database's code and message and none of the data
 * they were sent, whichever driver runs them. `admin` may create tables; `storage` is the app's.
 */
export function describeQueryErrors(
  name: string,
  setup: () => Promise<{ readonly admin: Database; readonly storage: Storage }>,
): void {
  describe(`failed queries carry no data (${name})`, () => {
    let admin: Database;
    let storage: Storage;
    const table = `probe_people_${Math.random().toString(36).slice(2, 8)}`;
    const probe = sql.identifier(table);
    const deferred = sql.identifier(`${table}_deferred`);

    beforeAll(async () => {
      ({ admin, storage } = await setup());
      await admin.execute(sql`create table ${probe} (name text unique, note text check (note <> 'forbidden'))`);
      await admin.execute(sql`create table ${deferred} (name text unique deferrable initially deferred)`);
    });
    afterAll(async () => {
      await admin?.execute(sql`drop table if exists ${probe}, ${deferred}`);
    });

    it("a contact's name with a NUL, through the contacts repository: the database's code and message only", async () => {
      const tenantId = await newTenant(storage);
      const error = await rejection(
        storage.withTenant(tenantId, (r) => r.contacts.create({ name: "Maria\u0000Chen", notes: NOTE })),
      );
      expect(error).toMatchObject({
        name: "DatabaseError",
        code: "22021",
        reason: 'invalid byte sequence for encoding "UTF8": 0x00',
        statement: "insert on contacts",
      });
      expect(error.message).toBe(
        'invalid byte sequence for encoding "UTF8": 0x00 (SQLSTATE 22021, insert on contacts)',
      );
      expectNothingOf(error, "Maria", NOTE, "insert into");
      expect(await storage.withTenant(tenantId, (r) => r.contacts.list())).toEqual([]);
    });

    it("a value the database quotes in its message is taken out of it", async () => {
      const error = await rejection(admin.execute(sql`select ${NAME}::uuid`));
      expect(error).toMatchObject({ code: "22P02", reason: 'invalid input syntax for type uuid: "…"' });
      expectNothingOf(error, NAME);
    });

    it("a unique violation keeps its constraint, not the row in its detail", async () => {
      await admin.execute(sql`insert into ${probe} (name, note) values (${NAME}, ${NOTE})`);
      const error = await rejection(admin.execute(sql`insert into ${probe} (name, note) values (${NAME}, ${NOTE})`));
      expect(error).toMatchObject({
        code: "23505",
        constraint: `${table}_name_key`,
        table,
        statement: `insert on ${table}`,
      });
      expect(error.reason).toBe(`duplicate key value violates unique constraint "${table}_name_key"`);
      expectNothingOf(error, NAME, NOTE);
    });

    it("a check violation inside a transaction, rolled back, keeps nothing of the failing row", async () => {
      const error = await rejection(
        admin.transaction(async (tx) => {
          await tx.execute(sql`insert into ${probe} (name, note) values (${"Dev Patel"}, ${NOTE})`);
          await tx.execute(sql`update ${probe} set note = ${"forbidden"} where name = ${"Dev Patel"}`);
        }),
      );
      expect(error).toMatchObject({ code: "23514", table, statement: `update on ${table}` });
      expectNothingOf(error, "Dev Patel", NOTE);
      const rows = await admin.execute(sql`select count(*)::int as n from ${probe} where name = ${"Dev Patel"}`);
      expect(JSON.stringify(rows)).toContain('"n":0');
    });

    it("a violation found at COMMIT, which the driver reports itself, is cleaned the same way", async () => {
      const error = await rejection(
        admin.transaction(async (tx) => {
          await tx.execute(sql`insert into ${deferred} (name) values (${NAME})`);
          await tx.execute(sql`insert into ${deferred} (name) values (${NAME})`);
        }),
      );
      expect(error).toMatchObject({ code: "23505", constraint: `${table}_deferred_name_key` });
      expectNothingOf(error, NAME);
    });
  });
}
