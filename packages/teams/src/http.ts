import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, Response, TurnContext } from "botbuilder";

/** A Bot Framework activity is a few kilobytes; Teams' largest messages are about 100 KB. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** What the route hands the adapter: botbuilder's own process(), which checks the JWT and runs the turn. */
export type ProcessActivity = (
  req: Request,
  res: Response,
  logic: (context: TurnContext) => Promise<void>,
) => Promise<void>;

class TooLarge extends Error {}

/** The body, read up to the limit: a declared or streamed length over it is refused before it is buffered. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw new TooLarge();
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req) {
    length += (chunk as Buffer).length;
    if (length > MAX_BODY_BYTES) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close" });
  res.end(text);
}

/**
 * botbuilder's process() wants an Express- or Restify-like request (a parsed body) and response
 * (status, header, send, end); the server speaks node:http. This is that shim, and nothing more.
 */
function responseFor(res: ServerResponse): Response {
  let status = 200;
  let body: string | Buffer | undefined;
  return {
    socket: res.socket,
    status(code: number) {
      status = code;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
    },
    send(payload: unknown) {
      if (payload === undefined || payload === null) return;
      if (typeof payload === "string" || Buffer.isBuffer(payload)) {
        body = payload;
        if (!res.hasHeader("content-type")) res.setHeader("content-type", "text/plain; charset=utf-8");
      } else {
        // An invoke's response body, as botbuilder hands it over: an object for the channel to read.
        body = JSON.stringify(payload);
        res.setHeader("content-type", "application/json; charset=utf-8");
      }
    },
    end() {
      if (res.writableEnded) return;
      res.statusCode = status;
      res.end(body);
    },
  };
}

/** POST /api/messages: the body read (within the limit) and parsed, then handed to the adapter. */
export function messagesRoute(process: ProcessActivity, logic: (context: TurnContext) => Promise<void>): RouteHandler {
  return async (req, res) => {
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (error) {
      if (!(error instanceof TooLarge)) throw error;
      plain(res, 413, `Bot Framework activities are at most ${MAX_BODY_BYTES} bytes`);
      req.resume();
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      return plain(res, 400, "the body is not JSON");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return plain(res, 400, "the body is not a Bot Framework activity");
    }
    const request: Request = {
      method: req.method ?? "POST",
      headers: req.headers,
      body: body as Record<string, unknown>,
    };
    await process(request, responseFor(res), logic);
  };
}
