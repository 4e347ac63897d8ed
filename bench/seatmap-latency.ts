// Benchmark: how fast one fan's hold shows on another fan's seat map, on the largest map (the seed's arena
// showtime), and what that map costs to read. Fan A holds over HTTP; browser B (Chromium, anonymous) has the
// showtime page open with its live feed on; a MutationObserver in B stamps the moment B's seat counts change.
// A and B share the machine and its clock, so B's Date.now() minus A's is the end-to-end latency.
// Import it only after startStack has set DATABASE_URL and REDIS_PREFIX.
import http from "node:http";
import { chromium, devices, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import playwrightConfig from "../playwright.config.ts";
import { runAdmissionTick } from "../server/domain/waiting-room/admission.ts";
import { createFans } from "./lib/fans.ts";
import { groupCpuMs } from "./lib/cpu.ts";
import { latencyStats, median, round, send } from "./lib/load.ts";
import type { Stack } from "./lib/stack.ts";
import type { SummaryRow } from "./lib/summary.ts";
import { callTrpc, trpcData, trpcMutation, trpcQuery } from "./lib/trpc.ts";

export type SeatmapOptions = {
  /** Holds (each followed by its release) watched from browser B. */
  samples: number;
  /** Reads of the seat map per encoding. */
  payloadReads: number;
  /** Page loads timed from navigation to the map, each in a new browser context (nothing cached). */
  pageLoads: number;
};

type Latency = ReturnType<typeof latencyStats>;

type PayloadRead = {
  acceptEncoding: string;
  contentEncoding: string;
  bytes: number;
  ttfbMs: number;
  totalMs: number;
  status: number;
  etag?: string;
};

export type SeatmapResult = {
  showtime: { id: string; slug: string; label: string; seats: number };
  payload: {
    reads: number;
    /** Bytes on the wire and times, medians; `identity` asks for no compression, `browser` as Chromium asks. */
    identity: { contentEncoding: string; bytes: number; ttfbMs: number; totalMs: number };
    browser: { acceptEncoding: string; contentEncoding: string; bytes: number; ttfbMs: number; totalMs: number };
    seatsInPayload: number;
    /** The web processes' CPU over every read (both encodings), per read. */
    webCpuPerReadMs: number;
  };
  /**
   * What the page reads instead: the layout (GET /api/seat-layout/{id}) in full as a browser asks and again
   * with its ETag (304), and the statuses (GET /api/seat-status/{id}); bytes on the wire and web CPU per read.
   */
  served: {
    layout: { bytes: number; contentEncoding: string; webCpuPerReadMs: number; reads: number };
    notModified: { status: number; webCpuPerReadMs: number; reads: number };
    status: { bytes: number; webCpuPerReadMs: number; reads: number };
  };
  browser: {
    /**
     * `page`: B's seat map DOM ([data-live="on"]); `sse`: only the live feed in B (the page has no live map);
     * `unavailable`: no browser could be launched (the payload figures stand, the live part was not measured).
     */
    mode: "page" | "sse" | "unavailable";
    executablePath: string;
    /** From navigation to B's map being live. */
    loadMs: number;
    note: string;
  };
  /**
   * The page's first render, timed in the page from its navigation's start (performance.now()), each load
   * in a new browser context (no cache: a fan's first visit), after one load of the page over plain HTTP so
   * the server has rendered it once: `drawnMs`, the map drawn with every seat's status; `liveMs`, its live
   * feed listening too. Medians over `loads`.
   */
  firstRender: { loads: { drawnMs: number; liveMs: number }[]; drawnMs: number; liveMs: number } | null;
  /**
   * The same map reached as most fans reach it: in an open page of the site (the concert's page here; the
   * waiting room's admission navigates the same way), a click on the showtime's link, timed from the click.
   */
  fromSite: { loads: { drawnMs: number; liveMs: number }[]; drawnMs: number; liveMs: number } | null;
  /**
   * A first visit on a throttled phone: a Pixel 7's screen and touch, its CPU slowed 4× and a slow 4G
   * network (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up), as Lighthouse's mobile profile.
   */
  phone: { loads: { drawnMs: number; liveMs: number }[]; drawnMs: number; liveMs: number } | null;
  samples: number;
  missed: number;
  errors: number;
  errorSamples: string[];
  hold: {
    /** A's request sent → B's page shows the seat held. */
    requestToPage: Latency;
    /** A's response received → B's page shows it (negative: B saw it before A's response arrived). */
    responseToPage: Latency;
    /** A's request sent → B's EventSource receives the change. */
    requestToFeed: Latency;
    /** A's holds.create round trip. */
    request: Latency;
  };
  release: { requestToPage: Latency; requestToFeed: Latency };
  raw: { requestToPage: number | null; responseToPage: number | null; requestToFeed: number | null; requestMs: number }[];
};

const SHOWTIME_SQL = `
  SELECT s.id, c.slug, c.title || ' at ' || v.name || ', ' || to_char(s."startsAt", 'YYYY-MM-DD') AS label, count(se.id)::int AS seats
  FROM "Showtime" s JOIN "Concert" c ON c.id = s."concertId" JOIN "Venue" v ON v.id = s."venueId"
  JOIN "Seat" se ON se."showtimeId" = s.id
  WHERE s.status = 'PUBLISHED' AND c.status = 'PUBLISHED' AND s."generalSaleStartsAt" <= now() AND s."saleEndsAt" > now()
  GROUP BY s.id, c.slug, c.title, v.name
  ORDER BY seats DESC, s."startsAt" DESC
  LIMIT 1`;

export async function benchSeatmap(
  stack: Stack,
  opts: SeatmapOptions,
  signal: AbortSignal,
  log: (line: string) => void,
  hooks: { beforePhases?: () => Promise<void>; afterPhases?: () => Promise<void> } = {},
): Promise<SeatmapResult> {
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  let browser: Browser | undefined;
  try {
    // The largest map on sale. Latest first among equals: the waiting-room benchmark pauses the earliest
    // arena showtime's room, and this one needs a fan admitted.
    const { rows } = await db.query<{ id: string; slug: string; label: string; seats: number }>(SHOWTIME_SQL);
    const showtime = rows[0];
    if (!showtime) throw new Error("the seed has no showtime on general sale");
    log(`Seat map: ${showtime.label} (${showtime.id}), ${showtime.seats} seats`);

    // --- The seat map read: bytes and time, without and with compression ----------------------------------
    const mapUrl = trpcQuery(stack.baseUrl, "showtimes.seatMap", { showtimeId: showtime.id }, "").url;
    const browserEncoding = "gzip, deflate, br, zstd"; // what Chromium sends
    const seatsInPayload = countSeats(await callTrpc({ url: mapUrl }));
    for (let i = 0; i < 2; i++) await Promise.all([readRaw(mapUrl, "identity"), readRaw(mapUrl, browserEncoding)]); // warm-up
    const identityReads: PayloadRead[] = [];
    const browserReads: PayloadRead[] = [];
    await hooks.beforePhases?.(); // a profile covers the reads only: the live part is mostly waiting
    const cpuBefore = groupCpuMs(stack.app.web.pid);
    for (let i = 0; i < opts.payloadReads && !signal.aborted; i++) {
      identityReads.push(await readRaw(mapUrl, "identity"));
      browserReads.push(await readRaw(mapUrl, browserEncoding));
    }
    const webCpuPerReadMs = round((groupCpuMs(stack.app.web.pid) - cpuBefore) / Math.max(1, identityReads.length + browserReads.length));
    await hooks.afterPhases?.();
    const medianRead = (reads: PayloadRead[]) => ({
      contentEncoding: reads[0]?.contentEncoding ?? "none",
      bytes: median(reads.map((r) => r.bytes)),
      ttfbMs: round(median(reads.map((r) => r.ttfbMs))),
      totalMs: round(median(reads.map((r) => r.totalMs))),
    });
    const payload = {
      reads: identityReads.length,
      identity: medianRead(identityReads),
      browser: { acceptEncoding: browserEncoding, ...medianRead(browserReads) },
      seatsInPayload,
      webCpuPerReadMs,
    };
    log(
      `seatMap read: ${payload.identity.bytes} bytes uncompressed in ${payload.identity.totalMs} ms; ` +
        `${payload.browser.bytes} bytes ${payload.browser.contentEncoding} in ${payload.browser.totalMs} ms (medians of ${payload.reads}); web CPU ${webCpuPerReadMs} ms per read`,
    );

    // --- What the page reads: the layout (in full, then with its ETag) and the statuses -------------------------
    const layoutUrl = `${stack.baseUrl}/api/seat-layout/${showtime.id}`;
    const statusUrl = `${stack.baseUrl}/api/seat-status/${showtime.id}`;
    const first = await readRaw(layoutUrl, browserEncoding);
    await readRaw(statusUrl, browserEncoding);
    const perRead = async (reads: number, read: () => Promise<PayloadRead>) => {
      const before = groupCpuMs(stack.app.web.pid);
      let last: PayloadRead | undefined;
      for (let i = 0; i < reads && !signal.aborted; i++) last = await read();
      return { last: last!, webCpuPerReadMs: round((groupCpuMs(stack.app.web.pid) - before) / reads, 3), reads };
    };
    await hooks.beforePhases?.();
    const layoutReads = await perRead(opts.payloadReads * 10, () => readRaw(layoutUrl, browserEncoding));
    const notModified = await perRead(opts.payloadReads * 50, () =>
      readRaw(layoutUrl, browserEncoding, { "if-none-match": first.etag ?? "" }),
    );
    const statusReads = await perRead(opts.payloadReads * 20, () => readRaw(statusUrl, browserEncoding));
    await hooks.afterPhases?.();
    const served: SeatmapResult["served"] = {
      layout: {
        bytes: layoutReads.last.bytes,
        contentEncoding: layoutReads.last.contentEncoding,
        webCpuPerReadMs: layoutReads.webCpuPerReadMs,
        reads: layoutReads.reads,
      },
      notModified: { status: notModified.last.status, webCpuPerReadMs: notModified.webCpuPerReadMs, reads: notModified.reads },
      status: { bytes: statusReads.last.bytes, webCpuPerReadMs: statusReads.webCpuPerReadMs, reads: statusReads.reads },
    };
    log(
      `layout: ${served.layout.bytes} bytes ${served.layout.contentEncoding}, web CPU ${served.layout.webCpuPerReadMs} ms per read; ` +
        `with its ETag: HTTP ${served.notModified.status}, ${served.notModified.webCpuPerReadMs} ms; statuses: ${served.status.bytes} bytes, ${served.status.webCpuPerReadMs} ms per read`,
    );

    // --- Fan A: admitted through the waiting room ----------------------------------------------------------
    const [fan] = await createFans(db, 1, stack.authSecret);
    if (!fan) throw new Error("no fan created");
    const accessToken = await admit(stack.baseUrl, showtime.id, fan.cookie);
    log("Fan A admitted");

    // --- Browser B: the showtime page, live ------------------------------------------------------------------
    const project = playwrightConfig.projects?.[0]?.use;
    const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium";
    try {
      browser = await chromium.launch({ executablePath, args: project?.launchOptions?.args ?? ["--no-sandbox"] });
    } catch (err) {
      // The payload figures (the summary's) need no browser: keep them, say why the live part is missing.
      const note = `no browser (${(err instanceof Error ? err.message : String(err)).split("\n")[0]}); set PLAYWRIGHT_CHROMIUM_PATH or apt-get install -y chromium`;
      log(`Browser B: ${note}; live latency not measured`);
      const none = latencyStats([]);
      return {
        showtime,
        payload,
        served,
        browser: { mode: "unavailable", executablePath, loadMs: 0, note },
        firstRender: null,
        fromSite: null,
        phone: null,
        samples: 0,
        missed: 0,
        errors: 0,
        errorSamples: [],
        hold: { requestToPage: none, responseToPage: none, requestToFeed: none, request: none },
        release: { requestToPage: none, requestToFeed: none },
        raw: [],
      };
    }
    const firstRender = await timeFirstRender(browser, stack.baseUrl, showtime.id, opts.pageLoads, signal);
    log(
      `First render, ${firstRender.loads.length} fresh browsers: map drawn in ${firstRender.drawnMs} ms, live in ${firstRender.liveMs} ms (medians; ` +
        `drawn ${firstRender.loads.map((l) => l.drawnMs).join(", ")})`,
    );
    const fromSite = await timeFirstRender(browser, stack.baseUrl, showtime.id, opts.pageLoads, signal, {
      from: `/concerts/${showtime.slug}`,
    });
    log(
      `From the concert's page, a click: map drawn in ${fromSite.drawnMs} ms, live in ${fromSite.liveMs} ms (medians; drawn ${fromSite.loads.map((l) => l.drawnMs).join(", ")})`,
    );
    const phone = await timeFirstRender(browser, stack.baseUrl, showtime.id, opts.pageLoads, signal, { phone: true });
    log(
      `Throttled phone, fresh browser: map drawn in ${phone.drawnMs} ms, live in ${phone.liveMs} ms (medians; drawn ${phone.loads.map((l) => l.drawnMs).join(", ")})`,
    );
    const context = await browser.newContext({ ...devices["Desktop Chrome"], baseURL: stack.baseUrl });
    // tsx compiles with keepNames: functions sent to the page call its `__name` helper, which B lacks.
    await context.addInitScript({ content: "globalThis.__name = (fn) => fn;" });
    const page = await context.newPage();
    const loadStarted = Date.now();
    await page.goto(`/showtimes/${showtime.id}`);
    const mode = await waitLive(page);
    const loadMs = Date.now() - loadStarted;
    const feedUrl = trpcQuery("", "showtimes.seatChanges", { showtimeId: showtime.id }, "").url;
    await page.evaluate(installProbe, { feedUrl });
    await page.waitForFunction(() => (window as unknown as ProbeWindow).__onsaleBench.feedReady, null, { timeout: 30_000 });
    const note =
      mode === "page"
        ? "B's seat map summary (held count) observed with a MutationObserver; an EventSource on the live feed beside it"
        : "the page has no live seat map ([data-live] missing): only the live feed (EventSource in B) is measured";
    log(`Browser B live in ${loadMs} ms (${mode === "page" ? "live seat map" : "feed only, no live map in this build"})`);

    // --- Samples: A holds a random free seat, B sees it; A releases, B sees that -------------------------------
    const { rows: free } = await db.query<{ id: number }>(`SELECT id FROM "Seat" WHERE "showtimeId" = $1 AND status = 'AVAILABLE'`, [
      showtime.id,
    ]);
    if (free.length === 0) throw new Error("no free seat on the arena showtime");
    const raw: SeatmapResult["raw"] = [];
    const releases: { requestToPage: number | null; requestToFeed: number | null }[] = [];
    const errorSamples = new Set<string>();
    let errors = 0;
    let missed = 0;
    for (let i = 0; i < opts.samples && !signal.aborted; i++) {
      const seatId = free[Math.floor(Math.random() * free.length)]!.id;
      const mark = await page.evaluate(() => {
        const b = (window as unknown as ProbeWindow).__onsaleBench;
        return { dom: b.dom.length, feed: b.feed.length, held: b.held };
      });
      const sentAt = Date.now();
      const res = await send(
        trpcMutation(stack.baseUrl, "holds.create", { showtimeId: showtime.id, accessToken, seatIds: [seatId] }, fan.cookie),
        signal,
        30_000,
      );
      const answeredAt = Date.now();
      const data = res.ok ? trpcData(res.value.status, res.value.body) : res;
      const holdId = data.ok ? (data.value as { holdId?: unknown }).holdId : undefined;
      if (typeof holdId !== "string") {
        errors++;
        errorSamples.add(data.ok ? `holds.create: no holdId` : `holds.create: ${data.error}`.slice(0, 400));
        continue;
      }
      const seen = await waitSeen(page, mark, seatId, 1, mode);
      if (seen.page === null && mode === "page") missed++;
      raw.push({
        requestToPage: seen.page === null ? null : seen.page - sentAt,
        responseToPage: seen.page === null ? null : seen.page - answeredAt,
        requestToFeed: seen.feed === null ? null : seen.feed - sentAt,
        requestMs: answeredAt - sentAt,
      });

      const after = await page.evaluate(() => {
        const b = (window as unknown as ProbeWindow).__onsaleBench;
        return { dom: b.dom.length, feed: b.feed.length, held: b.held };
      });
      const releaseAt = Date.now();
      const released = await send(
        trpcMutation(stack.baseUrl, "holds.release", { holdId }, fan.cookie),
        new AbortController().signal,
        30_000,
      );
      const releasedOk = released.ok && trpcData(released.value.status, released.value.body).ok;
      if (!releasedOk) {
        errors++;
        errorSamples.add(`holds.release: ${released.ok ? released.value.body.slice(0, 300) : released.error}`);
        continue;
      }
      const gone = await waitSeen(page, after, seatId, 0, mode);
      releases.push({
        requestToPage: gone.page === null ? null : gone.page - releaseAt,
        requestToFeed: gone.feed === null ? null : gone.feed - releaseAt,
      });
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100)); // no lock-step with B's frames
    }
    const stats = (values: (number | null)[]) => latencyStats(values.filter((v): v is number => v !== null));
    log(`${raw.length} holds watched from B, ${missed} not seen within 10 s, ${errors} errors`);
    return {
      showtime,
      payload,
      served,
      browser: { mode, executablePath, loadMs, note },
      firstRender,
      fromSite,
      phone,
      samples: raw.length,
      missed,
      errors,
      errorSamples: [...errorSamples].slice(0, 5),
      hold: {
        requestToPage: stats(raw.map((r) => r.requestToPage)),
        responseToPage: stats(raw.map((r) => r.responseToPage)),
        requestToFeed: stats(raw.map((r) => r.requestToFeed)),
        request: stats(raw.map((r) => r.requestMs)),
      },
      release: { requestToPage: stats(releases.map((r) => r.requestToPage)), requestToFeed: stats(releases.map((r) => r.requestToFeed)) },
      raw,
    };
  } finally {
    await browser?.close().catch(() => {});
    await db.end();
  }
}

/** Sums the seats of a seat map answer (sections → rows → seat tuples). */
function countSeats(map: unknown): number {
  const sections = (map as { sections?: { rows?: { seats?: unknown[] }[] }[] }).sections ?? [];
  return sections.reduce((n, s) => n + (s.rows ?? []).reduce((m, r) => m + (r.seats?.length ?? 0), 0), 0);
}

/** GET with node:http, so the bytes counted are the bytes sent (fetch would decompress them). */
function readRaw(url: string, acceptEncoding: string, headers: Record<string, string> = {}): Promise<PayloadRead> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { headers: { "accept-encoding": acceptEncoding, ...headers }, agent: false }, (res) => {
      const ttfbMs = performance.now() - started;
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => {
        if (res.statusCode !== 200 && res.statusCode !== 304) return reject(new Error(`GET ${url}: HTTP ${res.statusCode}`));
        const etag = typeof res.headers.etag === "string" ? res.headers.etag : undefined;
        resolve({
          acceptEncoding,
          contentEncoding: String(res.headers["content-encoding"] ?? "none"),
          bytes,
          ttfbMs,
          totalMs: performance.now() - started,
          status: res.statusCode,
          etag,
        });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`GET ${url}: timed out`)));
  });
}

/** Joins the showtime's waiting room and waits for READY (nudging admission along), returning the access token. */
async function admit(baseUrl: string, showtimeId: string, cookie: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  let last: unknown = await callTrpc(trpcMutation(baseUrl, "waitingRoom.join", { showtimeId }, cookie));
  while (Date.now() < deadline) {
    const state = last as { state?: string; accessToken?: unknown };
    if (state.state === "READY" && typeof state.accessToken === "string") return state.accessToken;
    await runAdmissionTick(showtimeId); // what the worker's next tick would do; no need to wait for it
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await callTrpc(trpcQuery(baseUrl, "waitingRoom.status", { showtimeId }, cookie));
  }
  throw new Error(`fan A was not admitted within 30 s (room paused?): ${JSON.stringify(last).slice(0, 300)}`);
}

/** Waits for B's map to go live; `sse` when this build's map has no live mode at all. */
/** Marks, in the page's own clock from its navigation's start, when the map is drawn and when it is live. */
function markRender() {
  const w = window as unknown as { __onsaleRender: { drawnMs?: number; liveMs?: number } };
  const marks: { drawnMs?: number; liveMs?: number } = (w.__onsaleRender = {});
  const observer = new MutationObserver(() => {
    // Drawn: the map painted before React (seat-paint.ts), or the live map's first render, whichever is first.
    marks.drawnMs ??= document.querySelector('#seat-paint[data-painted], [data-testid="seatmap-summary"]') ? performance.now() : undefined;
    marks.liveMs ??= document.querySelector('[data-testid="seatmap"][data-live="on"]') ? performance.now() : undefined;
    if (marks.liveMs !== undefined && marks.drawnMs !== undefined) observer.disconnect();
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-live", "data-painted"] });
}

/** Lighthouse's mobile profile: 4× slower CPU, 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up. */
const PHONE_CPU_SLOWDOWN = 4;
const PHONE_NETWORK = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

/**
 * Times the showtime page's map `loads` times, each in a new browser context: opened directly (from its
 * navigation's start) or, with `from`, by a click on its link in that page once it has loaded (from the click);
 * `phone`: on a throttled phone (PHONE_*).
 */
async function timeFirstRender(
  browser: Browser,
  baseUrl: string,
  showtimeId: string,
  loads: number,
  signal: AbortSignal,
  { from, phone = false }: { from?: string; phone?: boolean } = {},
): Promise<NonNullable<SeatmapResult["firstRender"]>> {
  const path = `/showtimes/${showtimeId}`;
  for (const warm of [path, from]) if (warm) await (await fetch(`${baseUrl}${warm}`, { signal })).arrayBuffer();
  const times: { drawnMs: number; liveMs: number }[] = [];
  for (let i = 0; i < loads && !signal.aborted; i++) {
    const context = await browser.newContext({ ...devices[phone ? "Pixel 7" : "Desktop Chrome"], baseURL: baseUrl });
    try {
      await context.addInitScript({ content: `globalThis.__name = (fn) => fn; (${markRender.toString()})();` });
      const page = await context.newPage();
      if (phone) {
        const cdp = await context.newCDPSession(page);
        await cdp.send("Emulation.setCPUThrottlingRate", { rate: PHONE_CPU_SLOWDOWN });
        await cdp.send("Network.enable");
        await cdp.send("Network.emulateNetworkConditions", PHONE_NETWORK);
      }
      let startMs = 0;
      if (from) {
        await page.goto(from, { waitUntil: "networkidle" });
        startMs = await page.evaluate((href) => {
          const link = document.querySelector<HTMLAnchorElement>(`a[href="${href}"]`);
          if (!link) throw new Error(`no link to ${href}`);
          const at = performance.now();
          link.click();
          return at;
        }, path);
      } else await page.goto(path, { waitUntil: "commit" });
      await page.waitForSelector('[data-testid="seatmap"][data-live="on"]', { timeout: 60_000 });
      const marks = await page.evaluate(
        () => (window as unknown as { __onsaleRender: { drawnMs: number; liveMs: number } }).__onsaleRender,
      );
      times.push({ drawnMs: Math.round(marks.drawnMs - startMs), liveMs: Math.round(marks.liveMs - startMs) });
    } finally {
      await context.close();
    }
  }
  return { loads: times, drawnMs: median(times.map((t) => t.drawnMs)), liveMs: median(times.map((t) => t.liveMs)) };
}

async function waitLive(page: Page): Promise<"page" | "sse"> {
  await page.waitForSelector('[data-testid="seatmap-summary"]', { timeout: 120_000 });
  const live = await page.$('[data-testid="seatmap"][data-live]');
  if (!live) return "sse";
  await page.waitForSelector('[data-testid="seatmap"][data-live="on"]', { timeout: 60_000 });
  return "page";
}

type ProbeWindow = {
  __onsaleBench: {
    held: number | null;
    dom: { t: number; held: number | null }[];
    feed: { t: number; seats: [number, number][] }[];
    feedReady: boolean;
  };
};

/**
 * Runs in B: stamps every change of the summary's held count (the DOM the live map updates) and every
 * batch of the live feed, with B's Date.now().
 */
function installProbe({ feedUrl }: { feedUrl: string }) {
  const w = window as unknown as ProbeWindow;
  const probe: ProbeWindow["__onsaleBench"] = { held: null, dom: [], feed: [], feedReady: false };
  w.__onsaleBench = probe;
  const summary = document.querySelector('[data-testid="seatmap-summary"]');
  const readHeld = () => {
    const m = /([\d,]+)\s+on hold/.exec(summary?.textContent ?? "");
    return m ? Number(m[1]!.replace(/,/g, "")) : null;
  };
  probe.held = readHeld();
  if (summary) {
    new MutationObserver(() => {
      const t = Date.now();
      const held = readHeld();
      if (held !== probe.held) {
        probe.held = held;
        probe.dom.push({ t, held });
      }
    }).observe(summary, { subtree: true, childList: true, characterData: true });
  }
  const feed = new EventSource(feedUrl);
  feed.onmessage = (e: MessageEvent<string>) => {
    const t = Date.now();
    const parsed = JSON.parse(e.data) as { json?: { kind?: string; seats?: [number, number][] } };
    const msg = parsed.json ?? (parsed as { kind?: string; seats?: [number, number][] });
    if (msg.kind === "ready") probe.feedReady = true;
    else if (msg.kind === "seats" && msg.seats) probe.feed.push({ t, seats: msg.seats });
  };
}

/**
 * Waits (10 s at most) until B's held count has moved the right way from `mark` and the feed has carried
 * the seat's new status; returns B's timestamps of each (null: not seen).
 */
async function waitSeen(
  page: Page,
  mark: { dom: number; feed: number; held: number | null },
  seatId: number,
  status: 0 | 1,
  mode: "page" | "sse",
): Promise<{ page: number | null; feed: number | null }> {
  const check = ({
    mark,
    seatId,
    status,
    mode,
  }: {
    mark: { dom: number; feed: number; held: number | null };
    seatId: number;
    status: number;
    mode: string;
  }) => {
    const b = (window as unknown as ProbeWindow).__onsaleBench;
    const moved = (h: number | null) => h !== null && mark.held !== null && (status === 1 ? h > mark.held : h < mark.held);
    const dom = b.dom.slice(mark.dom).find((e) => moved(e.held));
    const feed = b.feed.slice(mark.feed).find((e) => e.seats.some(([id, s]) => id === seatId && s === status));
    return { done: Boolean(feed && (dom || mode !== "page")), page: dom?.t ?? null, feed: feed?.t ?? null };
  };
  try {
    await page.waitForFunction(
      (arg) => {
        const b = (window as unknown as ProbeWindow).__onsaleBench;
        const moved = (h: number | null) =>
          h !== null && arg.mark.held !== null && (arg.status === 1 ? h > arg.mark.held : h < arg.mark.held);
        const dom = b.dom.slice(arg.mark.dom).some((e) => moved(e.held));
        const feed = b.feed.slice(arg.mark.feed).some((e) => e.seats.some(([id, s]) => id === arg.seatId && s === arg.status));
        return feed && (dom || arg.mode !== "page");
      },
      { mark, seatId, status, mode },
      { timeout: 10_000 },
    );
  } catch {
    // not seen in time: whatever was seen is returned below
  }
  const seen = await page.evaluate(check, { mark, seatId, status, mode });
  return { page: seen.page, feed: seen.feed };
}

export function printSeatmap(r: SeatmapResult): void {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const kb = (bytes: number) => `${round(bytes / 1024)} KiB`;
  console.log(`\nSeat map of ${r.showtime.label}: ${r.showtime.seats} seats (${r.payload.seatsInPayload} in the answer)`);
  console.log(`GET /api/trpc/showtimes.seatMap, medians of ${r.payload.reads} reads; web CPU ${r.payload.webCpuPerReadMs} ms per read`);
  console.log(`${"".padEnd(34)}${pad("bytes", 12)}${pad("", 12)}${pad("TTFB ms", 10)}${pad("total ms", 10)}`);
  const p = r.payload;
  console.log(
    `${"uncompressed (identity)".padEnd(34)}${pad(p.identity.bytes, 12)}${pad(kb(p.identity.bytes), 12)}${pad(p.identity.ttfbMs, 10)}${pad(p.identity.totalMs, 10)}`,
  );
  console.log(
    `${`as a browser asks (${p.browser.contentEncoding})`.padEnd(34)}${pad(p.browser.bytes, 12)}${pad(kb(p.browser.bytes), 12)}${pad(p.browser.ttfbMs, 10)}${pad(p.browser.totalMs, 10)}`,
  );

  const v = r.served;
  console.log(`\nWhat the page reads (web CPU per read)`);
  console.log(
    `${`layout, as a browser asks (${v.layout.contentEncoding})`.padEnd(34)}${pad(v.layout.bytes, 12)}${pad(kb(v.layout.bytes), 12)}${pad(`${v.layout.webCpuPerReadMs} ms`, 12)}  ${v.layout.reads} reads`,
  );
  console.log(
    `${`layout with its ETag (HTTP ${v.notModified.status})`.padEnd(34)}${pad(0, 12)}${pad("", 12)}${pad(`${v.notModified.webCpuPerReadMs} ms`, 12)}  ${v.notModified.reads} reads`,
  );
  console.log(
    `${"statuses (showtimes.seatStatus)".padEnd(34)}${pad(v.status.bytes, 12)}${pad(kb(v.status.bytes), 12)}${pad(`${v.status.webCpuPerReadMs} ms`, 12)}  ${v.status.reads} reads`,
  );

  if (r.browser.mode === "unavailable") {
    console.log(`\nLive seat change: not measured: ${r.browser.note}`);
    return;
  }
  console.log(
    `\nLive seat change, fan A (HTTP) → browser B (${r.browser.mode === "page" ? "seat map page" : "live feed only"}); ${r.samples} holds, each released`,
  );
  console.log(`${"".padEnd(42)}${pad("p50 ms", 10)}${pad("p95 ms", 10)}${pad("max ms", 10)}`);
  const row = (name: string, s: Latency) =>
    console.log(
      `${name.padEnd(42)}${pad(s.p50, 10)}${pad(s.p95, 10)}${pad(s.max, 10)}${s.count < r.samples ? `   (${s.count} seen)` : ""}`,
    );
  if (r.browser.mode === "page") {
    row("hold sent → B's map shows it", r.hold.requestToPage);
    row("hold answered → B's map shows it", r.hold.responseToPage);
  }
  row("hold sent → B's live feed has it", r.hold.requestToFeed);
  row("holds.create round trip (A)", r.hold.request);
  if (r.browser.mode === "page") row("release sent → B's map shows it", r.release.requestToPage);
  row("release sent → B's live feed has it", r.release.requestToFeed);
  if (r.firstRender) {
    const loads = r.firstRender.loads.map((l) => `${l.drawnMs}/${l.liveMs}`).join(", ");
    console.log(
      `First render (fresh browser, from navigation): map drawn ${r.firstRender.drawnMs} ms, live ${r.firstRender.liveMs} ms (medians; drawn/live: ${loads})`,
    );
  }
  if (r.fromSite) {
    const loads = r.fromSite.loads.map((l) => `${l.drawnMs}/${l.liveMs}`).join(", ");
    console.log(
      `From a click in the concert's page: map drawn ${r.fromSite.drawnMs} ms, live ${r.fromSite.liveMs} ms (medians; drawn/live: ${loads})`,
    );
  }
  if (r.phone) {
    const loads = r.phone.loads.map((l) => `${l.drawnMs}/${l.liveMs}`).join(", ");
    console.log(
      `Throttled phone (fresh browser, from navigation): map drawn ${r.phone.drawnMs} ms, live ${r.phone.liveMs} ms (medians; drawn/live: ${loads})`,
    );
  }
  console.log(`B's page went live in ${r.browser.loadMs} ms; missed ${r.missed}, errors ${r.errors}`);
  for (const e of r.errorSamples) console.log(`  error: ${e}`);
  if (r.browser.mode === "sse") console.log(`note: ${r.browser.note}`);
}

export function seatmapSummary(r: SeatmapResult): SummaryRow[] {
  const what = `seat map read, ${r.showtime.seats.toLocaleString("en-US")} seats`;
  return [
    {
      benchmark: "seatmap",
      figure: `${what}: payload (${r.payload.browser.contentEncoding})`,
      value: r.payload.browser.bytes,
      unit: "bytes",
    },
    { benchmark: "seatmap", figure: `${what}: payload (uncompressed)`, value: r.payload.identity.bytes, unit: "bytes" },
    { benchmark: "seatmap", figure: `${what}: server time (TTFB, uncompressed, median)`, value: r.payload.identity.ttfbMs, unit: "ms" },
    {
      benchmark: "seatmap",
      figure: `${what}: web CPU per read (showtimes.seatMap, whole map in one answer)`,
      value: r.payload.webCpuPerReadMs,
      unit: "ms",
    },
    {
      benchmark: "seatmap",
      figure: `${what}: web CPU per full read as the page reads it (layout + statuses)`,
      value: round(r.served.layout.webCpuPerReadMs + r.served.status.webCpuPerReadMs, 3),
      unit: "ms",
      goal: { kind: "value-below", max: 5 },
    },
    {
      benchmark: "seatmap",
      figure: `${what}: web CPU per layout read answered 304`,
      value: r.served.notModified.webCpuPerReadMs,
      unit: "ms",
      goal: { kind: "value-below", max: 1 },
    },
    {
      benchmark: "seatmap",
      figure: `${what}: the page's first render, navigation to the map drawn (median of ${r.firstRender?.loads.length ?? 0} fresh browsers)`,
      value: r.firstRender?.drawnMs ?? null,
      unit: "ms",
      goal: { kind: "value-below", max: 1000 },
    },
    {
      benchmark: "seatmap",
      figure: `${what}: navigation to the map live (median, the same loads)`,
      value: r.firstRender?.liveMs ?? null,
      unit: "ms",
    },
    {
      benchmark: "seatmap",
      figure: `${what}: from a click in an open page of the site (as the waiting room admits) to the map drawn (median)`,
      value: r.fromSite?.drawnMs ?? null,
      unit: "ms",
      goal: { kind: "value-below", max: 1000 },
    },
    {
      benchmark: "seatmap",
      figure: `${what}: a throttled phone's first render (4× CPU, slow 4G), navigation to the map drawn (median)`,
      value: r.phone?.drawnMs ?? null,
      unit: "ms",
    },
    { benchmark: "seatmap", figure: "live change: hold sent → other browser's feed, p95", value: r.hold.requestToFeed.p95, unit: "ms" },
  ];
}
