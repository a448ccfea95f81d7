import { describeQueryErrors, sharedEmbeddedDb, sharedEmbeddedStorage } from "./testing/index.js";

describeQueryErrors("embedded PGlite", async () => ({
  admin: (await sharedEmbeddedDb()).db,
  storage: await sharedEmbeddedStorage(),
}));
