// `npm run chaos -- [options]`: the simulator's on-sale options (with chaos defaults) plus the faults'.
import { parseArgs } from "node:util";
import { z } from "zod";
import { SIM_FIELDS, ZArrival } from "../sim/options.ts";

export const FAULT_KINDS = ["worker-kill", "worker-stop", "redis-restart", "pg-terminate", "web-kill"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const ZChaosOptions = z
  .object({
    fans: SIM_FIELDS.fans.default(1000),
    seats: SIM_FIELDS.seats.default(300),
    // Fans keep arriving for a while and admission is slow, so seats are still being sold while faults fire.
    arrival: z.string().default("ramp:40").pipe(ZArrival),
    abandon: SIM_FIELDS.abandon.default(0.15),
    "double-click": SIM_FIELDS["double-click"],
    prepaid: SIM_FIELDS.prepaid,
    "open-after": SIM_FIELDS["open-after"],
    "hold-seconds": SIM_FIELDS["hold-seconds"],
    /** How long an admitted fan keeps access (the simulator's is 300 s). */
    "access-seconds": z.coerce.number().int().min(30).max(3600).default(60),
    batch: SIM_FIELDS.batch.default(3),
    "tick-ms": SIM_FIELDS["tick-ms"],
    "idle-seconds": SIM_FIELDS["idle-seconds"],
    /** How long the fans run (from the first arrival); faults stop 15 s before the end. */
    seconds: z.coerce.number().min(30).max(3600).default(120),
    web: z.coerce.number().int().min(1).max(4).default(2),
    workers: z.coerce.number().int().min(1).max(8).default(2),
    port: SIM_FIELDS.port.default(3400),
    seed: SIM_FIELDS.seed,
    /** Redis with appendonly on: a restart replays the AOF instead of coming back empty. */
    aof: z.boolean().default(false),
    faults: z
      .string()
      .default(FAULT_KINDS.join(","))
      .transform((s) => [
        ...new Set(
          s
            .split(",")
            .map((x) => x.trim())
            .filter(Boolean),
        ),
      ])
      .pipe(z.array(z.enum(FAULT_KINDS)).min(1)),
    /** Mean seconds between one fault's end and the next one's start (exponential gaps, at least 2 s). */
    "fault-gap": z.coerce.number().min(1).max(600).default(8),
    /** The workers' job lock (WORKER_LOCK_MS): short, so a frozen worker loses its jobs within the run. */
    "lock-ms": z.coerce.number().int().min(500).max(60_000).default(3000),
    /** Seconds between the end of the run and the audit (default: one sweep interval and 5 s). */
    settle: z.coerce.number().min(0).max(600).optional(),
    /** Exit 1 also on a 500 answer or a system that did not recover, not only on a violated invariant. */
    strict: z.boolean().default(false),
    out: SIM_FIELDS.out,
    "log-level": SIM_FIELDS["log-level"],
    quiet: SIM_FIELDS.quiet,
  })
  .strict();
export type ChaosOptions = z.output<typeof ZChaosOptions>;

export const CHAOS_USAGE = `usage: npm run chaos -- [--seconds 120] [--seed N] [--fans 1000] [--seats 300] [--web 2] [--workers 2]
  [--aof] [--faults ${FAULT_KINDS.join(",")}] [--fault-gap 8] [--lock-ms 3000] [--settle S] [--strict]
  [--arrival ramp:40] [--batch 3] [--tick-ms 1000] [--idle-seconds 60] [--abandon 0.15] [--double-click 0.1] [--prepaid 0.5]
  [--open-after 3] [--hold-seconds 30] [--access-seconds 60] [--port 3400] [--out bench/results] [--log-level warn] [--quiet]`;

export function parseChaosOptions(argv: string[]): ChaosOptions {
  const str = { type: "string" } as const;
  const flag = { type: "boolean" } as const;
  const names = Object.keys(ZChaosOptions.shape) as (keyof typeof ZChaosOptions.shape)[];
  const booleans = new Set(["aof", "strict", "quiet"]);
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: Object.fromEntries(names.map((n) => [n, booleans.has(n) ? flag : str])),
  });
  return ZChaosOptions.parse(values);
}
