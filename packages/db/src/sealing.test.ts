import { afterEach } from "vitest";
import { createDb, type DatabaseHandle } from "./client.js";
import { migrate } from "./migrate.js";
import { describeSealing } from "./testing/index.js";

const handles: DatabaseHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.close()));
});

describeSealing("embedded PGlite", async () => {
  const handle = await createDb({ kind: "embedded", dataDir: undefined });
  handles.push(handle);
  await migrate(handle);
  return handle;
});
