// One fan's HTTP client for the app's tRPC endpoints: its session cookie and address, timing per step,
// and 429 Retry-After honoured (waited out and retried) the way a polite browser client would.
import type { SeatLayout } from "../../../server/domain/seatmap/layout.ts";
import type { Metrics, Step } from "./metrics.ts";

export type CallResult<T> = { ok: true; data: T } | { ok: false; code: string; status: number; message: string; details?: unknown };

type TrpcErrorBody = { error?: { json?: { message?: string; data?: { appCode?: unknown; code?: unknown; details?: unknown } } } };

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
    const headers: Record<string, string> = { "accept-encoding": "gzip, deflate, br, zstd" };
    const known = this.layoutTag && parsed.get(this.layoutTag);
    if (known) headers["if-none-match"] = this.layoutTag!;
    return this.call<SeatLayout>("layout", `${this.baseUrl}/api/seat-layout/${encodeURIComponent(showtimeId)}`, { method: "GET", headers }, async (res) => {
      const etag = res.headers.get("etag") ?? "";
      if (res.status === 304 && known) return known;
      let layout = parsed.get(etag);
      if (layout) await res.body?.cancel();
      else parsed.set(etag, (layout = JSON.parse(await res.text()) as SeatLayout));
      this.layoutTag = etag;
      return layout;
    });
  }

  query<T>(step: Step, path: string, input: unknown) {
    const url = `${this.baseUrl}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
    return this.call<T>(step, url, { method: "GET" });
  }

  mutation<T>(step: Step, path: string, input: unknown) {
    return this.call<T>(step, `${this.baseUrl}/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: input }),
    });
  }

  /** `read`: turns a 200 or 304 answer into data, reading its body (tRPC answers: the default, their `result.data.json`). */
  private async call<T>(step: Step, url: string, init: RequestInit, read?: (res: Response) => Promise<T>): Promise<CallResult<T>> {
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      let status = 0;
      let body = "";
      let retryAfter: string | null = null;
      let fromRead: T | undefined;
      // One controller per call, aborted by the run's end or a 30 s timeout. Not AbortSignal.any with
      // AbortSignal.timeout: on Node 20 a request hung past both in a 2,000-fan run (the combined signal
      // can be collected while the request still waits on it).
      const call = new AbortController();
      const abort = () => call.abort();
      const timer = setTimeout(abort, 30_000);
      this.signal.addEventListener("abort", abort, { once: true });
      try {
        const res = await fetch(url, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), cookie: this.cookie, "x-forwarded-for": this.ip },
          signal: call.signal,
        });
        status = res.status;
        retryAfter = res.headers.get("retry-after");
        if (read && (status === 200 || status === 304)) fromRead = await read(res);
        else body = await res.text();
      } catch (err) {
        clearTimeout(timer);
        this.signal.removeEventListener("abort", abort);
        const ms = performance.now() - started;
        if (this.signal.aborted) return { ok: false, code: "STOPPED", status: 0, message: "run stopped" };
        const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        this.metrics.record(step, ms, "NETWORK", message);
        this.metrics.onAnswer?.({ step, status: 0, code: "NETWORK", message, at: Date.now() });
        return { ok: false, code: "NETWORK", status: 0, message };
      }
      clearTimeout(timer);
      this.signal.removeEventListener("abort", abort);
      const ms = performance.now() - started;
      if (status === 200 || (status === 304 && read)) {
        this.metrics.record(step, ms);
        this.metrics.onAnswer?.({ step, status, at: Date.now() });
        try {
          if (read) return { ok: true, data: fromRead as T };
          const parsed = JSON.parse(body) as { result?: { data?: { json?: T } } };
          return { ok: true, data: parsed.result?.data?.json as T };
        } catch {
          this.metrics.record(step, 0, "BAD_BODY", body);
          return { ok: false, code: "BAD_BODY", status, message: body.slice(0, 300) };
        }
      }
      let parsed: TrpcErrorBody = {};
      try {
        parsed = JSON.parse(body) as TrpcErrorBody;
      } catch {
        // not tRPC's error shape: keep the status
      }
      const data = parsed.error?.json?.data;
      const code = typeof data?.appCode === "string" ? data.appCode : typeof data?.code === "string" ? data.code : `HTTP_${status}`;
      const message = parsed.error?.json?.message ?? body.slice(0, 300);
      this.metrics.record(step, ms, code, message);
      this.metrics.onAnswer?.({ step, status, code, message, details: data?.details, at: Date.now() });
      if (status === 429 && attempt < 5) {
        const waitS = Number(retryAfter);
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
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
