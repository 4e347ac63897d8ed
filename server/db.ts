// The shared Prisma client. Queries go through the pg driver adapter (no Rust engine at run time).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { env } from "./env.ts";

export type Db = PrismaClient;
/** A client or an interactive transaction: domain functions take either, so callers can compose them. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function createDb(
  connectionString: string,
  { transactionTimeoutMs = 10_000 }: { transactionTimeoutMs?: number } = {},
): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: 10 }),
    // In a surge many transactions wait for one of the pool's connections: waiting a little beats failing
    // at Prisma's 2 s default (a release or refund must not fail where a hold of the same moment succeeds).
    // A transaction that runs out of time is rolled back, and the request answers UNAVAILABLE (503) with
    // nothing changed (errors.ts, unavailableError).
    transactionOptions: { maxWait: 10_000, timeout: transactionTimeoutMs },
  });
}

// One client per process, kept across Next.js dev reloads, made on first use (as `redis()` is): importing
// a module that queries reads no configuration and opens nothing until a query runs.
const globalForDb = globalThis as unknown as { onsaleDb?: PrismaClient };

export function prisma(): PrismaClient {
  return (globalForDb.onsaleDb ??= createDb(env().DATABASE_URL));
}

export async function disconnectDb(): Promise<void> {
  await globalForDb.onsaleDb?.$disconnect();
}
