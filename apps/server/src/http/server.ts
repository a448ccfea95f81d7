import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.js";
import type { Metrics } from "./metrics.js";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** "GET /healthz" → handler. Platform adapters (Slack, Teams) add their own routes. */
export type Routes = ReadonlyMap<string, RouteHandler>;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
  });
  res.end(payload);
}

export interface HttpServer {
  readonly server: Server;
  /** The bound address: with PORT=0 the port the OS chose. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startHttpServer(options: {
  readonly routes: Routes;
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  readonly metrics: Metrics;
}): Promise<HttpServer> {
  const { routes, logger, metrics } = options;
  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const key = `${req.method ?? "GET"} ${path}`;
    const handler = routes.get(key);
    const route = handler ? path : "unmatched";
    const stopTimer = metrics.httpDuration.startTimer({ route, method: req.method ?? "GET" });
    res.on("finish", () => {
      stopTimer();
      metrics.httpRequests.inc({ route, method: req.method ?? "GET", status: String(res.statusCode) });
    });
    if (!handler) {
      const allowed = [...routes.keys()].filter((k) => k.endsWith(` ${path}`)).map((k) => k.split(" ")[0]);
      if (allowed.length > 0) {
        res.setHeader("allow", allowed.join(", "));
        sendJson(res, 405, { error: `use ${allowed.join(" or ")} for ${path}` });
      } else {
        sendJson(res, 404, { error: `no route for ${req.method} ${path}` });
      }
      return;
    }
    try {
      await handler(req, res);
    } catch (error) {
      logger.error({ err: error, route: key }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.end();
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
