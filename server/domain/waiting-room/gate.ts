// The gate in front of seat selection, holds and checkout: a valid access token for this showtime and
// user, whose user is still active in Redis (so access can be revoked). Each pass marks the fan as active
// now, which keeps an idle release (admission.ts) away from them.
import { redis as sharedRedis, type RedisClient } from "../../redis.ts";
import { AppError } from "../errors.ts";
import { wrKeys } from "./keys.ts";
import { runGate } from "./scripts.ts";
import { verifyWaitingRoomToken } from "./tokens.ts";

export type Admitted = {
  accessExpiresAt: Date;
  /** An admitted fan with no hold who does nothing gated this long gives up the slot; 0 = never. */
  idleMs: number;
};

export async function assertAdmitted(
  input: { accessToken: string | undefined; userId: string; showtimeId: string },
  { redis = sharedRedis() }: { redis?: RedisClient } = {},
): Promise<Admitted> {
  const refuse = (reason: string, details: Record<string, unknown> = {}): never => {
    throw new AppError("NOT_ADMITTED", "Join the waiting room for this showtime first; your access has not been granted or has ended.", {
      reason,
      ...details,
    });
  };
  if (!input.accessToken) return refuse("missing-token");
  const token = await verifyWaitingRoomToken(input.accessToken);
  if (!token.ok) return refuse(token.reason);
  if (token.type !== "access") return refuse("wrong-token-type");
  if (token.userId !== input.userId) return refuse("other-user");
  if (token.showtimeId !== input.showtimeId) return refuse("other-showtime");
  const reply = await runGate(redis, wrKeys(input.showtimeId), input.userId);
  if (reply[0] === "ACTIVE") return { accessExpiresAt: new Date(Number(reply[1])), idleMs: Number(reply[2]) };
  if (reply[0] === "RELEASED") {
    throw new AppError(
      "NOT_ADMITTED",
      reply[1] === "0"
        ? "You were away for a while, so your turn went to the next fan. Join the waiting room again to get back in."
        : "You were away for a while, so your turn went to the next fan. You can take it back once, at the front of the line.",
      { reason: "idle", reclaimable: reply[1] !== "0" },
    );
  }
  return refuse("not-active");
}
