// Benchmark: N admitted fans, each with a live hold and a wallet topped up for exactly that purchase, all pay
// at once through the real checkout endpoint (Next.js route → tRPC → idempotency replay → waiting-room gate →
// one interactive transaction: hold locked, seats SOLD, order, conditional wallet debit, ledger, payment,
// tickets). Contention on purpose: every fan double-clicks (the same idempotency key twice at once), and 10%
// also try to pay for a second, dearer hold they cannot afford. Afterwards the database must show nobody
// charged twice and every wallet equal to its ledger sum. Beside it, in the same run, pgbench's built-in
// `tpcb-like` (itself a small money-moving transaction) on the same PostgreSQL. Then an open loop: fresh fans,
// prepared beforehand, pay (double click included) on a fixed schedule at 70% of the bursts' checkouts/s,
// for latency at a sustainable rate, checked in the database the same way. Import only after startStack
// has set DATABASE_URL and REDIS_PREFIX: the server modules below read them once, on load.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { prisma } from "../server/db.ts";
import { updateSettings } from "../server/domain/waiting-room/settings.ts";
import { redis as sharedRedis } from "../server/redis.ts";
import { makeConcert } from "../test/support/factories.ts";
import { commandCpuMs, cpuBetween, cpuSnapshot } from "./lib/cpu.ts";
import { createFans, type Fan } from "./lib/fans.ts";
import {
  burst,
  connectionPool,
  latencyStats,
  median,
  openLoop,
  round,
  send,
  sendPooled,
  type OpenLoopResult,
  type Outcome,
} from "./lib/load.ts";
import { initTpcb, runPgbench, type PgbenchRow, type PgbenchUnavailable } from "./lib/pgbench.ts";
import type { Stack } from "./lib/stack.ts";
import { ratioOf, type SummaryRow } from "./lib/summary.ts";
import { trpcAppCode, trpcData, trpcMutation } from "./lib/trpc.ts";

export type CheckoutOptions = {
  runs: number;
  /** Fans paying at once in each run. */
  checkoutFans: number;
  /** Seconds of the open-loop phase at 70% of the peak. */
  openSeconds: number;
  pgbenchSeconds: number;
  pgbenchJobs: number;
};

/** Share of fans that also try to pay for a second hold their wallet cannot cover. */
const UNAFFORDABLE_SHARE = 0.1;
const TPCB_CLIENTS = 10;
const TPCB_SCALE = 1;

type Latency = ReturnType<typeof latencyStats>;

export type Verification = { ok: boolean; problems: string[]; note: string };

export type CheckoutRun = {
  fans: number;
  /** Requests in the burst: two per fan (the double click) plus one per unaffordable attempt. */
  requests: number;
  wallMs: number;
  /** Payments that charged (one per fan expected). */
  charged: number;
  /** Answers that replayed an earlier payment with the same key (charged: false). */
  replayed: number;
  checkoutsPerSecond: number;
  requestsPerSecond: number;
  /** Every request; then the ones that charged, and the refused unaffordable ones. */
  latency: { all: Latency; charged: Latency; replayed: Latency; refused: Latency };
  /** HTTP status / appCode → count, for every answer that was not a success. */
  errorsByAppCode: Record<string, number>;
  /** Of those, what was not the expected INSUFFICIENT_FUNDS of an unaffordable attempt. */
  unexpectedErrors: number;
  unaffordableAttempts: number;
  errorSamples: string[];
  cpuPerRequestMs: { web: number; postgres: number; redis: number; bench: number };
  verification: Verification;
};

export type CheckoutResult = {
  showtimes: { id: string; seats: number }[];
  warmup: { fans: number; charged: number; errors: Record<string, number> };
  runs: CheckoutRun[];
  median: {
    checkoutsPerSecond: number;
    requestsPerSecond: number;
    p50: number;
    p99: number;
    chargedP50: number;
    chargedP99: number;
    charged: number;
    replayed: number;
    unexpectedErrors: number;
    webCpuPerRequestMs: number;
  };
  errorsByAppCode: Record<string, number>;
  pgbench: { scale: number; clients: number; runs: (PgbenchRow | PgbenchUnavailable)[]; medianTps: number | null };
  ratios: { checkoutsVsTpcb: number | null };
  /** Fans paying (each a double click) on a fixed schedule at 70% of the bursts' median checkouts/s. */
  open?: OpenLoopResult & { fans: number; charged: number; replayed: number; verification: Verification };
  verified: boolean;
};

export async function benchCheckout(
  stack: Stack,
  opts: CheckoutOptions,
  signal: AbortSignal,
  log: (line: string) => void,
  hooks: { beforePhases?: () => Promise<void>; afterPhases?: () => Promise<void> } = {},
): Promise<CheckoutResult> {
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  const redis = sharedRedis();
  let tpcb: { remove(): Promise<void> } | PgbenchUnavailable | undefined;
  try {
    const showtimes: CheckoutResult["showtimes"] = [];
    const pids = { web: stack.app.web.pid, worker: stack.app.worker.pid };

    // --- Warm-up: a small round through every step, not counted ------------------------------------------
    const warmFans = Math.min(20, opts.checkoutFans);
    const warmSetup = await prepareRound(stack, db, warmFans, signal, log);
    showtimes.push({ id: warmSetup.showtimeId, seats: warmSetup.seats });
    const warm = await payAll(stack, warmSetup, signal);
    const warmErrors = countByCode(warm.answers.filter((a) => !a.ok));
    log(`Warm-up: ${warmFans} fans, ${warm.answers.filter((a) => a.ok && a.charged).length} charged, errors ${JSON.stringify(warmErrors)}`);

    tpcb = await initTpcb(db, stack.databaseUrl, TPCB_SCALE);
    if ("unavailable" in tpcb) log(`pgbench tpcb-like unavailable: ${tpcb.unavailable}`);
    else log(`pgbench -i -s ${TPCB_SCALE}: pgbench_* tables in the run's database`);

    const runs: CheckoutRun[] = [];
    const pgbenchRuns: (PgbenchRow | PgbenchUnavailable)[] = [];
    for (let r = 0; r < opts.runs && !signal.aborted; r++) {
      const setup = await prepareRound(stack, db, opts.checkoutFans, signal, log);
      showtimes.push({ id: setup.showtimeId, seats: setup.seats });
      const before = await cpuSnapshot(pids, redis);
      const pgBefore = commandCpuMs("postgres");
      await hooks.beforePhases?.();
      const paid = await payAll(stack, setup, signal);
      const cpu = { ...cpuBetween(before, await cpuSnapshot(pids, redis)), postgresMs: Math.round(commandCpuMs("postgres") - pgBefore) };
      await hooks.afterPhases?.();
      const verification = await verify(db, setup);
      const run = toRun(setup, paid, cpu, verification);
      runs.push(run);
      log(
        `checkout run ${r + 1}/${opts.runs}: ${run.checkoutsPerSecond} checkouts/s (${run.charged} charged, ${run.replayed} replayed of ${run.requests} requests in ${round(run.wallMs / 1000, 2)} s), ` +
          `p50 ${run.latency.all.p50} ms, p99 ${run.latency.all.p99} ms, errors ${JSON.stringify(run.errorsByAppCode)}; ${verification.note}`,
      );
      if (!verification.ok) log(`✗ CHECKOUT INTEGRITY FAILED:\n  ${verification.problems.slice(0, 10).join("\n  ")}`);

      if (!("unavailable" in tpcb) && !signal.aborted) {
        const row = await runPgbench({
          databaseUrl: stack.databaseUrl,
          builtin: "tpcb-like",
          clients: TPCB_CLIENTS,
          jobs: opts.pgbenchJobs,
          seconds: opts.pgbenchSeconds,
        });
        pgbenchRuns.push(row);
        log(
          `pgbench tpcb-like run ${r + 1}/${opts.runs}: ${"unavailable" in row ? row.unavailable : `${row.tps} tps, ${row.latencyAvgMs} ms average`}`,
        );
      } else if ("unavailable" in tpcb) pgbenchRuns.push(tpcb);
    }
    if (runs.length === 0) throw new Error("interrupted before the first checkout run finished");

    // --- Open loop at 70% of the peak: a stream of fresh paid-for holds, prepared first ---------------------
    let open: CheckoutResult["open"];
    const peak = median(runs.map((r) => r.checkoutsPerSecond));
    if (!signal.aborted && peak > 0) {
      const rate = 0.7 * peak;
      const count = Math.max(1, Math.ceil(rate * opts.openSeconds));
      const setup = await prepareRound(stack, db, count, signal, log, 0);
      showtimes.push({ id: setup.showtimeId, seats: setup.seats });
      log(`checkout open loop: ${count} fans paying at ${round(rate)} checkouts/s (70% of ${round(peak)}), each clicking twice`);
      let charged = 0;
      let replayed = 0;
      // The clicks share a keep-alive pool, as a proxy's upstream connections would (holds.ts).
      const agent = connectionPool(200);
      const loop = await openLoop(
        { rate, ms: opts.openSeconds * 1000 },
        async (i) => {
          const payer = setup.payers[i];
          if (!payer) return { ok: false, error: "no prepared fan left" };
          const key = `bench-pay-${randomBytes(8).toString("hex")}`;
          const click = () =>
            sendPooled(
              agent,
              trpcMutation(
                stack.baseUrl,
                "orders.checkout",
                { showtimeId: setup.showtimeId, accessToken: payer.accessToken, holdId: payer.holdId, idempotencyKey: key },
                payer.fan.cookie,
              ),
              signal,
              60_000,
            );
          const answers = await Promise.all([click(), click()]);
          const problems: string[] = [];
          for (const a of answers) {
            const data = a.ok ? trpcData(a.value.status, a.value.body) : a;
            if (!data.ok) problems.push(data.error);
            else if ((data.value as { charged?: unknown }).charged === true) charged++;
            else replayed++;
          }
          return problems.length ? { ok: false, error: `orders.checkout: ${problems[0]}` } : { ok: true };
        },
        signal,
      );
      agent.destroy();
      // Every prepared fan paid only when the loop sent them all; else the check would blame the bench.
      const verification: Verification =
        loop.sent === setup.payers.length
          ? await verify(db, setup)
          : { ok: true, problems: [], note: `${loop.sent} of ${setup.payers.length} fans sent: not checked` };
      open = { ...loop, fans: setup.payers.length, charged, replayed, verification };
      log(
        `checkout open loop: ${loop.sent} fans (${loop.sentRps}/s), ${charged} charged, ${replayed} replayed, ${loop.errors} errors; ` +
          `p50 ${loop.p50} ms, p99 ${loop.p99} ms (both clicks answered, from the scheduled send); ${verification.note}`,
      );
      if (!verification.ok) log(`✗ CHECKOUT INTEGRITY FAILED:\n  ${verification.problems.slice(0, 10).join("\n  ")}`);
    }

    const m = (pick: (r: CheckoutRun) => number, digits = 1) => round(median(runs.map(pick)), digits);
    const tps = pgbenchRuns.flatMap((row) => ("tps" in row ? [row.tps] : []));
    const medianTps = tps.length ? round(median(tps)) : null;
    const medianRun: CheckoutResult["median"] = {
      checkoutsPerSecond: m((r) => r.checkoutsPerSecond),
      requestsPerSecond: m((r) => r.requestsPerSecond),
      p50: m((r) => r.latency.all.p50),
      p99: m((r) => r.latency.all.p99),
      chargedP50: m((r) => r.latency.charged.p50),
      chargedP99: m((r) => r.latency.charged.p99),
      charged: m((r) => r.charged),
      replayed: m((r) => r.replayed),
      unexpectedErrors: runs.reduce((n, r) => n + r.unexpectedErrors, 0),
      webCpuPerRequestMs: m((r) => r.cpuPerRequestMs.web, 3),
    };
    const errorsByAppCode: Record<string, number> = {};
    for (const run of runs)
      for (const [code, n] of Object.entries(run.errorsByAppCode)) errorsByAppCode[code] = (errorsByAppCode[code] ?? 0) + n;
    return {
      showtimes,
      warmup: { fans: warmFans, charged: warm.answers.filter((a) => a.ok && a.charged).length, errors: warmErrors },
      runs,
      median: medianRun,
      errorsByAppCode,
      pgbench: { scale: TPCB_SCALE, clients: TPCB_CLIENTS, runs: pgbenchRuns, medianTps },
      ratios: { checkoutsVsTpcb: medianTps ? round(medianRun.checkoutsPerSecond / medianTps, 4) : null },
      open,
      verified: runs.every((r) => r.verification.ok) && (open?.verification.ok ?? true),
    };
  } finally {
    if (tpcb && !("unavailable" in tpcb)) await tpcb.remove().catch(() => {});
    await db.end();
  }
}

type Payer = {
  fan: Fan;
  accessToken: string;
  holdId: string;
  totalMinor: number;
  /** A second hold costing more than the wallet ever holds, for the 10% who try to pay it too. */
  unaffordableHoldId?: string;
};

type Round = { showtimeId: string; seats: number; payers: Payer[] };

/**
 * A fresh showtime with room for every fan's seats, its waiting room off (join admits at once); `count`
 * fans admitted, each with a hold of 1–2 seats and a wallet topped up by exactly that hold's total. The
 * unaffordable second holds are 2 seats, dearer than any 1-seat first hold, so those fans get 1 seat first.
 * All over HTTP as a browser would, in bursts of 50; none of it is measured.
 */
async function prepareRound(
  stack: Stack,
  db: pg.Client,
  count: number,
  signal: AbortSignal,
  log: (line: string) => void,
  unaffordableShare = UNAFFORDABLE_SHARE,
): Promise<Round> {
  const unaffordable = Math.round(count * unaffordableShare);
  const needed = count * 2 + unaffordable * 2;
  const seatsPerRow = 20;
  const rows = Math.ceil(needed / 2 / seatsPerRow);
  const concert = await makeConcert({ title: "Bench Checkout", artist: "Bench", layout: { rows, seatsPerRow } });
  const showtimeId = concert.showtimes[0]!.id;
  await prisma().showtime.update({ where: { id: showtimeId }, data: { perUserLimit: 8 } });
  await updateSettings(sharedRedis(), showtimeId, { enabled: false, accessSeconds: 3600 });
  const { rows: seatRows } = await db.query<{ id: number }>(`SELECT id FROM "Seat" WHERE "showtimeId" = $1 ORDER BY id`, [showtimeId]);
  const seatIds = seatRows.map((r) => r.id);

  const fans = await createFans(db, count, stack.authSecret);
  const tokens = await inBatches(
    fans,
    (fan) => trpcMutation(stack.baseUrl, "waitingRoom.join", { showtimeId }, fan.cookie),
    readAccessToken,
    signal,
  );

  // Seats dealt out in order, so no two fans' holds overlap and no hold is refused.
  let next = 0;
  const take = (n: number) => {
    const ids = seatIds.slice(next, next + n);
    next += n;
    return ids;
  };
  const plans = fans.map((fan, i) => {
    const poor = i < unaffordable;
    return { fan, accessToken: tokens[i]!, first: take(poor || Math.random() < 0.5 ? 1 : 2), second: poor ? take(2) : undefined };
  });
  const hold = (fan: Fan, accessToken: string, ids: number[]) =>
    trpcMutation(stack.baseUrl, "holds.create", { showtimeId, accessToken, seatIds: ids }, fan.cookie);
  const firstHolds = await inBatches(plans, (p) => hold(p.fan, p.accessToken, p.first), readHoldId, signal);
  const poorPlans = plans.filter((p) => p.second);
  const secondHolds = await inBatches(poorPlans, (p) => hold(p.fan, p.accessToken, p.second!), readHoldId, signal);
  const secondByFan = new Map(poorPlans.map((p, i) => [p.fan.id, secondHolds[i]!]));

  const { rows: totals } = await db.query<{ id: string; total: string }>(
    `SELECT h.id, sum(t."priceMinor" + t."feeMinor") AS total FROM "Hold" h JOIN "Seat" s ON s."holdId" = h.id JOIN "PriceTier" t ON t.id = s."priceTierId"
     WHERE h."showtimeId" = $1 GROUP BY h.id`,
    [showtimeId],
  );
  const totalOf = new Map(totals.map((t) => [t.id, Number(t.total)]));
  const payers: Payer[] = plans.map((p, i) => {
    const holdId = firstHolds[i]!;
    const payer: Payer = { fan: p.fan, accessToken: p.accessToken, holdId, totalMinor: totalOf.get(holdId) ?? Number.NaN };
    const second = secondByFan.get(p.fan.id);
    if (second) {
      if (!((totalOf.get(second) ?? 0) > payer.totalMinor))
        throw new Error(`hold ${second} would be affordable: ${totalOf.get(second)} ≤ ${payer.totalMinor}`);
      payer.unaffordableHoldId = second;
    }
    return payer;
  });
  await inBatches(
    payers,
    (p) =>
      trpcMutation(
        stack.baseUrl,
        "wallet.topUp",
        { currency: "KRW", amountMinor: p.totalMinor, idempotencyKey: `bench-topup-${randomBytes(6).toString("hex")}` },
        p.fan.cookie,
      ),
    (status, body) => trpcData(status, body),
    signal,
  );
  log(
    `Checkout round: showtime ${showtimeId} (${seatIds.length} seats), ${count} fans admitted, holding and topped up; ${unaffordable} with a second hold they cannot afford`,
  );
  return { showtimeId, seats: seatIds.length, payers };
}

/** Setup requests in bursts of 50 (the server is not what is measured here); throws on the first failure. */
async function inBatches<T, V>(
  items: T[],
  request: (item: T) => { url: string; init?: RequestInit },
  read: (status: number, body: string) => Outcome<V>,
  signal: AbortSignal,
): Promise<V[]> {
  const values: V[] = [];
  for (let i = 0; i < items.length; i += 50) {
    const chunk = items.slice(i, i + 50);
    const b = await burst(chunk.length, (j) => request(chunk[j]!), read, signal);
    for (const o of b.outcomes) {
      if (!o.ok) throw new Error(`setup request failed: ${o.error}`);
      values.push(o.value);
    }
  }
  return values;
}

function readAccessToken(status: number, body: string): Outcome<string> {
  const data = trpcData(status, body);
  if (!data.ok) return data;
  const value = data.value as { state?: string; accessToken?: unknown };
  if (value.state === "READY" && typeof value.accessToken === "string") return { ok: true, value: value.accessToken };
  return { ok: false, error: `expected READY with an access token, got ${JSON.stringify(value).slice(0, 300)}` };
}

function readHoldId(status: number, body: string): Outcome<string> {
  const data = trpcData(status, body);
  if (!data.ok) return data;
  const holdId = (data.value as { holdId?: unknown }).holdId;
  return typeof holdId === "string" ? { ok: true, value: holdId } : { ok: false, error: `no holdId in ${body.slice(0, 300)}` };
}

type Answer =
  | { ok: true; kind: "pay" | "unaffordable"; ms: number; charged: boolean }
  | { ok: false; kind: "pay" | "unaffordable"; ms?: number; code: string; error: string };

/** Every fan's double click and the unaffordable attempts, all started at once. */
async function payAll(stack: Stack, setup: Round, signal: AbortSignal): Promise<{ wallMs: number; answers: Answer[] }> {
  const attempts: { payer: Payer; holdId: string; key: string; kind: "pay" | "unaffordable" }[] = [];
  for (const payer of setup.payers) {
    const key = `bench-pay-${randomBytes(8).toString("hex")}`;
    attempts.push({ payer, holdId: payer.holdId, key, kind: "pay" }, { payer, holdId: payer.holdId, key, kind: "pay" });
    if (payer.unaffordableHoldId)
      attempts.push({ payer, holdId: payer.unaffordableHoldId, key: `bench-pay-${randomBytes(8).toString("hex")}`, kind: "unaffordable" });
  }
  const started = performance.now();
  const answers = await Promise.all(
    attempts.map(async (a): Promise<Answer> => {
      const sent = await send(
        trpcMutation(
          stack.baseUrl,
          "orders.checkout",
          { showtimeId: setup.showtimeId, accessToken: a.payer.accessToken, holdId: a.holdId, idempotencyKey: a.key },
          a.payer.fan.cookie,
        ),
        signal,
        60_000,
      );
      if (!sent.ok) return { ok: false, kind: a.kind, code: "NETWORK", error: sent.error };
      const { status, body, ms } = sent.value;
      const data = trpcData(status, body);
      if (!data.ok) return { ok: false, kind: a.kind, ms, code: `${status} ${trpcAppCode(body) ?? "?"}`, error: data.error };
      return { ok: true, kind: a.kind, ms, charged: (data.value as { charged?: unknown }).charged === true };
    }),
  );
  return { wallMs: performance.now() - started, answers };
}

function countByCode(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) if (!a.ok) counts[a.code] = (counts[a.code] ?? 0) + 1;
  return counts;
}

function toRun(
  setup: Round,
  paid: { wallMs: number; answers: Answer[] },
  cpu: ReturnType<typeof cpuBetween> & { postgresMs: number },
  verification: Verification,
): CheckoutRun {
  const a = paid.answers;
  const ms = (list: Answer[]) => list.flatMap((x) => (x.ms === undefined ? [] : [x.ms]));
  const charged = a.filter((x) => x.ok && x.charged);
  const replayed = a.filter((x) => x.ok && !x.charged);
  const refused = a.filter((x) => !x.ok && x.kind === "unaffordable");
  const expected = (x: Answer) => !x.ok && x.kind === "unaffordable" && x.code.endsWith(" INSUFFICIENT_FUNDS");
  const unexpected = a.filter((x) => !x.ok && !expected(x));
  // An unaffordable hold that went through would mean a wallet paid for more than it held.
  const unaffordablePaid = a.filter((x) => x.ok && x.kind === "unaffordable").length;
  const samples = [
    ...new Set(
      unexpected.map((x) => (x.ok ? "" : `${x.kind}: ${x.error.replace(/"requestId":"[^"]*"/g, '"requestId":"…"').slice(0, 400)}`)),
    ),
  ].slice(0, 5);
  const requests = a.length;
  const per = (cpuMs: number) => round(cpuMs / Math.max(1, requests), 3);
  return {
    fans: setup.payers.length,
    requests,
    wallMs: round(paid.wallMs),
    charged: charged.length,
    replayed: replayed.length,
    checkoutsPerSecond: round(charged.length / (paid.wallMs / 1000)),
    requestsPerSecond: round(requests / (paid.wallMs / 1000)),
    latency: {
      all: latencyStats(ms(a)),
      charged: latencyStats(ms(charged)),
      replayed: latencyStats(ms(replayed)),
      refused: latencyStats(ms(refused)),
    },
    errorsByAppCode: countByCode(a),
    unexpectedErrors: unexpected.length + unaffordablePaid,
    unaffordableAttempts: setup.payers.filter((p) => p.unaffordableHoldId).length,
    errorSamples: samples,
    cpuPerRequestMs: { web: per(cpu.webMs), postgres: per(cpu.postgresMs), redis: per(cpu.redisMs), bench: per(cpu.benchMs) },
    verification,
  };
}

/**
 * From the database, for every fan of the round: exactly one order, one PAYMENT ledger entry and one
 * payment (nobody charged twice, nobody who paid left uncharged), a final balance of 0 (topped up by
 * exactly one purchase), and every wallet's balance equal to the sum of its ledger. The first holds are
 * CONVERTED with their seats SOLD; the unaffordable ones are still ACTIVE with their seats HELD.
 */
async function verify(db: pg.Client, setup: Round): Promise<Verification> {
  const userIds = setup.payers.map((p) => p.fan.id);
  const { rows } = await db.query<{
    userId: string;
    orders: string;
    payments: string;
    charges: string;
    balance: string | null;
    ledger_sum: string | null;
    wallets: string;
  }>(
    `SELECT u.id AS "userId",
            (SELECT count(*) FROM "Order" o WHERE o."userId" = u.id) AS orders,
            (SELECT count(*) FROM "Payment" p WHERE p."userId" = u.id) AS payments,
            (SELECT count(*) FROM "LedgerEntry" l WHERE l."userId" = u.id AND l.type = 'PAYMENT') AS charges,
            (SELECT sum(w."balanceMinor") FROM "Wallet" w WHERE w."userId" = u.id) AS balance,
            (SELECT sum(l."amountMinor") FROM "LedgerEntry" l WHERE l."userId" = u.id) AS ledger_sum,
            (SELECT count(*) FROM "Wallet" w WHERE w."userId" = u.id) AS wallets
     FROM "User" u WHERE u.id = ANY($1::text[])`,
    [userIds],
  );
  const problems: string[] = [];
  if (rows.length !== userIds.length) problems.push(`${userIds.length - rows.length} fans missing from the database`);
  for (const r of rows) {
    const n = (s: string | null) => Number(s ?? 0);
    if (n(r.orders) !== 1 || n(r.payments) !== 1 || n(r.charges) !== 1)
      problems.push(`${r.userId}: ${r.orders} orders, ${r.payments} payments, ${r.charges} PAYMENT ledger entries (want 1 each)`);
    if (n(r.wallets) !== 1) problems.push(`${r.userId}: ${r.wallets} wallets`);
    if (n(r.balance) !== n(r.ledger_sum)) problems.push(`${r.userId}: wallet ${r.balance} ≠ ledger sum ${r.ledger_sum}`);
    if (n(r.balance) !== 0) problems.push(`${r.userId}: balance ${r.balance} after paying, want 0`);
  }
  // Every wallet on the database, not only this round's: balance = sum of its ledger.
  const { rows: drift } = await db.query<{ id: string; balance: string; sum: string }>(
    `SELECT w.id, w."balanceMinor" AS balance, coalesce(sum(l."amountMinor"), 0) AS sum FROM "Wallet" w LEFT JOIN "LedgerEntry" l ON l."walletId" = w.id
     GROUP BY w.id HAVING w."balanceMinor" <> coalesce(sum(l."amountMinor"), 0)`,
  );
  for (const d of drift) problems.push(`wallet ${d.id}: balance ${d.balance} ≠ ledger sum ${d.sum}`);
  const firstHolds = setup.payers.map((p) => p.holdId);
  const secondHolds = setup.payers.flatMap((p) => (p.unaffordableHoldId ? [p.unaffordableHoldId] : []));
  const { rows: holds } = await db.query<{ converted: string; active_second: string }>(
    `SELECT (SELECT count(*) FROM "Hold" WHERE id = ANY($1::text[]) AND status = 'CONVERTED') AS converted,
            (SELECT count(*) FROM "Hold" WHERE id = ANY($2::text[]) AND status = 'ACTIVE') AS active_second`,
    [firstHolds, secondHolds],
  );
  const converted = Number(holds[0]?.converted);
  const activeSecond = Number(holds[0]?.active_second);
  if (converted !== firstHolds.length) problems.push(`${converted} of ${firstHolds.length} paid holds CONVERTED`);
  if (activeSecond !== secondHolds.length) problems.push(`${activeSecond} of ${secondHolds.length} unaffordable holds still ACTIVE`);
  const ok = problems.length === 0;
  return {
    ok,
    problems,
    note: ok
      ? `${rows.length} fans: 1 order, 1 payment, 1 charge each, wallets = ledger sums, ${converted} holds converted, ${activeSecond} unaffordable holds untouched ✓`
      : `${problems.length} problems (MISMATCH)`,
  };
}

export function printCheckout(r: CheckoutResult, opts: CheckoutOptions): void {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const m = r.median;
  const run0 = r.runs[0]!;
  console.log(
    `\nCheckout over HTTP: ${run0.fans} fans pay at once, each clicking twice with one key, ${run0.unaffordableAttempts} also paying for a hold they cannot afford ` +
      `(${run0.requests} requests per burst); medians of ${r.runs.length} runs`,
  );
  console.log(`${"".padEnd(40)}${pad("per s", 10)}${pad("p50 ms", 10)}${pad("p99 ms", 10)}`);
  console.log(`${"orders.checkout, every request".padEnd(40)}${pad(m.requestsPerSecond, 10)}${pad(m.p50, 10)}${pad(m.p99, 10)}`);
  console.log(
    `${"  charged (checkouts)".padEnd(40)}${pad(m.checkoutsPerSecond, 10)}${pad(m.chargedP50, 10)}${pad(m.chargedP99, 10)}   (${m.charged} per run)`,
  );
  const lat = (k: "replayed" | "refused") => r.runs.map((x) => x.latency[k]);
  const med = (list: Latency[], k: "p50" | "p99") => round(median(list.map((l) => l[k]).filter(Number.isFinite)));
  console.log(
    `${"  replayed (second click)".padEnd(40)}${"".padEnd(10)}${pad(med(lat("replayed"), "p50"), 10)}${pad(med(lat("replayed"), "p99"), 10)}   (${m.replayed} per run)`,
  );
  console.log(
    `${"  refused unaffordable".padEnd(40)}${"".padEnd(10)}${pad(med(lat("refused"), "p50"), 10)}${pad(med(lat("refused"), "p99"), 10)}`,
  );
  console.log(`errors by HTTP status and appCode, all runs: ${JSON.stringify(r.errorsByAppCode)}`);
  console.log(
    `unexpected (anything but INSUFFICIENT_FUNDS on an unaffordable hold): ${m.unexpectedErrors}${m.unexpectedErrors ? " ✗" : " ✓"}`,
  );
  for (const sample of [...new Set(r.runs.flatMap((x) => x.errorSamples))].slice(0, 5)) console.log(`  error: ${sample}`);
  const cpu = (k: keyof CheckoutRun["cpuPerRequestMs"]) => round(median(r.runs.map((x) => x.cpuPerRequestMs[k])), 2);
  console.log(
    `CPU ms per checkout request: web ${cpu("web")}, postgres ${cpu("postgres")} (all clients), redis ${cpu("redis")} (all clients), load generator ${cpu("bench")}`,
  );
  console.log(
    r.verified
      ? "Database after each run: nobody charged twice, every wallet = its ledger sum, every paid hold converted ✓"
      : `✗✗ DATABASE CHECK FAILED: ${r.runs
          .flatMap((x) => x.verification.problems)
          .slice(0, 10)
          .join("; ")}`,
  );
  const row = r.pgbench.runs.find((x): x is PgbenchRow => "tps" in x);
  const unavailable = r.pgbench.runs.find((x): x is PgbenchUnavailable => "unavailable" in x);
  console.log(
    `\n${(row?.command ?? `pgbench -n -b tpcb-like -c ${r.pgbench.clients} -j ${opts.pgbenchJobs} -T ${opts.pgbenchSeconds}`).padEnd(52)}${pad(r.pgbench.medianTps ?? "n/a", 10)} tps  (-i -s ${r.pgbench.scale})${unavailable ? `  (${unavailable.unavailable})` : ""}`,
  );
  const x = r.ratios.checkoutsVsTpcb;
  console.log(`checkouts/s ÷ pgbench tpcb-like tps: ${x ? `${x} (${round(x * 100, 2)}%)` : "n/a"}`);
  if (r.open) {
    const o = r.open;
    console.log(
      `\nOpen loop at 70% of the peak: ${o.targetRps} checkouts/s asked, ${o.sentRps}/s sent for ${o.seconds} s (${o.sent} fans, each clicking twice); ` +
        `${o.charged} charged, ${o.replayed} replayed, ${o.errors} errors`,
    );
    console.log(
      `checkout latency (both clicks answered) from the scheduled send: p50 ${o.p50} ms, p90 ${o.p90} ms, p99 ${o.p99} ms, max ${o.max} ms ` +
        `(generator lag p99 ${o.lagP99} ms); ${o.verification.note}`,
    );
    for (const sample of o.errorSamples) console.log(`  error: ${sample}`);
  }
}

export function checkoutSummary(r: CheckoutResult): SummaryRow[] {
  const limit = { name: `pgbench tpcb-like -c ${r.pgbench.clients}`, value: r.pgbench.medianTps, unit: "tps" };
  return [
    {
      benchmark: "checkout",
      figure: `checkouts/s, ${r.runs[0]?.fans ?? "?"} fans paying at once (double clicks)`,
      value: r.median.checkoutsPerSecond,
      unit: "/s",
      limit,
      ratio: ratioOf(r.median.checkoutsPerSecond, r.pgbench.medianTps),
      goal: { kind: "ratio-at-least", min: 0.2 },
    },
    {
      benchmark: "checkout",
      figure: r.open ? `checkout p99, open loop at ${r.open.targetRps}/s (70% of peak)` : "checkout p99, open loop (not run)",
      value: r.open?.p99 ?? null,
      unit: "ms",
      goal: { kind: "value-below", max: 100 },
    },
  ];
}
