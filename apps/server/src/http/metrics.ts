import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<"route" | "method" | "status">;
  readonly httpDuration: Histogram<"route" | "method">;
  /** Nudge delivery attempts by outcome: sent, retry, dead (given up), unknown (may have posted; not again), gone. */
  readonly nudgeDeliveries: Counter<"outcome">;
}

/** One registry per server, so tests can start several servers in one process. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "touchpoint_" });
  return {
    registry,
    httpRequests: new Counter({
      name: "touchpoint_http_requests_total",
      help: "HTTP requests by route, method and status",
      labelNames: ["route", "method", "status"],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "touchpoint_http_request_duration_seconds",
      help: "HTTP request duration by route",
      labelNames: ["route", "method"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    nudgeDeliveries: new Counter({
      name: "touchpoint_nudge_deliveries_total",
      help: "Nudge delivery attempts by outcome (dead: given up after its retries; unknown: may have been posted, with no way to look, so not posted again; both kept for the operator)",
      labelNames: ["outcome"],
      registers: [registry],
    }),
  };
}
