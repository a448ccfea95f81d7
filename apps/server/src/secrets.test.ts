import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadEnv } from "./env.js";
import { loadEncryptionKey } from "./secrets.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "touchpoint-key-"));
  dirs.push(dir);
  return dir;
}

describe("the encryption key", () => {
  it("is generated once into the data directory, private to this user, and reused", async () => {
    const dir = join(await tempDir(), "data");
    const env = loadEnv({ TOUCHPOINT_DATA_DIR: dir });
    const key = await loadEncryptionKey(env, () => {});
    expect(key).toHaveLength(32);
    expect((await stat(join(dir, "encryption.key"))).mode & 0o777).toBe(0o600);
    expect(await loadEncryptionKey(env, () => {})).toEqual(key);
  });

  it("comes from TOUCHPOINT_ENCRYPTION_KEY when set", async () => {
    const given = Buffer.alloc(32, 5);
    const env = loadEnv({ TOUCHPOINT_ENCRYPTION_KEY: given.toString("base64"), TOUCHPOINT_DATA_DIR: "/nonexistent" });
    expect(await loadEncryptionKey(env, () => {})).toEqual(given);
  });

  it("refuses a damaged key file rather than making a new key", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "encryption.key"), "c2hvcnQ=\n");
    await expect(loadEncryptionKey(loadEnv({ TOUCHPOINT_DATA_DIR: dir }), () => {})).rejects.toThrow(/32-byte/);
  });
});
