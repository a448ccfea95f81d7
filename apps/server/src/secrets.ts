import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { DatabaseReport } from "./database.js";
import type { Env } from "./env.js";

const KEY_FILE = "encryption.key";

/**
 * The key that encrypts tokens at rest. With PostgreSQL it must come from TOUCHPOINT_ENCRYPTION_KEY
 * (env.ts insists); on the embedded default it is generated once into the data directory, readable
 * by this user only.
 */
export async function loadEncryptionKey(env: Env, report: DatabaseReport): Promise<Buffer> {
  if (env.TOUCHPOINT_ENCRYPTION_KEY) return Buffer.from(env.TOUCHPOINT_ENCRYPTION_KEY, "base64");
  const dataDir = resolve(env.TOUCHPOINT_DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, KEY_FILE);
  try {
    const key = Buffer.from((await readFile(path, "utf8")).trim(), "base64");
    if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key; restore it or remove it`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const key = randomBytes(32);
  // Written whole to a temporary name, then linked into place: the key file is never seen empty,
  // and link() refuses to replace a key another process just made (tokens sealed with it would be lost).
  const draft = `${path}.${process.pid}.tmp`;
  await writeFile(draft, `${key.toString("base64")}\n`, { mode: 0o600 });
  try {
    await link(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadEncryptionKey(env, report);
    throw error;
  } finally {
    await rm(draft, { force: true });
  }
  report({ kind: "key-generated", path });
  return key;
}
