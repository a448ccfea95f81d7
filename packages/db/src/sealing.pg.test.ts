import { afterEach } from "vitest";
import { describeSealing, type FreshDatabase, freshDatabase } from "./testing/index.js";

const databases: FreshDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((database) => database.drop()));
});

// As the app's login user: the registry and re-sealing work through the roles' grants, not as the owner.
describeSealing("PostgreSQL, as the app's login user", async () => {
  const database = await freshDatabase();
  databases.push(database);
  return database.connect("app");
});
