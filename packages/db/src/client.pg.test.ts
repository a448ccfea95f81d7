import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, queryRows } from "./client.js";
import { type FreshDatabase, freshDatabase } from "./testing/index.js";

let database: FreshDatabase;
/** One connection: a transaction that failed to hand its connection back would hang the next. */
let single: DatabaseHandle;
let observer: DatabaseHandle;

beforeAll(async () => {
  database = await freshDatabase();
  const admin = await database.connect("admin", 1);
  await admin.db.execute(sql`create table pipelined (n int primary key)`);
  await admin.close();
  single = await database.connect("admin", 1);
  observer = await database.connect("admin", 1);
});
afterAll(() => database?.drop());

const stored = async () =>
  (await queryRows<{ n: number }>(observer.db, sql`select n from pipelined order by n`)).map((row) => row.n);

describe("transactions on postgres.js (BEGIN sent with the first queries)", () => {
  it("commits what the work wrote, visible to other connections", async () => {
    await single.db.transaction(async (tx) => {
      await tx.execute(sql`insert into pipelined values (1)`);
      await tx.execute(sql`insert into pipelined values (2)`);
    });
    expect(await stored()).toEqual([1, 2]);
  });

  it("rolls back when the work throws, and hands the connection back", async () => {
    await expect(
      single.db.transaction(async (tx) => {
        await tx.execute(sql`insert into pipelined values (3)`);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await stored()).toEqual([1, 2]);
    // The one connection is free again.
    await single.db.transaction((tx) => tx.execute(sql`insert into pipelined values (4)`));
    expect(await stored()).toEqual([1, 2, 4]);
  });

  it("reports the failing statement's own error, not the aborted transaction's", async () => {
    await expect(
      single.db.transaction(async (tx) => {
        await tx.execute(sql`insert into pipelined values (5)`);
        await tx.execute(sql`insert into pipelined values (1)`);
      }),
    ).rejects.toMatchObject({ code: "23505", message: expect.stringMatching(/^duplicate key/) });
    expect(await stored()).toEqual([1, 2, 4]);
  });

  it("keeps queries sent without waiting in order, behind BEGIN", async () => {
    await single.db.transaction((tx) =>
      Promise.all([6, 7, 8].map((n) => tx.execute(sql`insert into pipelined values (${n})`))),
    );
    expect(await stored()).toEqual([1, 2, 4, 6, 7, 8]);
  });

  it("rolls a nested transaction back to its savepoint only", async () => {
    await single.db.transaction(async (tx) => {
      await tx.execute(sql`insert into pipelined values (9)`);
      await expect(
        tx.transaction(async (inner) => {
          await inner.execute(sql`insert into pipelined values (10)`);
          inner.rollback();
        }),
      ).rejects.toThrow();
      await tx.transaction((inner) => inner.execute(sql`insert into pipelined values (11)`));
    });
    expect(await stored()).toEqual([1, 2, 4, 6, 7, 8, 9, 11]);
  });

  it("honours a mode such as read only", async () => {
    await expect(
      single.db.transaction((tx) => tx.execute(sql`insert into pipelined values (12)`), { accessMode: "read only" }),
    ).rejects.toMatchObject({ code: "25006", message: expect.stringMatching(/read-only transaction/) });
    expect(await stored()).toEqual([1, 2, 4, 6, 7, 8, 9, 11]);
  });
});
