import { afterAll, beforeAll } from "vitest";
import { createStorage } from "./storage.js";
import { describeQueryErrors, type FreshDatabase, freshDatabase, testSecrets } from "./testing/index.js";

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database?.drop());

describeQueryErrors("PostgreSQL, the app as its login user", async () => ({
  admin: (await database.connect("admin", 2)).db,
  storage: createStorage((await database.connect("app")).db, { secrets: testSecrets }),
}));
