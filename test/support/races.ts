// Helpers for negative controls (server/domain/protections.ts): line racers up so a race happens every
// time, and take a last-line unique index away for the length of one control.
import pg from "pg";
import { prisma, type DbTx } from "../../server/db.ts";
import type { Pause } from "../../server/domain/protections.ts";

export type Barrier = Pause & { arrived: () => number };

/**
 * A pause hook for `total` racers that lets them through in groups of `size` (all at once by default): a
 * group passes only when every member has arrived, so each has read before any of them writes. Racers
 * that wait holding a pooled connection (inside a transaction) need groups smaller than the pool (10).
 * Arrivals beyond `total` pass at once.
 */
export function barrier(total: number, size = total): Barrier {
  let arrived = 0;
  const groups = new Map<number, { expected: number; count: number; open: () => void; opened: Promise<void> }>();
  const pause = async () => {
    const index = arrived++;
    if (index >= total) return;
    const g = Math.floor(index / size);
    let group = groups.get(g);
    if (!group) {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      group = { expected: Math.min(size, total - g * size), count: 0, open, opened };
      groups.set(g, group);
    }
    if (++group.count === group.expected) group.open();
    await group.opened;
  };
  return Object.assign(pause, { arrived: () => arrived });
}

/**
 * Runs `control` with the unique indexes `names` dropped (the database's last line behind a protection),
 * then `purge`s what the control wrote that the indexes would refuse and puts them back, exactly as they
 * were, in one transaction. The int suite runs files one after another and tests in a file in turn, so
 * nothing else writes meanwhile. The ledger is append-only (a trigger): `purge` may delete from it.
 */
export async function withoutUniqueIndexes<T>(names: string[], control: () => Promise<T>, purge: (tx: DbTx) => Promise<void>): Promise<T> {
  const defs = await prisma().$queryRaw<{ indexname: string; indexdef: string }[]>`
    SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ANY(${names}::text[])`;
  if (defs.length !== names.length)
    throw new Error(`no such index: ${names.filter((n) => !defs.some((d) => d.indexname === n)).join(", ")}`);
  for (const { indexname } of defs) await prisma().$executeRawUnsafe(`DROP INDEX "${indexname}"`);
  try {
    return await control();
  } finally {
    await prisma().$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`ALTER TABLE "LedgerEntry" DISABLE TRIGGER "LedgerEntry_append_only"`);
        await purge(tx);
        await tx.$executeRawUnsafe(`ALTER TABLE "LedgerEntry" ENABLE TRIGGER "LedgerEntry_append_only"`);
        for (const { indexdef } of defs) await tx.$executeRawUnsafe(indexdef);
      },
      { timeout: 60_000 },
    );
  }
}

/**
 * Everything a showtime's sales wrote, gone (for `withoutUniqueIndexes`): tickets, payments, orders,
 * holds, and the wallets and ledgers of `fans`; its seats back on sale.
 */
export async function purgeSales(tx: DbTx, showtimeId: string, fans: string[]): Promise<void> {
  await tx.$executeRaw`DELETE FROM "TicketTransfer" WHERE "ticketId" IN (SELECT t.id FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" WHERE o."showtimeId" = ${showtimeId})`;
  await tx.$executeRaw`DELETE FROM "Ticket" WHERE "orderId" IN (SELECT id FROM "Order" WHERE "showtimeId" = ${showtimeId})`;
  await tx.$executeRaw`DELETE FROM "Payment" WHERE "orderId" IN (SELECT id FROM "Order" WHERE "showtimeId" = ${showtimeId})`;
  await tx.$executeRaw`DELETE FROM "LedgerEntry" WHERE "userId" = ANY(${fans}::text[]) OR "orderId" IN (SELECT id FROM "Order" WHERE "showtimeId" = ${showtimeId})`;
  await tx.$executeRaw`DELETE FROM "Wallet" WHERE "userId" = ANY(${fans}::text[])`;
  await tx.$executeRaw`DELETE FROM "Order" WHERE "showtimeId" = ${showtimeId}`;
  await tx.$executeRaw`UPDATE "Seat" SET status = 'AVAILABLE', "holdId" = NULL, "heldUntil" = NULL WHERE "showtimeId" = ${showtimeId}`;
  await tx.$executeRaw`DELETE FROM "Hold" WHERE "showtimeId" = ${showtimeId}`;
}

/** A unique index refused the write (through a Prisma model call or a raw statement). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; meta?: { code?: string; driverAdapterError?: { cause?: { kind?: string } } } };
  return e?.code === "P2002" || e?.meta?.code === "23505" || e?.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation";
}

/**
 * Holds the row locks `lock` takes, in a transaction of its own, until `release` (which waits for the
 * commit): a test lines racers up behind it, checks with `waiterOn` that they queued, then lets go.
 */
export async function holdLocks(lock: (tx: DbTx) => Promise<unknown>): Promise<{ pid: number; release: () => Promise<void> }> {
  let locked!: (pid: number) => void;
  const ready = new Promise<number>((resolve) => (locked = resolve));
  let letGo!: () => void;
  const released = new Promise<void>((resolve) => (letGo = resolve));
  const holding = prisma().$transaction(
    async (tx) => {
      const [{ pid }] = await tx.$queryRaw<[{ pid: number }]>`SELECT pg_backend_pid() AS pid`;
      await lock(tx);
      locked(pid);
      await released;
    },
    { timeout: 60_000 },
  );
  const ended = holding.then(() => {
    throw new Error("holdLocks: the transaction ended before it locked");
  });
  ended.catch(() => {}); // read only by the race below
  const pid = await Promise.race([ready, ended]);
  return {
    pid,
    release: async () => {
      letGo();
      await holding;
    },
  };
}

/**
 * The pid of a backend, other than `pids`, that waits for a lock one of `pids` holds or is queued for;
 * fails after `timeoutMs` (a racer that never queued: the code under test did not take the lock).
 */
export async function waiterOn(pids: number[], timeoutMs = 10_000): Promise<number> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; ) {
    const rows = await prisma().$queryRaw<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE pg_blocking_pids(pid) && ${pids}::int[] AND NOT pid = ANY(${pids}::int[])`;
    if (rows.length > 0) return rows[0]!.pid;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`waiterOn: nothing queued behind ${pids.join(", ")} within ${timeoutMs} ms`);
}

/**
 * Locks the seats `seatIds` on a connection of its own, outside the shared pool, so racers that reach
 * for them queue inside their one statement (after what they read first, such as the fan's count) while
 * the pool stays free for them. `queued(n)` waits until n backends of this database wait for a lock
 * (behind these seats, or behind a racer that waits for them); `release` lets go.
 */
export async function lockSeatsApart(
  seatIds: number[],
): Promise<{ queued: (n: number, timeoutMs?: number) => Promise<void>; release: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("lockSeatsApart: DATABASE_URL is not set");
  const holder = new pg.Client({ connectionString: url });
  const watcher = new pg.Client({ connectionString: url });
  await Promise.all([holder.connect(), watcher.connect()]);
  await holder.query("BEGIN");
  await holder.query(`SELECT id FROM "Seat" WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`, [seatIds]);
  return {
    async queued(n, timeoutMs = 10_000) {
      for (const until = Date.now() + timeoutMs; ; ) {
        const {
          rows: [row],
        } = await watcher.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0",
        );
        if (row!.n >= n) return;
        if (Date.now() > until) throw new Error(`lockSeatsApart: ${row!.n} of ${n} racers queued within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async release() {
      await holder.query("COMMIT");
      await Promise.all([holder.end(), watcher.end()]);
    },
  };
}
