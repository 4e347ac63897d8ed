// One virtual fan's on-sale, through the same tRPC calls the pages make: join the waiting room, poll as
// advised, pick seats (popular sections first, 1–4 together), retry when beaten to them, maybe walk
// away, top up when short, pay (sometimes with a double click), or leave when the show sells out.
import { randomUUID } from "node:crypto";
import { decodeStatuses } from "../../../server/domain/seatmap/tuples.ts";
import type { SeatLayout } from "../../../server/domain/seatmap/layout.ts";
import { sleep, type CallResult, type FanClient } from "./client.ts";
import type { FanState, Metrics } from "./metrics.ts";
import { popularityOf } from "./plan.ts";

/**
 * The map as a fan sees it: the layout, and each seat's status (`codes`, in the layout's seat order; the
 * first seat of each row at `rowStart` of the same section and row).
 */
type SeatMap = { layout: SeatLayout; codes: Uint8Array; counts: { available: number; held: number; sold: number }; rowStart: number[][] };
type Status =
  | { state: "READY"; accessToken: string }
  | { state: "WAITING"; position: number; pollIntervalMs: number; soldOut: boolean }
  | { state: "PREQUEUED"; pollIntervalMs: number; soldOut: boolean }
  | { state: "NONE" };
type Hold = { holdId: string; seatIds: number[]; heldUntil: string };
type Paid = { orderId: string; totalMinor: number; charged: boolean };

export type FanPlan = {
  index: number;
  arriveAtMs: number;
  quantity: number;
  abandons: boolean;
  doubleClicks: boolean;
  prepaid: boolean;
  random: () => number;
};

/** What the report needs from each fan afterwards (fairness check, outcomes). */
export type FanRecord = {
  userId: string;
  state: FanState;
  /** Arrival sequence from the queue token (the waiting room's INCR), and whether it was a pre-queue place. */
  seq?: number;
  prequeued?: boolean;
  /** ms since the run started. */
  joinedAt?: number;
  admittedAt?: number;
  /** When the fan asked to leave the line (ms since the run started), for the skip check. */
  leaveRequestedAt?: number;
  seatsBought: number;
  /** Seats of the hold the fan got, and the idempotency key it paid with (for reading the outcome back). */
  holdSeats?: number;
  payKey?: string;
  /** Every order id a checkout answered with (more than one is a double charge). */
  orderIds?: string[];
  /** How the fan's payment ended as far as it knows: an outage answer leaves it unknown. */
  payOutcome?: "paid" | "refused" | "unknown";
  /** Times a resilient fan went back in line. */
  rejoins?: number;
};

export type FanEnv = {
  showtimeId: string;
  client: FanClient;
  metrics: Metrics;
  signal: AbortSignal;
  /** ms since the run started. */
  now: () => number;
  totalSeats: number;
  /** Seat layouts parsed so far, by ETag, shared by every fan of the run (see FanClient.layout). */
  layouts: Map<string, SeatLayout>;
  /**
   * Retry through outages as a patient client would (npm run chaos): a 5xx or no answer is waited out and
   * retried (a payment with the same idempotency key), and a fan whose place or access was lost goes back
   * in line. Off (the simulator): one retry policy, as before.
   */
  resilient?: boolean;
};

const MAX_HOLD_ATTEMPTS = 4;

/**
 * "Sold out for now" (every seat sold or held) is what the waiting room's page says while held seats may
 * still come back; a fan keeps their place for 30–90 s of it before leaving.
 */
const SOLD_OUT_PATIENCE_MS = [30_000, 90_000] as const;

/**
 * Maps decoded so far, the latest per layout: fans reading the same statuses share one (an arena's 15,600
 * seats decoded for each of 20,000 fans would load the load generator, not the server).
 */
const decoded = new WeakMap<SeatLayout, { version: number; map: SeatMap }>();
const rowStarts = new WeakMap<SeatLayout, number[][]>();

/** The seat map as the page reads it: the layout (a 304 once the fan has it) and every seat's status. */
async function readSeatMap(client: FanClient, showtimeId: string, layouts: Map<string, SeatLayout>): Promise<CallResult<SeatMap>> {
  const [read, status] = await Promise.all([client.layout(showtimeId, layouts), client.seatStatus(showtimeId)]);
  if (!read.ok) return read;
  if (!status.ok) return status;
  const layout = read.data;
  const known = decoded.get(layout);
  if (known?.version === status.data.version) return { ok: true, data: known.map };
  let rowStart = rowStarts.get(layout);
  if (!rowStart) {
    let i = 0;
    rowStart = layout.sections.map((section) =>
      section.rows.map((row) => {
        const start = i;
        i += row.seats.length;
        return start;
      }),
    );
    rowStarts.set(layout, rowStart);
  }
  const codes = decodeStatuses(status.data.seats);
  const counts = { available: 0, held: 0, sold: 0 };
  for (const code of codes) counts[code === 0 ? "available" : code === 1 ? "held" : "sold"]++;
  const map: SeatMap = { layout, codes, counts, rowStart };
  decoded.set(layout, { version: status.data.version, map });
  return { ok: true, data: map };
}

/** The queue token is a JWT: its payload carries the arrival sequence (no need to verify it here). */
function seqOfToken(token: string | undefined): number | undefined {
  const payload = token?.split(".")[1];
  if (!payload) return undefined;
  try {
    const seq = (JSON.parse(Buffer.from(payload, "base64url").toString()) as { seq?: unknown }).seq;
    return typeof seq === "number" ? seq : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs of `n` free seats side by side in a row of section `si` (overlapping windows, front rows first): how
 * many there are, or, given `k`, the seat ids of the k-th. Counted, not listed: an arena has tens of
 * thousands of windows, and every fan looks.
 */
function freeBlocks(map: SeatMap, si: number, n: number, exclude: Set<number>, k?: number): number | number[] {
  let count = 0;
  const section = map.layout.sections[si]!;
  for (const [ri, row] of section.rows.entries()) {
    const start = map.rowStart[si]![ri]!;
    let run = 0;
    for (let i = 0; i < row.seats.length; i++) {
      const id = row.seats[i]![0];
      run = map.codes[start + i] === 0 && !exclude.has(id) ? run + 1 : 0;
      if (run < n) continue;
      if (count === k) return row.seats.slice(i - n + 1, i + 1).map((t) => t[0]);
      count++;
    }
  }
  return count;
}

/**
 * Popular sections first (weighted draw), then near the front: fans crowd the same best blocks, which is
 * what makes seats contended. Falls back to fewer seats when no block of `n` is left.
 */
function chooseSeats(map: SeatMap, wanted: number, exclude: Set<number>, random: () => number): number[] | undefined {
  for (let n = wanted; n >= 1; n--) {
    const sections = map.layout.sections
      .map((section, si) => ({ name: section.name, si, blocks: freeBlocks(map, si, n, exclude) as number }))
      .filter((x) => x.blocks > 0);
    if (sections.length === 0) continue;
    const total = sections.reduce((s, x) => s + popularityOf(x.name), 0);
    let draw = random() * total;
    const pick = sections.find((x) => (draw -= popularityOf(x.name)) <= 0) ?? sections.at(-1)!;
    // Front blocks first: a draw skewed towards the start of the list.
    return freeBlocks(map, pick.si, n, exclude, Math.floor(pick.blocks * random() ** 3)) as number[];
  }
  return undefined;
}

/** A 5xx or no answer at all: the request may or may not have taken effect. */
const isOutage = (r: { ok: boolean; code?: string; status?: number }) => !r.ok && (r.code === "NETWORK" || (r.status ?? 0) >= 500);

/** How far a resilient fan goes through outages: times back in line, and outage retries in all. */
const REJOINS = 3;
const OUTAGE_RETRIES = 20;

export async function runFan(plan: FanPlan, userId: string, env: FanEnv): Promise<FanRecord> {
  const { client, metrics, signal, showtimeId } = env;
  const resilient = env.resilient ?? false;
  const record: FanRecord = { userId, state: "scheduled", seatsBought: 0 };
  const to = (state: FanState) => {
    metrics.move(record.state, state);
    record.state = state;
  };
  let outageBudget = OUTAGE_RETRIES;
  /** A resilient fan waits out an outage answer (1–3 s) and says whether to try again. */
  const waitOutOutage = async (r: { ok: boolean; code?: string; status?: number }) => {
    if (!resilient || !isOutage(r) || outageBudget <= 0 || signal.aborted) return false;
    outageBudget--;
    await sleep(1_000 + plan.random() * 2_000, signal);
    return !signal.aborted;
  };
  metrics.move(undefined, "scheduled");
  await sleep(plan.arriveAtMs - env.now(), signal);
  if (signal.aborted) return (to("stopped"), record);
  metrics.arrived++;

  let hold: Hold | undefined;
  const idempotencyKey = `pay-${randomUUID()}`;
  // One pass for the simulator's fans; a resilient fan whose place or access was lost (Redis restarted
  // empty: the waiting room starts over) goes back in line, up to REJOINS times.
  for (let round = 0; ; round++) {
    const canRejoin = resilient && round < REJOINS;
    if (round > 0) {
      record.rejoins = round;
      await sleep(1_000 + plan.random() * 2_000, signal);
      if (signal.aborted) return (to("stopped"), record);
    }
    // 1. Join the line (or walk straight in when admitted at once).
    // Joining again keeps the same place (DESIGN.md), so a fan whose join timed out or hit a 5xx tries again
    // (twice; a resilient fan as long as outages last, within its budget).
    let joined = await client.mutation<Status & { queueToken?: string }>("join", "waitingRoom.join", { showtimeId });
    for (
      let retry = 0;
      (retry < 2 || (resilient && outageBudget-- > 0)) && !joined.ok && (joined.code === "NETWORK" || joined.status >= 500);
      retry++
    ) {
      await sleep(2_000 + plan.random() * 3_000, signal);
      joined = await client.mutation<Status & { queueToken?: string }>("join", "waitingRoom.join", { showtimeId });
    }
    if (!joined.ok) return (to(joined.code === "STOPPED" ? "stopped" : "gaveUp"), record);
    record.joinedAt = env.now();
    record.seq = seqOfToken(joined.data.queueToken);
    record.prequeued = joined.data.state === "PREQUEUED";
    to("waiting");
    let status: Status = joined.data;

    // 2. Poll as the API advises until admitted; leave when the show stays sold out past the fan's patience.
    let lostPlace = false;
    const patience = SOLD_OUT_PATIENCE_MS[0] + plan.random() * (SOLD_OUT_PATIENCE_MS[1] - SOLD_OUT_PATIENCE_MS[0]);
    let soldOutSince: number | null = null;
    while (status.state !== "READY") {
      if (signal.aborted) return (to("stopped"), record);
      if (status.state === "NONE") {
        if (canRejoin) {
          lostPlace = true;
          break;
        }
        return (to("gaveUp"), record);
      }
      soldOutSince = status.soldOut ? (soldOutSince ?? env.now()) : null;
      if (soldOutSince !== null && env.now() - soldOutSince >= patience) {
        record.leaveRequestedAt = env.now();
        await client.mutation("leave", "waitingRoom.leave", { showtimeId });
        return (to("soldOut"), record);
      }
      await sleep(status.pollIntervalMs, signal);
      if (signal.aborted) return (to("stopped"), record);
      const polled = await client.query<Status>("status", "waitingRoom.status", { showtimeId });
      if (!polled.ok) {
        if (polled.code === "STOPPED") return (to("stopped"), record);
        continue; // a failed poll: ask again at the same pace
      }
      status = polled.data;
    }
    if (lostPlace) continue;
    const accessToken = (status as Extract<Status, { state: "READY" }>).accessToken;
    record.admittedAt = env.now();
    metrics.admissions++;
    to("admitted");

    // 3. Seat map, seats, hold; beaten to seats → other seats; last resort: best available.
    // (A resilient fan that was sent back in line with a hold still pays for that hold.)
    let lostAccess = false;
    const lost = new Set<number>();
    for (let attempt = 1; attempt <= MAX_HOLD_ATTEMPTS && !hold; attempt++) {
      if (signal.aborted) return (to("stopped"), record);
      const map = await readSeatMap(client, showtimeId, env.layouts);
      if (!map.ok) {
        if (await waitOutOutage(map)) attempt--;
        continue;
      }
      const { available, held } = map.data.counts;
      if (available === 0 && held === 0) return (to("soldOut"), record);
      if (attempt === MAX_HOLD_ATTEMPTS || available === 0) {
        // Either nothing free on the map right now, or the fan has lost too many races: let the server pick.
        const best = await client.mutation<Hold>("bestAvailable", "holds.bestAvailable", {
          showtimeId,
          accessToken,
          quantity: plan.quantity,
        });
        if (best.ok) hold = best.data;
        else if (canRejoin && best.code === "NOT_ADMITTED") {
          lostAccess = true;
          break;
        } else if (await waitOutOutage(best)) attempt--;
        else if (available === 0) {
          await sleep(2_000 + plan.random() * 3_000, signal); // held seats may come back when holds lapse
        }
        continue;
      }
      const seatIds = chooseSeats(map.data, plan.quantity, lost, plan.random);
      if (!seatIds) continue;
      const taken = await client.mutation<Hold>("hold", "holds.create", { showtimeId, accessToken, seatIds });
      if (taken.ok) hold = taken.data;
      else if (taken.code === "SEATS_UNAVAILABLE") for (const id of seatIds) lost.add(id);
      else if (canRejoin && taken.code === "NOT_ADMITTED") {
        lostAccess = true;
        break;
      } else if (taken.code === "LIMIT_EXCEEDED" || taken.code === "NOT_ADMITTED" || taken.code === "STOPPED") break;
      else if (await waitOutOutage(taken)) attempt--;
    }
    if (lostAccess) continue;
    if (!hold) return (to(signal.aborted ? "stopped" : "gaveUp"), record);
    to("holding");
    record.holdSeats = hold.seatIds.length;

    // 4. Some walk away from their hold (it lapses after holdSeconds).
    if (plan.abandons) return (to("abandoned"), record);

    // 5. Pay; top up when short (before, for the prepared ones; on INSUFFICIENT_FUNDS for the rest).
    if (round === 0 || !record.payKey) {
      const map = await readSeatMap(client, showtimeId, env.layouts);
      if (plan.prepaid && map.ok) {
        const price = estimateTotal(map.data, hold.seatIds);
        await client.mutation("topUp", "wallet.topUp", { currency: "KRW", amountMinor: price, idempotencyKey: `top-${randomUUID()}` });
      }
    }
    record.payKey = idempotencyKey;
    const input = { showtimeId, accessToken, holdId: hold.holdId, idempotencyKey };
    let refusedAccess = false;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (signal.aborted) return (to("stopped"), record);
      const calls = plan.doubleClicks ? 2 : 1;
      const answers = await Promise.all(Array.from({ length: calls }, () => client.mutation<Paid>("checkout", "orders.checkout", input)));
      const paid = answers.filter((a): a is { ok: true; data: Paid } => a.ok);
      for (const p of paid) if (!(record.orderIds ??= []).includes(p.data.orderId)) record.orderIds.push(p.data.orderId);
      if ((record.orderIds?.length ?? 0) > 1 || (paid.length > 1 && new Set(paid.map((p) => p.data.orderId)).size > 1)) {
        metrics.clientViolations.push(
          `double click by ${userId} answered with orders ${(record.orderIds ?? paid.map((p) => p.data.orderId)).join(", ")}`,
        );
      }
      if (paid.length > 0) {
        record.seatsBought = hold.seatIds.length;
        record.payOutcome = "paid";
        metrics.seatsSold += hold.seatIds.length;
        if (metrics.soldOutAt === null && metrics.seatsSold >= env.totalSeats) metrics.soldOutAt = env.now();
        return (to("paid"), record);
      }
      const failed = answers[0]!;
      if (failed.ok) break;
      if (answers.some((a) => !a.ok && a.code === "STOPPED")) {
        metrics.unconfirmedSeats += hold.seatIds.length;
        record.payOutcome = "unknown";
        return (to("stopped"), record);
      }
      // An outage answer may hide a payment that went through: unknown until a later answer settles it.
      const outage = answers.find((a) => isOutage(a));
      record.payOutcome = outage ? "unknown" : "refused";
      if (outage && (await waitOutOutage(outage))) {
        attempt--;
        continue;
      }
      if (failed.code === "INSUFFICIENT_FUNDS") {
        const short = (failed.details as { shortMinor?: number } | undefined)?.shortMinor ?? 500_000;
        await client.mutation("topUp", "wallet.topUp", {
          currency: "KRW",
          amountMinor: Math.min(short, 2_000_000),
          idempotencyKey: `top-${randomUUID()}`,
        });
        continue;
      }
      if (canRejoin && failed.code === "NOT_ADMITTED") refusedAccess = true;
      break; // HOLD_EXPIRED, NOT_ADMITTED, ...: counted by code; this fan is done
    }
    if (refusedAccess) continue; // back in line, then pay the same hold with the same key
    return (to(signal.aborted ? "stopped" : "gaveUp"), record);
  }
}

function estimateTotal(map: SeatMap, seatIds: number[]): number {
  const wanted = new Set(seatIds);
  let total = 0;
  for (const section of map.layout.sections)
    for (const row of section.rows)
      for (const seat of row.seats) {
        if (!wanted.has(seat[0])) continue;
        const tier = map.layout.tiers[seat[4]];
        total += (tier?.priceMinor ?? 0) + (tier?.feeMinor ?? 0);
      }
  return Math.max(1, Math.min(total, 2_000_000));
}
