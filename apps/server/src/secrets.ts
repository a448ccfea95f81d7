import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { DatabaseReport } from "./database.js";
import type { Env } from "./env.js";

const KEY_FILE = "encryption.key";
/** The key a rotation of the key file is moving away from, kept until every value is re-sealed. */
const PREVIOUS_KEY_FILE = "encryption.key.previous";

/** The keys a process seals and opens with, and where the sealing key came from (for messages). */
export interface EncryptionKeys {
  readonly current: Buffer;
  /** Keys values may still be sealed with during a rotation: opened with, never sealed with. */
  readonly previous: readonly Buffer[];
  readonly source: { readonly kind: "env" } | { readonly kind: "file"; readonly path: string };
}

/**
 * The keys that encrypt tokens at rest. With TOUCHPOINT_ENCRYPTION_KEY set (PostgreSQL needs it;
 * env.ts insists), that key, and TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS beside it during a rotation.
 * On the embedded default, the key file in the data directory, generated on first use and readable
 * by this user only, and the previous key file while a rotation of it is unfinished.
 */
export async function loadEncryptionKeys(env: Env, report: DatabaseReport): Promise<EncryptionKeys> {
  if (env.TOUCHPOINT_ENCRYPTION_KEY) {
    return {
      current: Buffer.from(env.TOUCHPOINT_ENCRYPTION_KEY, "base64"),
      previous: env.TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS
        ? [Buffer.from(env.TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS, "base64")]
        : [],
      source: { kind: "env" },
    };
  }
  const dataDir = resolve(env.TOUCHPOINT_DATA_DIR);
  const path = join(dataDir, KEY_FILE);
  const current = await loadOrCreateKeyFile(dataDir, report);
  const previous = await readKeyFile(join(dataDir, PREVIOUS_KEY_FILE));
  return { current, previous: previous && !previous.equals(current) ? [previous] : [], source: { kind: "file", path } };
}

/** The embedded key file; made on first use. */
async function loadOrCreateKeyFile(dataDir: string, report: DatabaseReport): Promise<Buffer> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, KEY_FILE);
  const existing = await readKeyFile(path);
  if (existing) return existing;
  const key = randomBytes(32);
  // Written whole to a temporary name, then linked into place: the key file is never seen empty,
  // and link() refuses to replace a key another process just made (tokens sealed with it would be lost).
  const draft = await writeDraft(path, key);
  try {
    await link(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadOrCreateKeyFile(dataDir, report);
    throw error;
  } finally {
    await rm(draft, { force: true });
  }
  await syncDirectory(dataDir);
  report({ kind: "key-generated", path });
  return key;
}

async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key; restore it or remove it`);
  return key;
}

/** A key written to a temporary file beside `path`, on disk before anything is sealed with it. */
async function writeDraft(path: string, key: Buffer): Promise<string> {
  const draft = `${path}.${process.pid}.tmp`;
  await writeFile(draft, `${key.toString("base64")}\n`, { mode: 0o600 });
  const handle = await open(draft, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return draft;
}

/** A rename or link is only durable once its directory is; where a directory cannot be synced, it is not. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r").catch(() => undefined);
  try {
    await handle?.sync();
  } catch {
    // Not every platform syncs directories (Windows); the file itself was synced.
  } finally {
    await handle?.close();
  }
}

/**
 * Rotating the embedded default's key: the key file gets a new key, and the old one is kept in
 * encryption.key.previous until every stored value is re-sealed (finishKeyFileRotation). A
 * rotation cut short is resumed, not started over: while the previous file is there, no new key
 * is made. Each step leaves a key file in place, so a crash at any point loses no key.
 * Call it holding the data-directory lock.
 */
export async function rotateKeyFile(
  env: Env,
  report: DatabaseReport,
): Promise<EncryptionKeys & { readonly generated: boolean; readonly source: { kind: "file"; path: string } }> {
  const dataDir = resolve(env.TOUCHPOINT_DATA_DIR);
  const path = join(dataDir, KEY_FILE);
  const previousPath = join(dataDir, PREVIOUS_KEY_FILE);
  const current = await loadOrCreateKeyFile(dataDir, report);
  let previous = await readKeyFile(previousPath);
  if (!previous) {
    // Two names for the old key first, so that replacing the key file below never leaves it nowhere.
    await link(path, previousPath);
    await syncDirectory(dataDir);
    previous = current;
  }
  if (!previous.equals(current)) {
    return { current, previous: [previous], source: { kind: "file", path } as const, generated: false };
  }
  const next = randomBytes(32);
  const draft = await writeDraft(path, next);
  await rename(draft, path);
  await syncDirectory(dataDir);
  report({ kind: "key-rotated", path, previousPath });
  return { current: next, previous: [previous], source: { kind: "file", path } as const, generated: true };
}

/** Every value is under the key file's key now: the old key opens nothing stored, and goes. */
export async function finishKeyFileRotation(env: Env): Promise<void> {
  const dataDir = resolve(env.TOUCHPOINT_DATA_DIR);
  await rm(join(dataDir, PREVIOUS_KEY_FILE), { force: true });
  await syncDirectory(dataDir);
}
