// Fires a burst of HTTP requests at once and summarises what came back: wall time, latency, errors.
import http from "node:http";
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

export type Burst<T> = {
  wallMs: number;
  /** Milliseconds from sending to the last byte of the body, for every request that got a response. */
  latencies: number[];
  outcomes: Outcome<T>[];
};

export type Summary = {
  requests: number;
  ok: number;
  errors: number;
  wallMs: number;
  /** Successful responses per second of wall time. */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Up to five distinct error texts, verbatim (HTTP status and body). */
  errorSamples: string[];
};

type Request = { url: string; init?: RequestInit };

/**
 * Starts all `count` requests before awaiting any, as `count` simultaneous clients would. Node's fetch
 * (undici) keeps connections alive and opens as many as there are requests in flight.
 */
export async function burst<T>(
  count: number,
  request: (i: number) => Request,
  read: (status: number, body: string, i: number) => Outcome<T>,
  signal: AbortSignal,
  timeoutMs = 60_000,
): Promise<Burst<T>> {
  const latencies: number[] = [];
  const one = async (i: number): Promise<Outcome<T>> => {
    const sent = await send(request(i), signal, timeoutMs);
    if (!sent.ok) return sent;
    latencies.push(sent.value.ms);
    return read(sent.value.status, sent.value.body, i);
  };
  const started = performance.now();
  const outcomes = await Promise.all(Array.from({ length: count }, (_, i) => one(i)));
  return { wallMs: performance.now() - started, latencies, outcomes };
}

/** One request, timed from sending to the last byte of the body; network failures come back as errors. */
export async function send(
  { url, init }: Request,
  signal: AbortSignal,
  timeoutMs = 60_000,
): Promise<Outcome<{ status: number; body: string; ms: number }>> {
  const sent = performance.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
    const body = await res.text();
    return { ok: true, value: { status: res.status, body, ms: performance.now() - sent } };
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    return {
      ok: false,
      error: `${e.name ?? "Error"}: ${e.message ?? String(err)}${e.cause ? ` (${e.cause.code ?? e.cause.message})` : ""}`,
    };
  }
}

/**
 * A keep-alive agent of at most `maxSockets` connections: requests beyond that wait in the agent, as they
 * would in a proxy's upstream pool. Thousands of simultaneous connects to one Node server otherwise overflow
 * its listen backlog (511), and the client's SYN retries (1 s, 3 s, 7 s, …) become the measurement.
 */
export function connectionPool(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, scheduling: "fifo" });
}

/**
 * `send` through a `connectionPool` (node:http): timed from the call, so the wait for a free connection
 * counts. Same answer shape as `send`.
 */
export function sendPooled(
  agent: http.Agent,
  { url, init }: Request,
  signal: AbortSignal,
  timeoutMs = 60_000,
): Promise<Outcome<{ status: number; body: string; ms: number }>> {
  const sent = performance.now();
  return new Promise((resolve) => {
    const headers = { ...(init?.headers as Record<string, string> | undefined) };
    const body = typeof init?.body === "string" ? init.body : undefined;
    if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
    const req = http.request(
      url,
      { method: init?.method ?? "GET", headers, agent, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            ok: true,
            value: { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - sent },
          }),
        );
        res.on("error", (err) => resolve({ ok: false, error: `${err.name}: ${err.message}` }));
      },
    );
    req.on("error", (err: Error & { code?: string }) =>
      resolve({ ok: false, error: `${err.name}: ${err.message}${err.code ? ` (${err.code})` : ""}` }),
    );
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * A closed loop: `clients` clients each send `request()` back to back (one in flight each, each on its own
 * keep-alive connection) for `ms`; `check` says whether an answer is a success (else its error text).
 * Successful requests per second. node:http rather than fetch: it costs the generator about half the CPU
 * per request, and the generator shares the machine's cores with what it measures.
 */
export async function closedLoop(
  clients: number,
  ms: number,
  request: (client: number) => Request,
  check: (status: number, body: string) => Outcome<unknown>,
  signal: AbortSignal,
): Promise<{
  wallMs: number;
  requests: number;
  ok: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  bytes: number;
  errorSamples: string[];
}> {
  const latencies: number[] = [];
  const samples = new Set<string>();
  let ok = 0;
  let errors = 0;
  let bytes = 0;
  const agent = connectionPool(clients);
  const started = performance.now();
  const end = started + ms;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < end && !signal.aborted) {
        const sent = await sendPooled(agent, request(client), signal, 30_000);
        if (signal.aborted) break;
        const outcome = sent.ok ? check(sent.value.status, sent.value.body) : sent;
        if (sent.ok) {
          latencies.push(sent.value.ms);
          bytes += sent.value.body.length;
        }
        if (outcome.ok) ok++;
        else {
          errors++;
          if (samples.size < 5) samples.add(outcome.error.replace(/"requestId":"[^"]*"/g, '"requestId":"…"').slice(0, 400));
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  const stats = latencyStats(latencies);
  return {
    wallMs: round(wallMs),
    requests: ok + errors,
    ok,
    errors,
    rps: round(ok / (wallMs / 1000)),
    p50: stats.p50,
    p99: stats.p99,
    bytes,
    errorSamples: [...samples],
  };
}

/** p50/p95/p99/max of a list of milliseconds (any order), rounded. */
export function latencyStats(values: number[]): { count: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = [...values].sort((x, y) => x - y);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

/** Merges consecutive bursts (a sustained phase) into one, wall time added up. */
export function merge<T>(bursts: Burst<T>[]): Burst<T> {
  return {
    wallMs: bursts.reduce((sum, b) => sum + b.wallMs, 0),
    latencies: bursts.flatMap((b) => b.latencies),
    outcomes: bursts.flatMap((b) => b.outcomes),
  };
}

export function summarize(b: Burst<unknown>): Summary {
  const sorted = [...b.latencies].sort((x, y) => x - y);
  const failures = b.outcomes.filter((o): o is { ok: false; error: string } => !o.ok);
  const ok = b.outcomes.length - failures.length;
  return {
    requests: b.outcomes.length,
    ok,
    errors: failures.length,
    wallMs: round(b.wallMs),
    rps: round(ok / (b.wallMs / 1000)),
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
    errorSamples: [...new Set(failures.map((f) => f.error))].slice(0, 5),
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  if (!sorted.length) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Field-by-field median of several runs' summaries (errors are added up, not averaged). */
export function medianOf(runs: Summary[]): Summary {
  const pick = (k: "wallMs" | "rps" | "p50" | "p90" | "p99" | "max") => round(median(runs.map((r) => r[k])));
  return {
    requests: runs[0]?.requests ?? 0,
    ok: median(runs.map((r) => r.ok)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    wallMs: pick("wallMs"),
    rps: pick("rps"),
    p50: pick("p50"),
    p90: pick("p90"),
    p99: pick("p99"),
    max: pick("max"),
    errorSamples: [...new Set(runs.flatMap((r) => r.errorSamples))].slice(0, 5),
  };
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export type OpenLoopResult = {
  /** Requests per second asked for, and seconds of sending. */
  targetRps: number;
  seconds: number;
  sent: number;
  ok: number;
  errors: number;
  /** Not sent because `maxInFlight` requests were already waiting: the server had fallen far behind. */
  skipped: number;
  /** Requests sent per second of the sending window, and successes per second until the last answer. */
  sentRps: number;
  okRps: number;
  /** From each request's scheduled moment to its answer (so a late generator counts against the figure, not for it). */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** How late the generator itself sent, at worst and p99, ms: above a few ms the figures include the generator's own lag. */
  lagP99: number;
  lagMax: number;
  maxInFlight: number;
  errorSamples: string[];
};

/**
 * An open loop: request i is sent at `start + i / rate` whatever happened to the ones before, for `ms`, so
 * a slow answer cannot slow the arrivals down (a closed loop's clients wait, and hide queueing). `fire`
 * sends one and resolves with its outcome and, when the answer that counts came before the work it did
 * after (a hold's release), the moment of that answer (`performance.now()`); latency runs from the
 * scheduled moment to that answer.
 */
export async function openLoop(
  opts: { rate: number; ms: number; maxInFlight?: number },
  fire: (i: number) => Promise<{ ok: boolean; error?: string; answeredAt?: number }>,
  signal: AbortSignal,
): Promise<OpenLoopResult> {
  const maxInFlight = opts.maxInFlight ?? 5000;
  const intervalMs = 1000 / opts.rate;
  const latencies: number[] = [];
  const lags: number[] = [];
  const samples = new Set<string>();
  const pending: Promise<void>[] = [];
  let ok = 0;
  let errors = 0;
  let skipped = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  let lastAnswer = 0;
  const started = performance.now();
  const end = started + opts.ms;
  let i = 0;
  while (!signal.aborted) {
    const due = started + i * intervalMs;
    if (due >= end) break;
    const wait = due - performance.now();
    // Always yield to the event loop, even when the next request is due within a millisecond: a loop that
    // spins until then answers none of its own responses (above ~1,000/s it measured itself, not the app).
    await new Promise((resolve) => (wait > 1 ? setTimeout(resolve, wait) : setImmediate(resolve)));
    // Everything due by now goes out at once: a late timer must not thin the arrivals.
    while (!signal.aborted) {
      const at = started + i * intervalMs;
      if (at >= end || at > performance.now()) break;
      const index = i++;
      if (inFlight >= maxInFlight) {
        skipped++;
        continue;
      }
      lags.push(performance.now() - at);
      inFlight++;
      peakInFlight = Math.max(peakInFlight, inFlight);
      pending.push(
        fire(index).then(
          (r) => {
            const answered = r.answeredAt ?? performance.now();
            latencies.push(answered - at);
            lastAnswer = Math.max(lastAnswer, answered);
            if (r.ok) ok++;
            else {
              errors++;
              if (samples.size < 5 && r.error) samples.add(r.error.replace(/"requestId":"[^"]*"/g, '"requestId":"…"').slice(0, 400));
            }
            inFlight--;
          },
          (err: unknown) => {
            errors++;
            if (samples.size < 5) samples.add(String(err).slice(0, 400));
            inFlight--;
          },
        ),
      );
    }
  }
  const sendingMs = Math.min(performance.now(), end) - started;
  await Promise.all(pending);
  const sorted = [...latencies].sort((x, y) => x - y);
  const lagSorted = [...lags].sort((x, y) => x - y);
  const sent = pending.length;
  return {
    targetRps: round(opts.rate),
    seconds: round(opts.ms / 1000),
    sent,
    ok,
    errors,
    skipped,
    sentRps: round(sent / (sendingMs / 1000)),
    okRps: round(ok / (Math.max(lastAnswer - started, sendingMs) / 1000)),
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    lagP99: round(percentile(lagSorted, 99)),
    lagMax: round(lagSorted.at(-1) ?? Number.NaN),
    maxInFlight: peakInFlight,
    errorSamples: [...samples],
  };
}
