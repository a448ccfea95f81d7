import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSecretBox, createStorage, registeredSealingKeys } from "@touchpoint/db";
import { storedSealedValues, tenantWithSecrets } from "@touchpoint/db/testing";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../database.js";
import { loadEnv } from "../env.js";
import type { CliContext } from "./context.js";
import { rotateKey } from "./rotate-key.js";

const OLD_KEY = Buffer.alloc(32, 31);
const NEW_KEY = Buffer.alloc(32, 32);
const oldBox = createSecretBox(OLD_KEY);

const cleanups: (() => Promise<void>)[] = [];
afterAll(() => Promise.all(cleanups.map((clean) => clean())));

describe("rotate-key", () => {
  it("keeps the old key registered when a server still on it sealed a value behind the pass", async () => {
    const path = await mkdtemp(join(tmpdir(), "touchpoint-rotate-"));
    cleanups.push(() => rm(path, { recursive: true, force: true }));
    const env = (key: Buffer, previous?: Buffer) =>
      loadEnv({
        TOUCHPOINT_DATA_DIR: path,
        TOUCHPOINT_ENCRYPTION_KEY: key.toString("base64"),
        ...(previous && { TOUCHPOINT_ENCRYPTION_KEY_PREVIOUS: previous.toString("base64") }),
      });
    const seeded = await openDatabase(env(OLD_KEY), () => {});
    const { tenantId } = await tenantWithSecrets(seeded.storage, 1);
    await seeded.close();

    const errors: string[] = [];
    const ctx: CliContext = {
      env: env(NEW_KEY, OLD_KEY),
      out: { print: () => {}, error: (text) => errors.push(text) },
      stdin: () => null,
      openDatabase: () => openDatabase(env(NEW_KEY, OLD_KEY), () => {}),
    };
    const refused = await rotateKey(ctx, {
      batchSize: 100,
      json: true,
      // A replica never restarted with the new key connects X again, after the pass went by.
      afterPass: async (handle) => {
        await createStorage(handle.db, { secrets: oldBox }).withTenant(tenantId, (r) =>
          r.socialAccounts.connect({ platform: "x", handle: "late", externalUserId: "77", credentials: "late-token" }),
        );
      },
    }).catch((error: unknown) => error);
    expect(String(refused)).toContain("1 value were sealed under the old key while this ran");

    const after = await openDatabase(env(NEW_KEY, OLD_KEY), () => {});
    try {
      expect(await registeredSealingKeys(after.handle.db)).toContain(oldBox.keyId);
      const stale = (await storedSealedValues(after.handle, [tenantId])).filter((v) => oldBox.isCurrent(v));
      expect(stale).toHaveLength(1);
    } finally {
      await after.close();
    }
  });
});
