import { createDb, shippedMigrations } from "@touchpoint/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEnv } from "../env.js";
import { type RunningServer, startServer } from "../main.js";
import { sharedDatabase, silentLogger } from "../testing/index.js";

const env = loadEnv({ PORT: "0", HOST: "127.0.0.1" });
const SHIPPED = shippedMigrations().length;

describe("operations routes", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(env, silentLogger, { database: await sharedDatabase() });
  });
  afterAll(() => server?.stop());

  it("answers /healthz while the process is alive", async () => {
    const response = await fetch(`${server.http.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers /readyz with 200 when the database is migrated", async () => {
    const response = await fetch(`${server.http.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ready",
      migrations: { applied: SHIPPED, shipped: SHIPPED },
    });
  });

  it("serves Prometheus metrics, counting requests by route", async () => {
    await fetch(`${server.http.url}/healthz`);
    const response = await fetch(`${server.http.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const body = await response.text();
    expect(body).toMatch(/touchpoint_http_requests_total\{route="\/healthz",method="GET",status="200"\} \d+/);
    expect(body).toContain("touchpoint_process_cpu_seconds_total");
  });

  it("says 404 for unknown routes and 405 for a wrong method", async () => {
    const missing = await fetch(`${server.http.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "no route for GET /nope" });
    const wrong = await fetch(`${server.http.url}/healthz`, { method: "POST" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET");
  });
});

describe("/readyz before migrations", () => {
  it("answers 503 and says what to run", async () => {
    const handle = await createDb({ kind: "embedded", dataDir: undefined });
    const database = {
      handle,
      storage: (await sharedDatabase()).storage,
      description: "unmigrated",
      close: () => handle.close(),
    };
    const server = await startServer(env, silentLogger, { database });
    try {
      const response = await fetch(`${server.http.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: "migrations pending",
        migrations: { applied: 0, shipped: SHIPPED },
        fix: "run `touchpoint migrate`",
      });
    } finally {
      await server.stop();
      await handle.close();
    }
  });
});

describe("/readyz without a database", () => {
  it("answers 503 without passing the database's error on to the caller", async () => {
    const handle = await createDb({ kind: "embedded", dataDir: undefined });
    await handle.close();
    const database = {
      handle,
      storage: (await sharedDatabase()).storage,
      description: "closed",
      close: async () => {},
    };
    const server = await startServer(env, silentLogger, { database });
    try {
      const response = await fetch(`${server.http.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "database unavailable" });
    } finally {
      await server.stop();
    }
  });
});
