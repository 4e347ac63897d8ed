// One-shot checks that a PostgreSQL or Redis answers (and if not, why), shared by the service modules.
import { Redis } from "ioredis";
import pg from "pg";

export type ConnectResult = { ok: true } | { ok: false; code?: string; message: string };

export async function tryConnect(url: string): Promise<ConnectResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return { ok: true };
  } catch (err) {
    return { ok: false, code: (err as { code?: string }).code, message: messageOf(err) };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Returns why the Redis at `url` cannot be used, or undefined when it answers PING. */
export async function pingRedis(url: string): Promise<string | undefined> {
  let firstError: unknown;
  const client = newRedis(url, (err) => (firstError ??= err));
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (err) {
    return messageOf(firstError ?? err); // the socket error says more than "Connection is closed."
  } finally {
    client.disconnect();
  }
}

/** A client that fails at once instead of retrying or queueing; call `connect()` yourself. */
export function newRedis(url: string, onError: (err: unknown) => void = () => {}): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on("error", onError); // failures also surface through the awaited calls
  return client;
}

export function messageOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return messageOf(err.errors[0]);
  const e = err as { code?: string; message?: string };
  return e.message || e.code || String(err);
}

/** The URL without its password, for logs and messages. */
export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
