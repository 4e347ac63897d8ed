// The invariants an on-sale must keep, read back from PostgreSQL: one query per check, each cheap enough
// to run after a 5,000-fan simulation. Used by `npm run audit`, the simulator's report and its tests.
import { z } from "zod";
import { prisma, type DbTx } from "../../db.ts";
import { ZId } from "../ids.ts";

/**
 * How often the worker sweeps expired holds (worker/index.ts, SWEEP_EVERY_MS). The worker module starts
 * the worker when imported, so the figure is repeated here; invariants.test.ts keeps the two equal.
 */
export const WORKER_SWEEP_INTERVAL_MS = 30_000;

/** How many offending rows a check quotes; `violations` still counts them all. */
const EXAMPLES = 5;

export type InvariantCheck = { name: string; description: string; ok: boolean; violations: number; examples: unknown[] };
export type AuditResult = { ok: boolean; showtimeId: string | null; at: Date; checks: InvariantCheck[] };

export const ZAuditOptions = z.object({
  showtimeId: ZId.optional(),
  sweepIntervalMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600_000)
    .optional(),
  now: z.date().optional(),
});
export type TAuditOptions = z.input<typeof ZAuditOptions>;

/*
 * Every query takes $1 = showtime id or NULL (all showtimes), $2 = now, $3 = sweep interval in ms, and
 * returns rows (kind, detail): one row per violation, `kind` saying which rule it breaks.
 */
const CHECKS: { name: string; description: string; sql: string }[] = [
  {
    name: "no seat sold twice",
    description: "at most one VALID ticket per seat; a SOLD seat has exactly one VALID ticket; a VALID ticket's seat is SOLD",
    sql: `
      SELECT CASE WHEN count(t.id) > 1 THEN 'several valid tickets'
                  WHEN s.status = 'SOLD' THEN 'sold seat without a valid ticket'
                  ELSE 'valid ticket on a seat that is not sold' END AS kind,
             jsonb_build_object('seatId', s.id, 'status', s.status, 'validTickets', count(t.id), 'ticketIds', jsonb_agg(t.id) FILTER (WHERE t.id IS NOT NULL)) AS detail
      FROM "Seat" s
      LEFT JOIN "Ticket" t ON t."seatId" = s.id AND t.status = 'VALID'
      WHERE ($1::text IS NULL OR s."showtimeId" = $1)
      GROUP BY s.id
      HAVING count(t.id) > 1 OR (s.status = 'SOLD') <> (count(t.id) = 1)`,
  },
  {
    name: "no seat both sold and held",
    description: "no SOLD seat still claimed by an ACTIVE hold; no HELD seat with a VALID ticket",
    sql: `
      SELECT 'sold seat claimed by an active hold' AS kind,
             jsonb_build_object('seatId', s.id, 'holdId', h.id, 'heldUntil', h."heldUntil") AS detail
      FROM "Seat" s JOIN "Hold" h ON h.id = s."holdId"
      WHERE s.status = 'SOLD' AND h.status = 'ACTIVE' AND ($1::text IS NULL OR s."showtimeId" = $1)
      UNION ALL
      SELECT 'held seat with a valid ticket',
             jsonb_build_object('seatId', s.id, 'holdId', s."holdId", 'ticketId', t.id)
      FROM "Seat" s JOIN "Ticket" t ON t."seatId" = s.id AND t.status = 'VALID'
      WHERE s.status = 'HELD' AND ($1::text IS NULL OR s."showtimeId" = $1)`,
  },
  {
    name: "no seat held twice",
    description: "no seat in two live holds; every seat of a live hold is HELD by it",
    sql: `
      SELECT 'seat in several live holds' AS kind,
             jsonb_build_object('seatId', x.seat, 'holds', count(*), 'holdIds', jsonb_agg(x.id)) AS detail
      FROM (SELECT h.id, unnest(h."seatIds") AS seat FROM "Hold" h
            WHERE h.status = 'ACTIVE' AND h."heldUntil" > $2::timestamp(3) AND ($1::text IS NULL OR h."showtimeId" = $1)) x
      GROUP BY x.seat HAVING count(*) > 1
      UNION ALL
      SELECT 'live hold lost its seat',
             jsonb_build_object('holdId', h.id, 'seatId', x.seat, 'seatStatus', s.status, 'seatHoldId', s."holdId")
      FROM "Hold" h CROSS JOIN LATERAL unnest(h."seatIds") AS x(seat) LEFT JOIN "Seat" s ON s.id = x.seat
      WHERE h.status = 'ACTIVE' AND h."heldUntil" > $2::timestamp(3) AND ($1::text IS NULL OR h."showtimeId" = $1)
        AND (s.id IS NULL OR s.status <> 'HELD' OR s."holdId" IS DISTINCT FROM h.id)`,
  },
  {
    // Held seats plus tickets bought and still owned, only for fans who hold seats now: a hold is the only
    // way past the limit (the box office of the seed, and tickets received by transfer, are not holds).
    name: "per-user limit kept",
    description: "no fan with live holds in a showtime has more seats there (held, plus bought and still owned) than its per-user limit",
    sql: `
      SELECT 'more seats than the per-user limit' AS kind,
             jsonb_build_object('userId', h."userId", 'showtimeId', h."showtimeId", 'held', h.held, 'bought', b.bought,
               'limit', st."perUserLimit", 'holdIds', h."holdIds") AS detail
      FROM (SELECT "userId", "showtimeId", sum("seatCount")::int AS held, jsonb_agg(id) AS "holdIds" FROM "Hold"
            WHERE status = 'ACTIVE' AND "heldUntil" > $2::timestamp(3) AND ($1::text IS NULL OR "showtimeId" = $1)
            GROUP BY "userId", "showtimeId") h
      JOIN "Showtime" st ON st.id = h."showtimeId"
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS bought FROM "Order" o JOIN "Ticket" t ON t."orderId" = o.id
        WHERE o."userId" = h."userId" AND o."showtimeId" = h."showtimeId" AND t.status = 'VALID' AND t."ownerId" = o."userId"
      ) b
      WHERE h.held + b.bought > st."perUserLimit"`,
  },
  {
    name: "no stale active hold",
    description: "no ACTIVE hold past its heldUntil for longer than one sweep interval",
    sql: `
      SELECT 'active hold past its time' AS kind,
             jsonb_build_object('holdId', h.id, 'heldUntil', h."heldUntil",
               'overdueMs', round(extract(epoch FROM ($2::timestamp(3) - h."heldUntil")) * 1000)) AS detail
      FROM "Hold" h
      WHERE h.status = 'ACTIVE' AND h."heldUntil" < $2::timestamp(3) - $3::int * interval '1 millisecond'
        AND ($1::text IS NULL OR h."showtimeId" = $1)`,
  },
  {
    name: "wallet equals its ledger",
    description: "every wallet's balance equals the sum of its ledger entries",
    sql: `
      SELECT 'balance differs from the ledger' AS kind,
             jsonb_build_object('walletId', w.id, 'userId', w."userId", 'balanceMinor', w."balanceMinor",
               'ledgerSumMinor', COALESCE(sum(l."amountMinor"), 0)) AS detail
      FROM "Wallet" w
      LEFT JOIN "LedgerEntry" l ON l."walletId" = w.id
      WHERE ($1::text IS NULL OR w."userId" IN (SELECT "userId" FROM "Hold" WHERE "showtimeId" = $1))
      GROUP BY w.id
      HAVING w."balanceMinor" <> COALESCE(sum(l."amountMinor"), 0)`,
  },
  {
    name: "no negative balance",
    description: "no wallet below zero, no ledger entry leaving one there, and no ledger summing below zero",
    sql: `
      SELECT 'negative balance' AS kind, jsonb_build_object('walletId', w.id, 'balanceMinor', w."balanceMinor") AS detail
      FROM "Wallet" w
      WHERE w."balanceMinor" < 0 AND ($1::text IS NULL OR w."userId" IN (SELECT "userId" FROM "Hold" WHERE "showtimeId" = $1))
      UNION ALL
      SELECT 'ledger entry leaves a negative balance', jsonb_build_object('ledgerEntryId', l.id, 'balanceAfterMinor', l."balanceAfterMinor")
      FROM "LedgerEntry" l
      WHERE l."balanceAfterMinor" < 0 AND ($1::text IS NULL OR l."userId" IN (SELECT "userId" FROM "Hold" WHERE "showtimeId" = $1))
      UNION ALL
      -- A balance spent twice from one stale read: each entry looks fine, their sum does not.
      SELECT 'ledger sums below zero', jsonb_build_object('walletId', l."walletId", 'ledgerSumMinor', sum(l."amountMinor"))
      FROM "LedgerEntry" l
      WHERE ($1::text IS NULL OR l."userId" IN (SELECT "userId" FROM "Hold" WHERE "showtimeId" = $1))
      GROUP BY l."walletId" HAVING sum(l."amountMinor") < 0`,
  },
  {
    name: "one credit per idempotency key",
    description: "at most one ledger entry per (user, idempotency key): a retried top-up credits once",
    sql: `
      SELECT 'several ledger entries for one key' AS kind,
             jsonb_build_object('userId', l."userId", 'idempotencyKey', l."idempotencyKey", 'entries', count(*),
               'creditedMinor', sum(l."amountMinor"), 'ledgerEntryIds', jsonb_agg(l.id)) AS detail
      FROM "LedgerEntry" l
      WHERE l."idempotencyKey" IS NOT NULL
        AND ($1::text IS NULL OR l."userId" IN (SELECT "userId" FROM "Hold" WHERE "showtimeId" = $1))
      GROUP BY l."userId", l."idempotencyKey" HAVING count(*) > 1`,
  },
  {
    name: "one payment per paid order",
    description: "every order has exactly one payment of its total; no payment without an order",
    sql: `
      SELECT CASE WHEN count(p.id) = 0 THEN 'order without a payment'
                  WHEN count(p.id) > 1 THEN 'order with several payments'
                  ELSE 'payment differs from the order total' END AS kind,
             jsonb_build_object('orderId', o.id, 'totalMinor', o."totalMinor", 'payments', count(p.id),
               'paidMinor', COALESCE(sum(p."amountMinor"), 0)) AS detail
      FROM "Order" o
      LEFT JOIN "Payment" p ON p."orderId" = o.id
      WHERE ($1::text IS NULL OR o."showtimeId" = $1)
      GROUP BY o.id
      HAVING count(p.id) <> 1 OR sum(p."amountMinor") <> o."totalMinor"
      UNION ALL
      SELECT 'payment without an order', jsonb_build_object('paymentId', p.id, 'orderId', p."orderId")
      FROM "Payment" p LEFT JOIN "Order" o ON o.id = p."orderId"
      WHERE o.id IS NULL AND $1::text IS NULL`,
  },
  {
    name: "nobody charged twice",
    description:
      "at most one order and one PAYMENT ledger entry per hold, one order per (user, idempotency key), no PAYMENT without an order",
    sql: `
      SELECT 'several payments for one hold' AS kind,
             jsonb_build_object('holdId', o."holdId", 'payments', count(l.id), 'ledgerEntryIds', jsonb_agg(l.id)) AS detail
      FROM "Order" o JOIN "LedgerEntry" l ON l."orderId" = o.id AND l.type = 'PAYMENT'
      WHERE ($1::text IS NULL OR o."showtimeId" = $1)
      GROUP BY o."holdId" HAVING count(l.id) > 1
      UNION ALL
      SELECT 'several orders for one hold', jsonb_build_object('holdId', o."holdId", 'orders', count(*), 'orderIds', jsonb_agg(o.id))
      FROM "Order" o WHERE ($1::text IS NULL OR o."showtimeId" = $1)
      GROUP BY o."holdId" HAVING count(*) > 1
      UNION ALL
      SELECT 'several orders for one idempotency key',
             jsonb_build_object('userId', o."userId", 'idempotencyKey', o."idempotencyKey", 'orderIds', jsonb_agg(o.id))
      FROM "Order" o WHERE ($1::text IS NULL OR o."showtimeId" = $1)
      GROUP BY o."userId", o."idempotencyKey" HAVING count(*) > 1
      UNION ALL
      SELECT 'payment ledger entry without an order', jsonb_build_object('ledgerEntryId', l.id, 'userId', l."userId", 'amountMinor', l."amountMinor")
      FROM "LedgerEntry" l
      WHERE l.type = 'PAYMENT' AND l."orderId" IS NULL
        AND ($1::text IS NULL OR l."userId" IN (SELECT "userId" FROM "Hold" WHERE "showtimeId" = $1))`,
  },
  {
    name: "refunded at most once",
    description: "a REFUNDED order has exactly one REFUND ledger entry, of its total; no other order or entry has one",
    sql: `
      SELECT CASE WHEN count(l.id) > 1 THEN 'several refunds for one order'
                  WHEN o.status <> 'REFUNDED' THEN 'refund for an order not refunded'
                  WHEN count(l.id) = 0 THEN 'refunded order without its refund'
                  ELSE 'refund differs from the order total' END AS kind,
             jsonb_build_object('orderId', o.id, 'status', o.status, 'refunds', count(l.id),
               'refundedMinor', COALESCE(sum(l."amountMinor"), 0), 'totalMinor', o."totalMinor") AS detail
      FROM "Order" o
      LEFT JOIN "LedgerEntry" l ON l."orderId" = o.id AND l.type = 'REFUND'
      WHERE ($1::text IS NULL OR o."showtimeId" = $1)
      GROUP BY o.id
      HAVING count(l.id) > 1 OR (o.status = 'REFUNDED') <> (count(l.id) = 1) OR sum(l."amountMinor") <> o."totalMinor"
      UNION ALL
      SELECT 'refund ledger entry without an order', jsonb_build_object('ledgerEntryId', l.id, 'userId', l."userId", 'amountMinor', l."amountMinor")
      FROM "LedgerEntry" l
      WHERE l.type = 'REFUND' AND l."orderId" IS NULL
        AND ($1::text IS NULL OR l."userId" IN (SELECT "userId" FROM "Hold" WHERE "showtimeId" = $1))`,
  },
  {
    name: "ticket owner is buyer or transferee",
    description: "a VALID ticket belongs to the recipient of its latest accepted transfer, or else to the order's buyer",
    sql: `
      SELECT 'ticket owned by someone else' AS kind,
             jsonb_build_object('ticketId', t.id, 'ownerId', t."ownerId", 'buyerId', o."userId", 'transferRecipientId', tr."toUserId") AS detail
      FROM "Ticket" t
      JOIN "Order" o ON o.id = t."orderId"
      LEFT JOIN LATERAL (
        SELECT x."toUserId" FROM "TicketTransfer" x
        WHERE x."ticketId" = t.id AND x.status = 'ACCEPTED'
        ORDER BY x."respondedAt" DESC NULLS LAST, x."createdAt" DESC LIMIT 1
      ) tr ON true
      WHERE t.status = 'VALID' AND ($1::text IS NULL OR o."showtimeId" = $1)
        AND t."ownerId" IS DISTINCT FROM COALESCE(tr."toUserId", o."userId")`,
  },
];

/** The names of the checks, in the order `auditInvariants` reports them. */
export const INVARIANT_NAMES = CHECKS.map((c) => c.name);

/**
 * Runs every check (one query each) and reports the violations of each. Read-only; with `showtimeId`,
 * limited to that showtime's seats, holds, orders and tickets, and to the wallets of fans who held there.
 */
export async function auditInvariants(db: DbTx = prisma(), opts: TAuditOptions = {}): Promise<AuditResult> {
  const { showtimeId, sweepIntervalMs = WORKER_SWEEP_INTERVAL_MS, now = new Date() } = ZAuditOptions.parse(opts);
  const checks: InvariantCheck[] = [];
  for (const check of CHECKS) {
    const rows = await db.$queryRawUnsafe<{ kind: string; detail: unknown; total: bigint }[]>(
      // The params row declares all three parameters even where a check's own query uses fewer.
      `SELECT v.kind, v.detail, count(*) OVER () AS total
       FROM (${check.sql}) v, (SELECT $1::text, $2::timestamp(3), $3::int) params
       LIMIT ${EXAMPLES}`,
      showtimeId ?? null,
      now,
      sweepIntervalMs,
    );
    const violations = Number(rows[0]?.total ?? 0);
    checks.push({
      name: check.name,
      description: check.description,
      ok: violations === 0,
      violations,
      examples: rows.map((r) => ({ kind: r.kind, ...(r.detail as object) })),
    });
  }
  return { ok: checks.every((c) => c.ok), showtimeId: showtimeId ?? null, at: now, checks };
}

/** A plain-text table of an audit, for terminals and logs. */
export function formatAudit(result: Pick<AuditResult, "checks">): string {
  const width = Math.max(...result.checks.map((c) => c.name.length));
  const lines = result.checks.map((c) => {
    const head = `${c.ok ? "ok  " : "FAIL"}  ${c.name.padEnd(width)}  ${String(c.violations).padStart(6)}`;
    const examples = c.examples.map((e) => `        e.g. ${JSON.stringify(e)}`);
    return [head, ...examples].join("\n");
  });
  return [`      ${"check".padEnd(width)}  violations`, ...lines].join("\n");
}
