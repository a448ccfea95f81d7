import type { DatabaseHandle } from "@touchpoint/db";
import { migrationStatus } from "@touchpoint/db";
import type { Logger } from "../logger.js";
import type { Metrics } from "./metrics.js";
import { type RouteHandler, sendJson } from "./server.js";

/** The operator's routes: liveness, readiness, Prometheus metrics. */
export function operationsRoutes(deps: {
  readonly database: DatabaseHandle;
  readonly metrics: Metrics;
  readonly logger: Logger;
}): Map<string, RouteHandler> {
  return new Map<string, RouteHandler>([
    ["GET /healthz", (_req, res) => sendJson(res, 200, { status: "ok" })],
    [
      "GET /readyz",
      async (_req, res) => {
        try {
          const status = await migrationStatus(deps.database.db);
          if (status.current) {
            sendJson(res, 200, { status: "ready", migrations: { applied: status.applied, shipped: status.shipped } });
          } else {
            sendJson(res, 503, {
              status: "migrations pending",
              migrations: { applied: status.applied, shipped: status.shipped },
              fix: "run `touchpoint migrate`",
            });
          }
        } catch (error) {
          // Details go to the log, not to whoever asked.
          deps.logger.warn({ err: error }, "readiness check failed");
          sendJson(res, 503, { status: "database unavailable" });
        }
      },
    ],
    [
      "GET /metrics",
      async (_req, res) => {
        const body = await deps.metrics.registry.metrics();
        res.writeHead(200, { "content-type": deps.metrics.registry.contentType });
        res.end(body);
      },
    ],
  ]);
}
