// The simulator's command line, validated: `npm run simulate -- --fans 5000 --seats 1000 --arrival ramp:30 ...`.
import { parseArgs } from "node:util";
import { z } from "zod";

/** How fans arrive: all at once, a linear ramp, evenly spread, or a Poisson process over S seconds. */
export const ZArrival = z
  .string()
  .regex(/^(burst|ramp:\d+(\.\d+)?|uniform:\d+(\.\d+)?|poisson:\d+(\.\d+)?)$/, "burst, ramp:S, uniform:S or poisson:S (S seconds)")
  .transform((s) => {
    const [shape, secs] = s.split(":") as ["burst" | "ramp" | "uniform" | "poisson", string | undefined];
    return { shape, seconds: secs === undefined ? 0 : Number(secs), spec: s };
  });
export type Arrival = z.output<typeof ZArrival>;

/** The simulator's options; `npm run chaos` takes the on-sale ones too (bench/lib/chaos/options.ts). */
export const SIM_FIELDS = {
  fans: z.coerce.number().int().min(1).max(100_000).default(300),
  seats: z.coerce.number().int().min(10).max(40_000).default(100),
  arrival: z.string().default("ramp:10").pipe(ZArrival),
  /** Share of fans who walk away from their hold instead of paying. */
  abandon: z.coerce.number().min(0).max(1).default(0.1),
  /** Share of paying fans who double-click pay (the same idempotency key twice at once). */
  "double-click": z.coerce.number().min(0).max(1).default(0.1),
  /** Share of fans who top up enough before paying; the rest learn from INSUFFICIENT_FUNDS. */
  prepaid: z.coerce.number().min(0).max(1).default(0.5),
  /** Seconds from the start of the fans' arrival until sales open (fans before that pre-queue). */
  "open-after": z.coerce.number().min(0).max(600).default(3),
  "max-seconds": z.coerce.number().min(5).max(3600).default(120),
  "hold-seconds": z.coerce.number().int().min(10).max(3600).default(30),
  /** Waiting-room admission: fans per tick and the tick interval. */
  batch: z.coerce.number().int().min(1).max(10_000).optional(),
  "tick-ms": z.coerce.number().int().min(200).max(60_000).default(1000),
  /** An admitted fan with no hold who does nothing gated this long gives the slot back (0: never). */
  "idle-seconds": z.coerce.number().int().min(0).max(3600).default(60),
  web: z.coerce.number().int().min(1).max(16).default(1),
  workers: z.coerce.number().int().min(1).max(16).default(1),
  port: z.coerce.number().int().min(1024).max(65_000).default(3300),
  "base-url": z.url().optional(),
  seed: z.coerce
    .number()
    .int()
    .default(() => Date.now() % 1_000_000),
  out: z.string().default("bench/results"),
  "log-level": z.string().default("warn"),
  quiet: z.boolean().default(false),
};
const ZOptions = z.object(SIM_FIELDS).strict();
export type SimOptions = z.output<typeof ZOptions>;

export const USAGE = `usage: npm run simulate -- [--fans N] [--seats N] [--arrival burst|ramp:S|uniform:S|poisson:S]
  [--abandon 0.1] [--double-click 0.1] [--prepaid 0.5] [--open-after S] [--max-seconds S] [--hold-seconds S]
  [--batch N] [--tick-ms MS] [--idle-seconds S] [--web N] [--workers M] [--port P] [--base-url URL] [--seed N] [--out DIR] [--quiet]`;

export function parseOptions(argv: string[]): SimOptions {
  const str = { type: "string" } as const;
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      fans: str,
      seats: str,
      arrival: str,
      abandon: str,
      "double-click": str,
      prepaid: str,
      "open-after": str,
      "max-seconds": str,
      "hold-seconds": str,
      batch: str,
      "tick-ms": str,
      "idle-seconds": str,
      web: str,
      workers: str,
      port: str,
      "base-url": str,
      seed: str,
      out: str,
      "log-level": str,
      quiet: { type: "boolean" },
    },
  });
  return ZOptions.parse(values);
}
