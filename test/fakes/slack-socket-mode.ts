import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/**
 * Slack's side of Socket Mode (docs.slack.dev/apis/events-api/using-socket-mode): the app opens a
 * WebSocket to the URL apps.connections.open gave it; Slack says hello, then sends envelopes
 * (`slash_commands`, `interactive`, `events_api`) that the app acknowledges by envelope id, with
 * the response payload when `accepts_response_payload` is set.
 */
export interface FakeSocketMode {
  readonly url: string;
  /** Resolves once the app has connected and been greeted. */
  connected(): Promise<void>;
  /** Sends one envelope and resolves with the payload of the app's acknowledgement. */
  deliver(type: "slash_commands" | "interactive" | "events_api", payload: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

export async function startFakeSocketMode(appId = "A0TOUCHPT1"): Promise<FakeSocketMode> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(server, "listening");
  let socket: WebSocket | undefined;
  const onConnect: (() => void)[] = [];
  const acks = new Map<string, (payload: unknown) => void>();

  server.on("connection", (ws) => {
    socket = ws;
    ws.on("message", (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      const settle = message.envelope_id ? acks.get(message.envelope_id) : undefined;
      if (settle && message.envelope_id) {
        acks.delete(message.envelope_id);
        settle(message.payload ?? null);
      }
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        debug_info: { host: "applink-fake", build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      }),
    );
    for (const resolve of onConnect.splice(0)) resolve();
  });

  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/link/?ticket=fake`,
    connected: () => (socket ? Promise.resolve() : new Promise((resolve) => onConnect.push(resolve))),
    deliver(type, payload) {
      if (!socket) return Promise.reject(new Error("no app is connected"));
      const envelopeId = randomUUID();
      const acknowledged = new Promise<unknown>((resolve) => acks.set(envelopeId, resolve));
      socket.send(
        JSON.stringify({
          envelope_id: envelopeId,
          payload,
          type,
          accepts_response_payload: type !== "events_api",
          retry_attempt: 0,
          retry_reason: "",
        }),
      );
      return acknowledged;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
