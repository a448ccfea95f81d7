import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { DatabaseEvent } from "./database.js";
import { loadEnv } from "./env.js";
import { finishKeyFileRotation, loadEncryptionKeys, rotateKeyFile } from "./secrets.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "touchpoint-key-"));
  dirs.push(dir);
  return dir;
}
const ignore = () => {};

describe("the encryption key", () => {
  it("is generated once into the data directory, private to this user, and reused", async () => {
    const dir = join(await tempDir(), "data");
    const env = loadEnv({ TOUCHPOINT_DATA_DIR: dir });
    const events: DatabaseEvent[] = [];
    const keys = await loadEncryptionKeys(env, (event) => events.push(event));
    expect(keys.current).toHaveLength(32);
    expect(keys.previous).toEqual([]);
    expect(keys.source).toEqual({ kind: "file", path: join(dir, "encryption.key") });
    expect(events).toEqual([{ kind: "key-generated", path: join(dir, "encryption.key") }]);
    expect((await stat(join(dir, "encryption.key"))).mode & 0o777).toBe(0o600);
    expect((await loadEncryptionKeys(env, ignore)).current).toEqual(keys.current);
  });

  it("comes from TOUCHPOINT_ENCRYPTION_KEY when set, with the previous key of a rotation beside it", async () => {
    const given = Buffer.alloc(32, 5);
    const old = Buffer.alloc(32, 4);
    const env = loadEnv({
      TOUCHPOINT_ENCRYPTION_KEY: given.toString("base64"),
      TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS: old.toString("base64"),
      TOUCHPOINT_DATA_DIR: "/nonexistent",
    });
    expect(await loadEncryptionKeys(env, ignore)).toEqual({ current: given, previous: [old], source: { kind: "env" } });
  });

  it("refuses a damaged key file rather than making a new key", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "encryption.key"), "c2hvcnQ=\n");
    await expect(loadEncryptionKeys(loadEnv({ TOUCHPOINT_DATA_DIR: dir }), ignore)).rejects.toThrow(/32-byte/);
  });
});

describe("rotating the embedded key file", () => {
  it("writes a new key, keeps the old one beside it until finished, and resumes rather than starting over", async () => {
    const dir = await tempDir();
    const env = loadEnv({ TOUCHPOINT_DATA_DIR: dir });
    const original = (await loadEncryptionKeys(env, ignore)).current;

    const events: DatabaseEvent[] = [];
    const rotation = await rotateKeyFile(env, (event) => events.push(event));
    expect(rotation.generated).toBe(true);
    expect(rotation.previous).toEqual([original]);
    expect(rotation.current).not.toEqual(original);
    expect(events).toEqual([
      { kind: "key-rotated", path: join(dir, "encryption.key"), previousPath: join(dir, "encryption.key.previous") },
    ]);
    expect((await stat(join(dir, "encryption.key"))).mode & 0o777).toBe(0o600);

    // A server started mid-rotation opens values under either key.
    expect(await loadEncryptionKeys(env, ignore)).toMatchObject({ current: rotation.current, previous: [original] });
    // Run again before it finished: the same two keys, no third.
    const resumed = await rotateKeyFile(env, ignore);
    expect(resumed).toMatchObject({ generated: false, current: rotation.current, previous: [original] });

    await finishKeyFileRotation(env);
    expect(await loadEncryptionKeys(env, ignore)).toMatchObject({ current: rotation.current, previous: [] });
    await expect(readFile(join(dir, "encryption.key.previous"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("recovers from a rotation cut off after keeping the old key and before writing the new one", async () => {
    const dir = await tempDir();
    const env = loadEnv({ TOUCHPOINT_DATA_DIR: dir });
    const original = (await loadEncryptionKeys(env, ignore)).current;
    await copyFile(join(dir, "encryption.key"), join(dir, "encryption.key.previous"));
    expect((await loadEncryptionKeys(env, ignore)).previous).toEqual([]);
    const rotation = await rotateKeyFile(env, ignore);
    expect(rotation).toMatchObject({ generated: true, previous: [original] });
    expect(rotation.current).not.toEqual(original);
  });
});
