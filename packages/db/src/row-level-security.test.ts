import { describeRowLevelSecurity, sharedEmbeddedDb, sharedEmbeddedStorage } from "./testing/index.js";

describeRowLevelSecurity("embedded PGlite", async () => ({
  db: (await sharedEmbeddedDb()).db,
  storage: await sharedEmbeddedStorage(),
}));
