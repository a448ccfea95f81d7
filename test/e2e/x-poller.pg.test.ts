import { connectXAccount } from "@touchpoint/core";
import { newTenant } from "@touchpoint/core/testing";
import { createStorage, type DatabaseHandle, queryRows } from "@touchpoint/db";
import { type FreshDatabase, freshDatabase, sql, testSecrets } from "@touchpoint/db/testing";
import { createXSource } from "@touchpoint/x";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeX, startFakeX } from "../fakes/x-api.js";
import { type Serving, startTouchpoint } from "../support/processes.js";

/**
 * The mention poller as production runs it: `touchpoint serve` processes on one PostgreSQL,
 * reading the fake X through the real client. A process killed mid-pagination loses and repeats
 * nothing; two processes at once never poll one account twice.
 */

const TOKEN = "AAAA-shared-app-bearer-token";
const HOUR = 3_600_000;

let database: FreshDatabase;
let admin: DatabaseHandle;
let app: DatabaseHandle;
let x: FakeX;

beforeAll(async () => {
  database = await freshDatabase();
  [admin, app] = await Promise.all([database.connect("admin"), database.connect("app")]);
  x = await startFakeX({ tokens: [TOKEN] });
  x.addUser({ id: "500", username: "janedoe", name: "Jane Doe", followers: 900, following: 300 });
  x.addUser({ id: "501", username: "newvoice", name: "New Voice", followers: 40, following: 90 });
});
afterAll(async () => {
  await x?.close();
  await Promise.all([admin?.close(), app?.close()]);
  await database?.drop();
});

const storage = () => createStorage(app.db, { secrets: testSecrets });

const serverEnv = () => ({
  DATABASE_URL: database.appUrl,
  TOUCHPOINT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  X_API_URL: x.url,
  TOUCHPOINT_SCHEDULER: "on",
  X_POLL_INTERVAL: "15",
});

/** An organization with its X account connected (checked with the fake X) and Jane as a contact. */
async function organization(orgUserId: string, mentions: number): Promise<{ tenantId: string }> {
  x.addUser({ id: orgUserId, username: `org${orgUserId}`, name: `Org ${orgUserId}` });
  const now = Date.now();
  for (let i = 0; i < mentions; i++) {
    x.addPost({
      authorId: i % 4 === 0 ? "500" : "501",
      text: `@org${orgUserId} thank you #${i}`,
      createdAt: new Date(now - HOUR - i * 60_000),
      mentions: orgUserId,
    });
  }
  const s = storage();
  const tenantId = await newTenant(s);
  await s.withTenant(tenantId, (r) =>
    r.contacts.create({ name: "Jane Doe", identities: [{ platform: "x", handle: "janedoe", externalUserId: null }] }),
  );
  const connected = await connectXAccount(
    { storage: s, openSource: createXSource({ apiUrl: x.url }) },
    { tenantId, handle: `org${orgUserId}`, bearerToken: TOKEN, actorId: null },
  );
  expect(connected.ok).toBe(true);
  return { tenantId };
}

/** Post ids stored for a tenant, as the database holds them (duplicates would show twice). */
async function storedPostIds(tenantId: string): Promise<string[]> {
  const rows = await queryRows<{ post_id: string }>(
    admin.db,
    sql`select post_id from mentions where tenant_id = ${tenantId} order by post_id`,
  );
  return rows.map((r) => r.post_id);
}

async function inboundTouches(tenantId: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    admin.db,
    sql`select count(*)::int as n from touchpoints where tenant_id = ${tenantId} and channel = 'x_mention'`,
  );
  return row?.n ?? 0;
}

/** True once every account of these tenants finished a poll: its cursor set, no lease held. */
async function allPolled(tenantIds: readonly string[]): Promise<boolean> {
  const rows = await queryRows<{ done: boolean }>(
    admin.db,
    sql`select (mentions_since_id is not null and lease_owner is null) as done from social_accounts
        where tenant_id = any(${sql.param([...tenantIds])}::uuid[])`,
  );
  return rows.length === tenantIds.length && rows.every((r) => r.done);
}

const sortedUnique = (ids: readonly string[]) => [...new Set(ids)].sort();
const polledCount = (server: Serving) =>
  server
    .logs()
    .split("\n")
    .filter((l) => l.includes('"X account polled"')).length;

describe("the mention poller in real processes on PostgreSQL", () => {
  it("resumes where a killed process stopped mid-pagination: every post served stored once", async () => {
    const orgUserId = "9100";
    const { tenantId } = await organization(orgUserId, 350);
    // Two pages of 100 are read and stored; the third (read while the second is stored) is held
    // while the process is killed.
    const hold = x.holdNext(new RegExp(`/users/${orgUserId}/mentions$`), { after: 2 });
    const first = await startTouchpoint(serverEnv());
    await hold.reached;
    await expect.poll(async () => (await storedPostIds(tenantId)).length, { timeout: 10_000, interval: 50 }).toBe(200);
    first.kill();
    await first.exited;
    hold.release();
    expect(await storedPostIds(tenantId)).toHaveLength(200);

    // The dead process's lease would run out in five minutes; let that time pass.
    await admin.db.execute(
      sql`update social_accounts set lease_expires_at = now() - interval '1 second' where tenant_id = ${tenantId}`,
    );
    const requestsBefore = x.requests.length;
    const second = await startTouchpoint(serverEnv());
    try {
      await expect.poll(() => allPolled([tenantId]), { timeout: 30_000, interval: 100 }).toBe(true);
    } finally {
      await second.stop();
    }
    const resumed = x.requests.slice(requestsBefore).find((r) => r.path.endsWith(`/users/${orgUserId}/mentions`));
    expect(resumed?.query.pagination_token).toBeDefined();

    const stored = await storedPostIds(tenantId);
    expect(stored).toHaveLength(350);
    expect(stored).toEqual(sortedUnique(x.served("mentions", orgUserId)));
    // Jane wrote every fourth mention: one inbound touch each, none twice.
    expect(await inboundTouches(tenantId)).toBe(Math.ceil(350 / 4));
  });

  it("two processes polling at once never read one account twice", async () => {
    // More accounts than one process claims in a round (20), so both have work.
    const orgs = await Promise.all(Array.from({ length: 30 }, (_, i) => organization(String(9200 + i), 120)));
    const tenantIds = orgs.map((o) => o.tenantId);
    // Whoever asks first waits until both processes are up, so their rounds overlap.
    const hold = x.holdNext(/\/users\/92\d\d\/mentions$/);
    const servers = await Promise.all([startTouchpoint(serverEnv()), startTouchpoint(serverEnv())]);
    try {
      await hold.reached;
      hold.release();
      await expect.poll(() => allPolled(tenantIds), { timeout: 60_000, interval: 200 }).toBe(true);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }

    expect(servers.map(polledCount).every((n) => n > 0)).toBe(true);
    for (const [i, tenantId] of tenantIds.entries()) {
      const served = x.served("mentions", String(9200 + i));
      expect(served).toHaveLength(120);
      expect(new Set(served).size).toBe(120);
      expect(await storedPostIds(tenantId)).toEqual(sortedUnique(served));
    }
  });
});
