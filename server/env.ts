// Validated configuration. Every variable is documented in .env.example.
import { createHash } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { limitsFrom } from "./domain/rate-limit/limits.ts";

const DEV_AUTH_SECRET = "onsale-development-secret-do-not-use-in-production";

const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection string")
    .default("postgresql://postgres@127.0.0.1:5432/onsale"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// connection string")
    .default("redis://127.0.0.1:6379"),
  /**
   * The switch to Redis Cluster: its primaries as `host:port,host:port,...` (any subset; the client finds
   * the rest). Set, every Redis client of the app and worker is an ioredis Cluster and REDIS_URL is unused.
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const nodes = v
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean)
        .map(parseNode);
      if (nodes.length === 0 || nodes.some((n) => n === undefined)) {
        ctx.addIssue({ code: "custom", message: "must be host:port pairs separated by commas, e.g. 127.0.0.1:7001,127.0.0.1:7002" });
        return z.NEVER;
      }
      return nodes as ClusterNode[];
    }),
  /**
   * Every Redis key and BullMQ queue of this installation starts with it. Unset, it is named after the
   * database (defaultRedisPrefix), so installations that share a Redis never meet.
   */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '-' and '_' only")
    .optional(),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").default(DEV_AUTH_SECRET),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** How often the worker reports liveness; /api/health calls it dead after three missed beats. */
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /**
   * How long a worker's lock on a running job lasts before another worker may take the job over (BullMQ
   * lockDuration; renewed at half of it while the job runs). Stalled jobs are looked for this often too.
   */
  WORKER_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  /**
   * Where uploaded posters are kept (server/domain/posters), each named by its content's SHA-256. A relative
   * path is taken from the directory the app starts in; every web process must see the same directory.
   */
  POSTER_DIR: z
    .string()
    .default(".data/posters")
    .transform((dir) => path.resolve(dir)),
  /**
   * Which card processor takes payments (server/domain/payments): `stripe` (needs STRIPE_SECRET_KEY and
   * STRIPE_WEBHOOK_SECRET), or `sandbox`, the processor inside Onsale whose test cards pay nothing.
   * Unset: stripe when STRIPE_SECRET_KEY is set, else the sandbox, except in production, which must
   * choose (so a deployment that lost its Stripe keys never takes fake cards).
   */
  PAYMENT_PROVIDER: z.enum(["sandbox", "stripe"]).optional(),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_/, "must be a Stripe secret key (sk_… or rk_…)")
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_/, "must be a Stripe webhook signing secret (whsec_…)")
    .optional(),
  /** Another address for Stripe's API: only a test's local fake sets it, e.g. http://127.0.0.1:12111. */
  STRIPE_API_URL: z.url().optional(),
  /** Overrides of the per-minute rate limits (JSON, see server/domain/rate-limit), or `off`. */
  RATE_LIMITS: z
    .string()
    .optional()
    .refine((v) => {
      try {
        limitsFrom(v);
        return true;
      } catch {
        return false;
      }
    }, 'must be "off" or JSON like {"holds":{"perUser":10,"perIp":200}}'),
});

export type Env = Omit<z.infer<typeof ZEnv>, "REDIS_PREFIX"> & { REDIS_PREFIX: string };

const LOOPBACK = new Set(["", "localhost", "127.0.0.1", "::1"]);

/**
 * The REDIS_PREFIX of an installation that sets none: its database's name and a hash of where that
 * database is (host, port, name), e.g. `onsale-526cd114`. A second checkout, a staging copy or a test
 * run with a database of its own is thereby apart from the others on the same Redis, with nothing to
 * configure; every process given the same DATABASE_URL (as `npm start` gives its web app and worker)
 * agrees on it. Processes that reach one database under different names must set REDIS_PREFIX.
 */
export function defaultRedisPrefix(databaseUrl: string): string {
  let where = databaseUrl;
  let database = "onsale";
  try {
    const url = new URL(databaseUrl);
    // A Unix socket is named by the `host` parameter; loopback names are one server.
    const host = (url.searchParams.get("host") || url.hostname).toLowerCase().replace(/^\[|\]$/g, "");
    const port = url.port || url.searchParams.get("port") || "5432";
    database = decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username) || "postgres";
    where = `${LOOPBACK.has(host) ? "localhost" : host}:${port}/${database}`;
  } catch {
    // Not a URL after all: the whole string stands for the database.
  }
  const hash = createHash("sha256").update(where).digest("hex").slice(0, 8);
  return `${database.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 40)}-${hash}`;
}

export type ClusterNode = { host: string; port: number };

function parseNode(entry: string): ClusterNode | undefined {
  const match = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})$/.exec(entry);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65_535) return undefined;
  return { host: match[1]!.replace(/^\[|\]$/g, ""), port };
}

/** Parses an environment; throws one message listing every bad or missing variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const blanksRemoved = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = ZEnv.safeParse(blanksRemoved);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}\nSee .env.example for every variable.`);
  }
  const env: Env = { ...result.data, REDIS_PREFIX: result.data.REDIS_PREFIX ?? defaultRedisPrefix(result.data.DATABASE_URL) };
  const stripe = env.PAYMENT_PROVIDER === "stripe" || (!env.PAYMENT_PROVIDER && env.STRIPE_SECRET_KEY);
  if (stripe && (!env.STRIPE_SECRET_KEY || !env.STRIPE_WEBHOOK_SECRET)) {
    throw new Error(
      "Invalid environment:\n  PAYMENT_PROVIDER: stripe (chosen, or implied by STRIPE_SECRET_KEY) needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.",
    );
  }
  // `next build` runs with NODE_ENV=production but serves nobody; the running server must not.
  const building = source.NEXT_PHASE === "phase-production-build";
  if (env.NODE_ENV === "production" && !building) {
    const problems = productionSecretProblems(env, source);
    if (problems.length) throw new Error(`Invalid environment:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
  return env;
}

/** Secrets whose value anyone can read in this repository: refused by a production process. */
const PUBLIC_SECRETS = new Set([DEV_AUTH_SECRET]);

/**
 * Why this environment's secrets must not serve real users. AUTH_SECRET signs every session cookie, bearer
 * token and waiting-room access token (the waiting-room key is derived from it), so it is the one secret
 * with a development default; database and Redis passwords have none (their URLs name them).
 */
function productionSecretProblems(env: Env, source: Record<string, string | undefined>): string[] {
  const secret = env.AUTH_SECRET;
  const problems: string[] = [];
  if (env.STRIPE_API_URL) problems.push("STRIPE_API_URL: only a test's fake of Stripe sets it; production talks to Stripe itself.");
  if (!source.AUTH_SECRET && source.NEXTAUTH_SECRET) {
    problems.push("AUTH_SECRET: must be set in production; NEXTAUTH_SECRET is not read, rename it to AUTH_SECRET.");
  } else if (PUBLIC_SECRETS.has(secret)) {
    problems.push(
      "AUTH_SECRET: must be set in production (the development default is public). Generate one with `openssl rand -base64 32`.",
    );
  } else if (new Set(secret).size < 10) {
    // "xxxxxxxx…" or "aaaa1111…" passes the length rule but is guessed at once.
    problems.push(
      "AUTH_SECRET: looks like a placeholder (fewer than 10 different characters). Generate one with `openssl rand -base64 32`.",
    );
  }
  return problems;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
