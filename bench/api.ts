// Benchmark: the two read APIs outside the fan's browser, in a closed loop of C concurrent clients each:
// (a) the partner price API, `GET /v1/channel/price/ticket/{product_id}` with a channel's API key (key
// lookup by prefix, constant-time hash check, the showtime's price tiers), and (b) the REST seat map,
// `GET /api/v1/showtimes/{id}/seats`, of the largest map (the seed's arena showtime). Next to each, the same
// number of clients calling `auth.me` (session cookie decoded, no database): the HTTP + tRPC floor the holds
// benchmark uses. Import only after startStack has set DATABASE_URL and REDIS_PREFIX.
import pg from "pg";
import { createChannel, issueApiKey } from "../server/domain/channels/channels.ts";
import { redis as sharedRedis } from "../server/redis.ts";
import { cpuBetween, cpuSnapshot } from "./lib/cpu.ts";
import { createFans } from "./lib/fans.ts";
import { closedLoop, median, round, type Outcome } from "./lib/load.ts";
import type { Stack } from "./lib/stack.ts";
import type { SummaryRow } from "./lib/summary.ts";
import { trpcData, trpcQuery } from "./lib/trpc.ts";

export type ApiOptions = {
  runs: number;
  /** Seconds of each measured phase. */
  apiSeconds: number;
  partnerClients: number;
  seatmapClients: number;
};

type Phase = Awaited<ReturnType<typeof closedLoop>> & { webCpuPerRequestMs: number };

export type ApiResult = {
  partner: { showtimeId: string; channelCode: string; clients: number; runs: Phase[]; floorRuns: Phase[] };
  seatmap: { showtimeId: string; label: string; seats: number; clients: number; bodyBytes: number; runs: Phase[]; floorRuns: Phase[] };
  median: {
    partner: { rps: number; p50: number; p99: number; webCpuPerRequestMs: number };
    partnerFloor: { rps: number; p50: number; p99: number; webCpuPerRequestMs: number };
    seatmap: { rps: number; p50: number; p99: number; webCpuPerRequestMs: number };
    seatmapFloor: { rps: number; p50: number; p99: number; webCpuPerRequestMs: number };
  };
  ratios: { partnerVsFloor: number | null; seatmapVsFloor: number | null };
  errors: number;
};

/** The on-sale showtime with the most seats (the seed's arena), the latest among equals: as the seatmap bench. */
const LARGEST_SQL = `
  SELECT s.id, c.title || ' at ' || v.name AS label, count(se.id)::int AS seats
  FROM "Showtime" s JOIN "Concert" c ON c.id = s."concertId" JOIN "Venue" v ON v.id = s."venueId"
  JOIN "Seat" se ON se."showtimeId" = s.id
  WHERE s.status = 'PUBLISHED' AND c.status = 'PUBLISHED' AND s."generalSaleStartsAt" <= now() AND s."saleEndsAt" > now()
  GROUP BY s.id, c.title, v.name
  ORDER BY seats DESC, s."startsAt" DESC
  LIMIT 1`;

/** An on-sale seed showtime for the partner API (its price tiers are what the API answers); not a benchmark's own. */
const ON_SALE_SQL = `
  SELECT s.id FROM "Showtime" s JOIN "Concert" c ON c.id = s."concertId"
  WHERE s.status = 'PUBLISHED' AND c.status = 'PUBLISHED' AND s."generalSaleStartsAt" <= now() AND s."saleEndsAt" > now()
    AND c.artist <> 'Bench'
  ORDER BY s."startsAt" ASC LIMIT 1`;

export async function benchApi(
  stack: Stack,
  opts: ApiOptions,
  signal: AbortSignal,
  log: (line: string) => void,
  hooks: { beforePhases?: () => Promise<void>; afterPhases?: () => Promise<void> } = {},
): Promise<ApiResult> {
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  const redis = sharedRedis();
  try {
    const [fan] = await createFans(db, 1, stack.authSecret);
    const { rows: admins } = await db.query<{ id: string }>(`SELECT id FROM "User" WHERE role = 'ADMIN' ORDER BY "createdAt" LIMIT 1`);
    const actorId = admins[0]?.id ?? fan!.id;
    const channelCode = `bench-${Date.now().toString(36)}`;
    const channel = await createChannel({ code: channelCode, name: "Bench partner" }, actorId);
    const { key } = await issueApiKey({ channelId: channel.id, name: "bench" }, actorId);
    const { rows: onSale } = await db.query<{ id: string }>(ON_SALE_SQL);
    const { rows: largest } = await db.query<{ id: string; label: string; seats: number }>(LARGEST_SQL);
    if (!onSale[0] || !largest[0]) throw new Error("no showtime on sale in the seed");
    const partnerShowtime = onSale[0].id;
    const arena = largest[0];
    log(`API: channel ${channelCode}, partner product ${partnerShowtime}; seat map of ${arena.label} (${arena.seats} seats)`);

    const partnerReq = () => ({
      url: `${stack.baseUrl}/v1/channel/price/ticket/${partnerShowtime}`,
      init: { headers: { authorization: `Token ${key}`, channel: `Code ${channelCode}` } },
    });
    const checkPartner = (status: number, body: string): Outcome<unknown> => {
      if (status !== 200) return { ok: false, error: `HTTP ${status}: ${body.slice(0, 300)}` };
      return body.includes('"prices"') ? { ok: true, value: null } : { ok: false, error: `HTTP 200 without prices: ${body.slice(0, 300)}` };
    };
    const seatsReq = () => ({ url: `${stack.baseUrl}/api/v1/showtimes/${arena.id}/seats`, init: {} });
    const checkSeats = (status: number, body: string): Outcome<unknown> =>
      status === 200 ? { ok: true, value: null } : { ok: false, error: `HTTP ${status}: ${body.slice(0, 300)}` };
    const floorReq = () => trpcQuery(stack.baseUrl, "auth.me", undefined, fan!.cookie);
    const checkFloor = (status: number, body: string) => trpcData(status, body);

    // Every request fails the same way if the setup is wrong: check once before measuring.
    for (const [name, req, check] of [
      ["partner", partnerReq, checkPartner],
      ["seats", seatsReq, checkSeats],
      ["auth.me", floorReq, checkFloor],
    ] as const) {
      const res = await fetch(req().url, { ...req().init, signal: AbortSignal.timeout(30_000) });
      const outcome = check(res.status, await res.text());
      if (!outcome.ok) throw new Error(`${name}: ${outcome.error}`);
    }
    const pids = { web: stack.app.web.pid, worker: stack.app.worker.pid };
    const phase = async (
      clients: number,
      ms: number,
      req: () => { url: string; init?: RequestInit },
      check: typeof checkSeats,
      profiled: boolean,
    ): Promise<Phase> => {
      const before = await cpuSnapshot(pids, redis);
      if (profiled) await hooks.beforePhases?.();
      const loop = await closedLoop(clients, ms, () => req(), check, signal);
      const cpu = cpuBetween(before, await cpuSnapshot(pids, redis));
      if (profiled) await hooks.afterPhases?.();
      return { ...loop, webCpuPerRequestMs: round(cpu.webMs / Math.max(1, loop.requests), 3) };
    };
    // Warm-up: 2 s of each, not counted.
    await phase(opts.partnerClients, 2000, partnerReq, checkPartner, false);
    await phase(opts.seatmapClients, 2000, seatsReq, checkSeats, false);
    await phase(opts.partnerClients, 1000, floorReq, checkFloor, false);

    const ms = opts.apiSeconds * 1000;
    const partner: Phase[] = [];
    const partnerFloor: Phase[] = [];
    const seatmap: Phase[] = [];
    const seatmapFloor: Phase[] = [];
    const show = (name: string, p: Phase) =>
      log(`${name}: ${p.rps} req/s, p50 ${p.p50} ms, p99 ${p.p99} ms, ${p.errors} errors, web ${p.webCpuPerRequestMs} ms CPU/request`);
    for (let r = 0; r < opts.runs && !signal.aborted; r++) {
      partner.push(await phase(opts.partnerClients, ms, partnerReq, checkPartner, true));
      show(`partner price run ${r + 1}/${opts.runs}, ${opts.partnerClients} clients`, partner.at(-1)!);
      partnerFloor.push(await phase(opts.partnerClients, Math.min(ms, 5000), floorReq, checkFloor, false));
      show(`auth.me floor run ${r + 1}/${opts.runs}, ${opts.partnerClients} clients`, partnerFloor.at(-1)!);
      seatmap.push(await phase(opts.seatmapClients, ms, seatsReq, checkSeats, true));
      show(`REST seat map run ${r + 1}/${opts.runs}, ${opts.seatmapClients} clients`, seatmap.at(-1)!);
      seatmapFloor.push(await phase(opts.seatmapClients, Math.min(ms, 5000), floorReq, checkFloor, false));
      show(`auth.me floor run ${r + 1}/${opts.runs}, ${opts.seatmapClients} clients`, seatmapFloor.at(-1)!);
    }
    if (partner.length === 0) throw new Error("interrupted before the first API run finished");
    const med = (runs: Phase[]) => ({
      rps: round(median(runs.map((p) => p.rps))),
      p50: round(median(runs.map((p) => p.p50))),
      p99: round(median(runs.map((p) => p.p99))),
      webCpuPerRequestMs: round(median(runs.map((p) => p.webCpuPerRequestMs)), 3),
    });
    const m = { partner: med(partner), partnerFloor: med(partnerFloor), seatmap: med(seatmap), seatmapFloor: med(seatmapFloor) };
    const all = [...partner, ...partnerFloor, ...seatmap, ...seatmapFloor];
    const seatmapRequests = seatmap.reduce((n, p) => n + p.requests, 0);
    return {
      partner: { showtimeId: partnerShowtime, channelCode, clients: opts.partnerClients, runs: partner, floorRuns: partnerFloor },
      seatmap: {
        ...arena,
        showtimeId: arena.id,
        clients: opts.seatmapClients,
        // Decoded body (fetch asks for gzip/deflate/br and inflates), characters per answer.
        bodyBytes: Math.round(seatmap.reduce((n, p) => n + p.bytes, 0) / Math.max(1, seatmapRequests)),
        runs: seatmap,
        floorRuns: seatmapFloor,
      },
      median: m,
      ratios: {
        partnerVsFloor: m.partnerFloor.rps ? round(m.partner.rps / m.partnerFloor.rps, 3) : null,
        seatmapVsFloor: m.seatmapFloor.rps ? round(m.seatmap.rps / m.seatmapFloor.rps, 4) : null,
      },
      errors: all.reduce((n, p) => n + p.errors, 0),
    };
  } finally {
    await db.end();
  }
}

export function printApi(r: ApiResult, opts: ApiOptions): void {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const row = (name: string, x: ApiResult["median"]["partner"]) =>
    console.log(`${name.padEnd(58)}${pad(x.rps, 10)}${pad(x.p50, 10)}${pad(x.p99, 10)}${pad(x.webCpuPerRequestMs, 12)}`);
  console.log(`\nRead APIs, closed loop, ${opts.apiSeconds} s per phase (floor 5 s), medians of ${r.partner.runs.length} runs`);
  console.log(`${"".padEnd(58)}${pad("req/s", 10)}${pad("p50 ms", 10)}${pad("p99 ms", 10)}${pad("web CPU ms", 12)}`);
  row(`GET /v1/channel/price/ticket/{id} (partner), ${r.partner.clients} clients`, r.median.partner);
  row(`  auth.me floor, ${r.partner.clients} clients`, r.median.partnerFloor);
  row(`GET /api/v1/showtimes/{id}/seats (${r.seatmap.seats} seats), ${r.seatmap.clients} clients`, r.median.seatmap);
  row(`  auth.me floor, ${r.seatmap.clients} clients`, r.median.seatmapFloor);
  console.log(`seat map body: ${r.seatmap.bodyBytes} bytes decoded (${r.seatmap.label})`);
  console.log(
    `partner req/s ÷ auth.me req/s: ${r.ratios.partnerVsFloor ?? "n/a"};  seat map req/s ÷ auth.me req/s: ${r.ratios.seatmapVsFloor ?? "n/a"}`,
  );
  console.log(`errors: ${r.errors}${r.errors ? " ✗" : ""}`);
  const all = [...r.partner.runs, ...r.partner.floorRuns, ...r.seatmap.runs, ...r.seatmap.floorRuns];
  for (const sample of [...new Set(all.flatMap((p) => p.errorSamples))].slice(0, 5)) console.log(`  error: ${sample}`);
}

export function apiSummary(r: ApiResult): SummaryRow[] {
  const floor = (clients: number, x: { rps: number }) => ({ name: `auth.me, same ${clients} clients`, value: x.rps, unit: "req/s" });
  return [
    {
      benchmark: "api",
      figure: `partner price API, ${r.partner.clients} clients`,
      value: r.median.partner.rps,
      unit: "req/s",
      limit: floor(r.partner.clients, r.median.partnerFloor),
      ratio: r.ratios.partnerVsFloor,
    },
    {
      benchmark: "api",
      figure: `REST seat map (${r.seatmap.seats.toLocaleString("en-US")} seats), ${r.seatmap.clients} clients`,
      value: r.median.seatmap.rps,
      unit: "req/s",
      limit: floor(r.seatmap.clients, r.median.seatmapFloor),
      ratio: r.ratios.seatmapVsFloor,
    },
  ];
}
