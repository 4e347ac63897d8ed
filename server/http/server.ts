// One web process's HTTP server. The API paths (api-routes.ts) are answered here, each by its Fetch-style
// handler with this file adding what Next's proxy.ts adds to pages: the request id and the security
// headers; so are a production build's static files (static-files.ts). Every other request goes to Next's
// own handler unchanged.
import http from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { incomingMessageToRequest } from "@trpc/server/adapters/node-http";
import { requestIdFrom } from "../api/request.ts";
import { log } from "../log.ts";
import { securityHeaders } from "../security-headers.ts";
import { apiMatcher, type ApiRoute } from "./api-routes.ts";
import { STATIC_PREFIX, staticFiles } from "./static-files.ts";

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;

/** No API input comes near this (the REST API's own limit is 1 MB) but a poster, whose route says its own; a larger body is refused. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Smaller answers go out as they are: their gzip costs CPU and saves next to nothing. */
const COMPRESS_FROM_BYTES = 1024;
const gzip = promisify(zlib.gzip);

export type WebServer = http.Server & {
  /** Stops taking requests, ends live streams, lets requests in flight finish (at most `graceMs`). */
  shutdown(graceMs: number): Promise<void>;
};

export function createWebServer(opts: {
  routes: ApiRoute[];
  next: NodeHandler;
  production: boolean;
  dev: boolean;
  /** A production build's `.next/static`, answered here (static-files.ts); without it, Next answers those too. */
  staticDir?: string;
}): WebServer {
  const match = apiMatcher(opts.routes);
  const serveStatic = opts.staticDir ? staticFiles(opts.staticDir) : undefined;
  // API answers are JSON for programs: the API policy (no nonce), the same on every answer.
  const security = Object.entries(securityHeaders({ production: opts.production, dev: opts.dev }));
  /** How to end each live stream in flight; once shutting down, a new stream is ended at once. */
  const streams: Streams = { open: new Set(), closing: false };

  const answerApi = async (req: http.IncomingMessage, res: http.ServerResponse, route: ApiRoute, params: Record<string, string>) => {
    const requestId = requestIdFrom(req.headers["x-request-id"] as string | undefined);
    req.headers["x-request-id"] = requestId; // the handler reads the same id
    // As Next does for its route handlers: the client's address, unless a proxy in front already said it.
    req.headers["x-forwarded-for"] ??= req.socket.remoteAddress;
    for (const [name, value] of security) res.setHeader(name, value);
    res.setHeader("x-request-id", requestId);
    const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
    if (!route.methods.includes(method)) {
      res.writeHead(405, { allow: route.methods.join(", "), "content-length": 0 }).end();
      return;
    }
    try {
      const request = incomingMessageToRequest(req, res, { maxBodySize: route.maxBodyBytes ?? MAX_BODY_BYTES });
      const response = await route.handle(request, params);
      await writeResponse(req, res, response, streams);
    } catch (err) {
      log.error({ err, requestId, method: req.method, path: req.url?.split("?")[0] }, "API request failed");
      if (res.headersSent) return void res.destroy();
      const body = JSON.stringify({
        error: { code: "INTERNAL_SERVER_ERROR", message: "Something went wrong on our side. Please try again.", request_id: requestId },
      });
      res.writeHead(500, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
    }
  };

  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const pathname = q === -1 ? url : url.slice(0, q);
    const matched = match(pathname);
    if (matched) return void answerApi(req, res, matched.route, matched.params);
    void (async () => {
      if (serveStatic && pathname.startsWith(STATIC_PREFIX) && (await serveStatic(req, res, pathname))) return;
      await opts.next(req, res);
    })().catch((err: unknown) => {
      log.error({ err, method: req.method, path: pathname }, "page request failed");
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  }) as WebServer;

  server.shutdown = async (graceMs) => {
    streams.closing = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const end of streams.open) end(); // live streams never end by themselves; their clients reconnect elsewhere
    // A keep-alive connection turns idle when its answer is out: close each as it does, not after its timeout.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    await closed;
    clearInterval(idle);
    clearTimeout(timer);
  };
  return server;
}

type Streams = { open: Set<() => void>; closing: boolean };

async function writeResponse(req: http.IncomingMessage, res: http.ServerResponse, response: Response, streams: Streams): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (!response.body || req.method === "HEAD") {
    await response.body?.cancel();
    return void res.end();
  }
  if (!response.headers.has("content-length")) return streamBody(res, response.body, streams);

  let body: Uint8Array = new Uint8Array(await response.arrayBuffer());
  if (
    body.byteLength >= COMPRESS_FROM_BYTES &&
    !response.headers.has("content-encoding") &&
    /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))
  ) {
    // zlib runs on libuv's thread pool, not on the event loop.
    body = await gzip(body);
    res.setHeader("content-encoding", "gzip");
    res.setHeader("content-length", body.byteLength);
    res.appendHeader("vary", "Accept-Encoding");
  }
  res.end(body);
}

/** A streamed answer (the live feeds' server-sent events): each chunk goes out as it comes. */
async function streamBody(res: http.ServerResponse, body: ReadableStream<Uint8Array>, streams: Streams): Promise<void> {
  const reader = body.getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  streams.open.add(stop);
  res.once("close", stop);
  if (streams.closing) {
    res.setHeader("connection", "close");
    stop(); // opened while shutting down: answered, then ended (its client reconnects elsewhere)
  }
  try {
    res.flushHeaders();
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off("drain", go);
            res.off("close", go);
            resolve();
          };
          res.once("drain", go);
          res.once("close", go);
        });
      }
    }
  } finally {
    streams.open.delete(stop);
    res.off("close", stop);
    res.end();
  }
}
