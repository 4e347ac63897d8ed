// The gate in front of seat selection, holds and checkout: a valid access token for this showtime and
// user, whose user is still active in Redis (so access can be revoked).
import { redis as sharedRedis, type RedisClient } from "../../redis.ts";
import { AppError } from "../errors.ts";
import { wrKeys } from "./keys.ts";
import { verifyWaitingRoomToken } from "./tokens.ts";

export async function assertAdmitted(
  input: { accessToken: string | undefined; userId: string; showtimeId: string },
  { redis = sharedRedis(), now = Date.now() }: { redis?: RedisClient; now?: number } = {},
): Promise<{ accessExpiresAt: Date }> {
  const refuse = (reason: string): never => {
    throw new AppError("NOT_ADMITTED", "Join the waiting room for this showtime first; your access has not been granted or has ended.", {
      reason,
    });
  };
  if (!input.accessToken) return refuse("missing-token");
  const token = await verifyWaitingRoomToken(input.accessToken);
  if (!token.ok) return refuse(token.reason);
  if (token.type !== "access") return refuse("wrong-token-type");
  if (token.userId !== input.userId) return refuse("other-user");
  if (token.showtimeId !== input.showtimeId) return refuse("other-showtime");
  const expiry = await redis.zscore(wrKeys(input.showtimeId).active, input.userId);
  if (expiry === null || Number(expiry) <= now) return refuse("not-active");
  return { accessExpiresAt: new Date(Number(expiry)) };
}
