// One fan's HTTP client for the app's tRPC endpoints: its session cookie and address, timing per step,
// and 429 Retry-After honoured (waited out and retried) the way a polite browser client would.
//
// node:http through one keep-alive pool per web process (`connectionPool`), not fetch: a 20,000-fan run
// spent its generator's core in fetch's connection pool (undici scans its clients on every dispatch) and in
// connecting thousands of sockets, which also overflow the server's listen backlog; the pool stands where a
// load balancer's upstream connections would. Waits on the run's stop go through `onAbort`, not one
// listener each on the run's AbortSignal: EventTarget scans its listener list on every add and remove,
// and with 20,000 fans waiting that scan was a fifth of the generator's CPU.
import http from "node:http";
import zlib from "node:zlib";
import type { SeatLayout } from "../../../server/domain/seatmap/layout.ts";
import type { SeatStatusVector } from "../../../server/domain/seatmap/status.ts";
import { connectionPool } from "../load.ts";
import type { Metrics, Step } from "./metrics.ts";

export type CallResult<T> = { ok: true; data: T } | { ok: false; code: string; status: number; message: string; details?: unknown };

/** tRPC's error shape, or the plain routes' (`{ error: { code, message, details } }`). */
type ErrorBody = {
  error?: {
    json?: { message?: string; data?: { appCode?: unknown; code?: unknown; details?: unknown } };
    code?: unknown;
    message?: string;
    details?: unknown;
  };
};

/** Connections per web process, shared by every fan of the run (as a load balancer's upstream pool). */
const CONNECTIONS_PER_ORIGIN = 256;
/** A request with no answer after this long counts as a timeout (NETWORK). */
const TIMEOUT_MS = 30_000;

const pools = new Map<string, http.Agent>();
function poolFor(origin: string): http.Agent {
  let agent = pools.get(origin);
  if (!agent) pools.set(origin, (agent = connectionPool(CONNECTIONS_PER_ORIGIN)));
  return agent;
}

/** The sockets the fans' pools keep open, closed once a run is over. */
export function closeFanPools() {
  for (const agent of pools.values()) agent.destroy();
  pools.clear();
}

const waiters = new WeakMap<AbortSignal, Set<() => void>>();
/** Calls `fn` once `signal` aborts; returns the way to stop waiting. Adding and removing cost O(1). */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let set = waiters.get(signal);
  if (!set) {
    const all = (set = new Set());
    waiters.set(signal, all);
    signal.addEventListener(
      "abort",
      () => {
        for (const f of [...all]) f();
        all.clear();
      },
      { once: true },
    );
  }
  set.add(fn);
  const mine = set;
  return () => void mine.delete(fn);
}

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: Buffer | null };

/**
 * One request; `keep` says from the status and headers whether to read the body (else it is drained). Rejects
 * on a network error, the timeout, or the run's stop.
 */
function send(
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string },
  signal: AbortSignal,
  keep: (status: number, headers: http.IncomingHttpHeaders) => boolean,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers = { ...init.headers };
    if (init.body !== undefined) headers["content-length"] = String(Buffer.byteLength(init.body));
    const req = http.request(url, { method: init.method, headers, agent: poolFor(url.origin) }, (res) => {
      const status = res.statusCode ?? 0;
      if (!keep(status, res.headers)) {
        res.resume();
        res.on("end", () => finish(() => resolve({ status, headers: res.headers, body: null })));
      } else {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => finish(() => resolve({ status, headers: res.headers, body: Buffer.concat(chunks) })));
      }
      res.on("error", (err) => finish(() => reject(err)));
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer in ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
    const stopWaiting = onAbort(signal, () => req.destroy(new Error("run stopped")));
    let done = false;
    function finish(then: () => void) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stopWaiting();
      then();
    }
    req.on("error", (err) => finish(() => reject(err)));
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

function decoded(raw: Raw): string {
  const body = raw.body ?? Buffer.alloc(0);
  const coding = raw.headers["content-encoding"];
  if (coding === "br") return zlib.brotliDecompressSync(body).toString("utf8");
  if (coding === "gzip") return zlib.gunzipSync(body).toString("utf8");
  return body.toString("utf8");
}

export class FanClient {
  constructor(
    private readonly baseUrl: string,
    private readonly cookie: string,
    /** Every fan comes from its own address (X-Forwarded-For), as behind a load balancer. */
    private readonly ip: string,
    private readonly metrics: Metrics,
    private readonly signal: AbortSignal,
  ) {}

  /** The fan's ETag of the seat layout it read last: a browser's cache, revalidated on each read. */
  private layoutTag: string | undefined;

  /**
   * The seat layout, as the page reads it: with the ETag of the last read, so the server answers 304 and the
   * fan keeps its copy. Fans share parsed layouts by ETag (`parsed`), and a fan's first read of a layout
   * another fan has parsed already drops the body unread: decoding 390 KB per fan would load the load
   * generator, not the server (which has sent it all the same).
   */
  async layout(showtimeId: string, parsed: Map<string, SeatLayout>): Promise<CallResult<SeatLayout>> {
    const headers: Record<string, string> = {};
    const known = this.layoutTag && parsed.get(this.layoutTag);
    if (known) headers["if-none-match"] = this.layoutTag!;
    const keep = (status: number, h: http.IncomingHttpHeaders) => status !== 200 || !parsed.has(String(h.etag ?? ""));
    return this.call<SeatLayout>(
      "layout",
      `${this.baseUrl}/api/seat-layout/${encodeURIComponent(showtimeId)}`,
      { method: "GET", headers },
      keep,
      (raw) => {
        const etag = String(raw.headers.etag ?? "");
        if (raw.status === 304 && known) return known;
        let layout = parsed.get(etag);
        if (!layout) parsed.set(etag, (layout = JSON.parse(decoded(raw)) as SeatLayout));
        this.layoutTag = etag;
        return layout;
      },
    );
  }

  /** Every seat's status now, as the page reads it. */
  seatStatus(showtimeId: string) {
    const url = `${this.baseUrl}/api/seat-status/${encodeURIComponent(showtimeId)}`;
    return this.call<SeatStatusVector>(
      "seatMap",
      url,
      { method: "GET", headers: {} },
      undefined,
      (raw) => JSON.parse(decoded(raw)) as SeatStatusVector,
    );
  }

  query<T>(step: Step, path: string, input: unknown) {
    const url = `${this.baseUrl}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    return this.call<T>(step, url, { method: "GET", headers: {} });
  }

  mutation<T>(step: Step, path: string, input: unknown) {
    return this.call<T>(step, `${this.baseUrl}/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    });
  }

  /**
   * `read`: turns a 200 or 304 answer into data (tRPC answers by default: their `result.data.json`); `keep`
   * says whether its body is read at all.
   */
  private async call<T>(
    step: Step,
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string },
    keep: (status: number, headers: http.IncomingHttpHeaders) => boolean = () => true,
    read?: (raw: Raw) => T,
  ): Promise<CallResult<T>> {
    const target = new URL(url);
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      let raw: Raw;
      try {
        // As a browser asks: compressed, so the server does the same work for the generator as for a page.
        const headers = { "accept-encoding": "br, gzip", ...init.headers, cookie: this.cookie, "x-forwarded-for": this.ip };
        raw = await send(target, { ...init, headers }, this.signal, keep);
      } catch (err) {
        const ms = performance.now() - started;
        if (this.signal.aborted) return { ok: false, code: "STOPPED", status: 0, message: "run stopped" };
        const e = err as Error & { code?: string };
        const message = `${e.name}: ${e.message}${e.code ? ` (${e.code})` : ""}`;
        this.metrics.record(step, ms, "NETWORK", message);
        this.metrics.onAnswer?.({ step, status: 0, code: "NETWORK", message, at: Date.now() });
        return { ok: false, code: "NETWORK", status: 0, message };
      }
      const ms = performance.now() - started;
      const { status } = raw;
      const body = read && (status === 200 || status === 304) ? "" : decoded(raw);
      if (status === 200 || (status === 304 && read)) {
        this.metrics.record(step, ms);
        this.metrics.onAnswer?.({ step, status, at: Date.now() });
        try {
          if (read) return { ok: true, data: read(raw) };
          const parsed = JSON.parse(body) as { result?: { data?: { json?: T } } };
          return { ok: true, data: parsed.result?.data?.json as T };
        } catch {
          this.metrics.record(step, 0, "BAD_BODY", body);
          return { ok: false, code: "BAD_BODY", status, message: body.slice(0, 300) };
        }
      }
      let parsed: ErrorBody = {};
      try {
        parsed = JSON.parse(body) as ErrorBody;
      } catch {
        // not JSON: keep the status
      }
      const data =
        parsed.error?.json?.data ??
        (typeof parsed.error?.code === "string" ? { code: parsed.error.code, details: parsed.error.details } : undefined);
      const code = typeof data?.appCode === "string" ? data.appCode : typeof data?.code === "string" ? data.code : `HTTP_${status}`;
      const message = parsed.error?.json?.message ?? parsed.error?.message ?? body.slice(0, 300);
      this.metrics.record(step, ms, code, message);
      this.metrics.onAnswer?.({ step, status, code, message, details: data?.details, at: Date.now() });
      if (status === 429 && attempt < 5) {
        const waitS = Number(raw.headers["retry-after"]);
        await sleep(Number.isFinite(waitS) && waitS > 0 ? waitS * 1000 : 1000, this.signal);
        if (this.signal.aborted) return { ok: false, code: "STOPPED", status: 0, message: "run stopped" };
        continue;
      }
      return { ok: false, code, status, message, details: data?.details };
    }
  }
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    const stopWaiting = signal ? onAbort(signal, done) : () => {};
    function done() {
      clearTimeout(timer);
      stopWaiting();
      resolve();
    }
  });
}
