import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createSecretBox, registeredSealingKeys } from "@touchpoint/db";
import { storedSealedValues, tenantWithSecrets } from "@touchpoint/db/testing";
import { cli, loadEnv, openDatabase } from "@touchpoint/server/testing";
import { describe, expect, it } from "vitest";
import { runTouchpoint, startTouchpoint } from "../support/processes.js";
import { tempDir } from "../support/temp.js";

const keyIn = async (path: string) => Buffer.from((await readFile(path, "utf8")).trim(), "base64");

describe("the encryption key on the embedded default", () => {
  it("rotates as a new key file, and a key file that is not the data's stops serve with one line", async () => {
    const dataDir = await tempDir("key");
    const keyFile = join(dataDir, "encryption.key");
    const env = { TOUCHPOINT_DATA_DIR: dataDir };
    const seeded = await openDatabase(loadEnv(env), () => {});
    const { tenantId, plain } = await tenantWithSecrets(seeded.storage, 2);
    await seeded.close();
    const oldKey = await keyIn(keyFile);

    const rotated = await runTouchpoint(["rotate-key"], env);
    expect(rotated.code).toBe(0);
    expect(rotated.stderr).toContain(`· the embedded database's key is the file ${keyFile}: wrote a new key there`);
    expect(rotated.stdout).toContain("Re-sealed 5 values under key id");
    expect(rotated.stdout).toContain(`is no longer needed and was removed; ${keyFile} is the key now`);
    const newKey = await keyIn(keyFile);
    expect(newKey.equals(oldKey)).toBe(false);
    await expect(readFile(`${keyFile}.previous`)).rejects.toMatchObject({ code: "ENOENT" });

    const reopened = await openDatabase(loadEnv(env), () => {});
    try {
      const stored = await storedSealedValues(reopened.handle, [tenantId]);
      expect(stored.filter((v) => createSecretBox(oldKey).keyIdOpening(v) !== undefined)).toEqual([]);
      expect(stored.map((v) => createSecretBox(newKey).open(v)).sort()).toEqual([...plain].sort());
      expect(await registeredSealingKeys(reopened.handle.db)).toEqual([createSecretBox(newKey).keyId]);
    } finally {
      await reopened.close();
    }

    // The old key file put back, say from an old backup: refused before serving, in one line.
    await writeFile(keyFile, `${oldKey.toString("base64")}\n`);
    const wrong = await runTouchpoint(["serve"], { ...env, PORT: "0", HOST: "127.0.0.1" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split("\n")).toEqual([
      `touchpoint: the key in ${keyFile} is not the key this database's tokens were sealed with (it is key id ${createSecretBox(oldKey).keyId}; they were sealed with key id ${createSecretBox(newKey).keyId}); restore the key file that belongs with this data, or set TOUCHPOINT_ENCRYPTION_KEY to that key`,
    ]);

    await writeFile(keyFile, `${newKey.toString("base64")}\n`);
    const server = await startTouchpoint(env);
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("says what --batch-size needs before touching anything", async () => {
    const run = await cli("rotate-key", "--batch-size", "0");
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('touchpoint: --batch-size needs a whole number above 0 (got "0")');
  });
});
