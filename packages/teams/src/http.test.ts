import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Request } from "botbuilder";
import { afterEach, describe, expect, it } from "vitest";
import { createAdapter } from "./adapter.js";
import { MAX_BODY_BYTES, messagesRoute, type ProcessActivity } from "./http.js";

let server: Server | undefined;
afterEach(
  () =>
    new Promise<void>((resolve) => {
      const closing = server;
      server = undefined;
      if (closing) closing.close(() => resolve());
      else resolve();
    }),
);

async function serve(process: ProcessActivity): Promise<string> {
  const route = messagesRoute(process, async () => {});
  server = createServer((req, res) => void route(req, res));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
}

describe("POST /api/messages", () => {
  it("hands botbuilder the parsed activity and headers, and sends what it answers", async () => {
    const seen: Request[] = [];
    const url = await serve(async (req, res) => {
      seen.push(req);
      res.status(200);
      res.header("x-answered", "yes");
      res.send({ status: 200, body: { ok: true } });
      res.end();
    });
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer t" },
      body: JSON.stringify({ type: "message", text: "touch @janedoe" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-answered")).toBe("yes");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ status: 200, body: { ok: true } });
    expect(seen[0]).toMatchObject({ method: "POST", body: { type: "message", text: "touch @janedoe" } });
    expect(seen[0]?.headers.authorization).toBe("Bearer t");
  });

  it("refuses an oversized or unreadable body before botbuilder sees it", async () => {
    let calls = 0;
    const url = await serve(async () => void calls++);
    const huge = await fetch(url, { method: "POST", body: "x".repeat(MAX_BODY_BYTES + 1) });
    expect(huge.status).toBe(413);
    expect((await fetch(url, { method: "POST", body: "{nope" })).status).toBe(400);
    expect((await fetch(url, { method: "POST", body: "[1, 2]" })).status).toBe(400);
    expect(calls).toBe(0);
  });
});

describe("createAdapter", () => {
  it("passes the app type on: a SingleTenant app without its tenant is refused", () => {
    expect(() => createAdapter({ kind: "app", appId: "a", appPassword: "p", appType: "SingleTenant" })).toThrow(
      /MicrosoftAppTenantId is required for SingleTenant/,
    );
    expect(() =>
      createAdapter({ kind: "app", appId: "a", appPassword: "p", appType: "SingleTenant", appTenantId: "t" }),
    ).not.toThrow();
  });
});
