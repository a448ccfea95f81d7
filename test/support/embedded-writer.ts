/**
 * A process that writes to an embedded data directory as fast as it can, through the server's
 * own open path (lock, key, migrations, key check), saying after each commit how many tenants
 * there are: the crash tests kill it mid-write and check that what it said was committed stays.
 *
 *   node --import tsx --conditions=@touchpoint/source test/support/embedded-writer.ts DATA_DIR
 */
import { loadEnv, openDatabase } from "@touchpoint/server/testing";

const dataDir = process.argv[2];
if (!dataDir) throw new Error("usage: embedded-writer.ts DATA_DIR");
const database = await openDatabase(loadEnv({ TOUCHPOINT_DATA_DIR: dataDir }), () => {});
const before = (await database.storage.tenants.list()).length;
process.stdout.write(`opened ${before}\n`);
for (let i = 1; ; i++) {
  const created = await database.storage.tenants.create({
    platform: "slack",
    externalId: `T${process.pid}x${i}`,
    name: `Crash test ${process.pid} ${i}`,
  });
  if (!created.ok) throw new Error(created.error.message);
  // Written only after the commit returned: a line seen by the parent is a committed tenant.
  process.stdout.write(`committed ${before + i}\n`);
}
