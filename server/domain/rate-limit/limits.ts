// The rate-limit classes and their per-minute limits; pure, so the environment check can use it.
import { z } from "zod";

export const RATE_CLASSES = [
  "default",
  "search",
  "seatmap",
  "holds",
  "waitingRoomStatus",
  "partner",
  "signIn",
  "presaleCode",
  "cards",
] as const;
export type RateClass = (typeof RATE_CLASSES)[number];

/** Calls per minute. Per IP allows many users behind one address (offices, carrier NAT) before it bites. */
export const DEFAULT_LIMITS: Record<RateClass, { perUser: number; perIp: number }> = {
  default: { perUser: 300, perIp: 3000 },
  search: { perUser: 100, perIp: 1000 },
  seatmap: { perUser: 50, perIp: 500 },
  holds: { perUser: 10, perIp: 200 },
  waitingRoomStatus: { perUser: 30, perIp: 3000 },
  /** perUser: per partner API key. */
  partner: { perUser: 600, perIp: 6000 },
  /**
   * Failed password attempts (browser sign-in and API tokens): perUser per account (the email tried),
   * perIp per address. A successful attempt does not count (server/domain/auth/sign-in.ts).
   */
  signIn: { perUser: 10, perIp: 100 },
  /** Presale code attempts: enough for typos, too few to guess a code. */
  presaleCode: { perUser: 10, perIp: 100 },
  /** Saving a card: more than a fan adding their cards needs, far too few to test stolen cards against the processor. */
  cards: { perUser: 15, perIp: 150 },
};

export const WINDOW_MS = 60_000;

const ZLimitsOverride = z.union([
  z.literal("off"),
  z.partialRecord(z.enum(RATE_CLASSES), z.object({ perUser: z.number().int().positive(), perIp: z.number().int().positive() }).partial()),
]);

export type RateLimits = Record<RateClass, { perUser: number; perIp: number }> | "off";

/**
 * The limits in force: the defaults, overridden by RATE_LIMITS (JSON such as
 * `{"holds":{"perUser":5}}`, or `off` for load tests on one address).
 */
export function limitsFrom(raw: string | undefined): RateLimits {
  if (!raw) return DEFAULT_LIMITS;
  const parsed = ZLimitsOverride.parse(raw === "off" ? raw : JSON.parse(raw));
  if (parsed === "off") return "off";
  return Object.fromEntries(RATE_CLASSES.map((c) => [c, { ...DEFAULT_LIMITS[c], ...parsed[c] }])) as RateLimits;
}
