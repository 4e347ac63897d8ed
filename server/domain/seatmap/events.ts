// Live seat map: seat status changes published per showtime on Redis pub/sub, so every web process can
// push them to every open seat map. Publishers call this after their transaction commits.
import { publish, subscribe } from "../../pubsub.ts";
import { key } from "../../redis.ts";
import { log } from "../../log.ts";
import { SEAT_STATUS_CODE } from "./seat-map.ts";
import type { SeatStatus } from "../../generated/prisma/enums.ts";

/** [seat id, status code (0 available, 1 held, 2 sold)], as in the seat map's tuples. */
export type SeatChange = [number, 0 | 1 | 2];

export type SeatChangeEvent =
  /** Sent on every (re)connect once the server listens: re-read the map now and nothing later is missed. */
  | { kind: "ready" }
  | { kind: "seats"; seats: SeatChange[] };

const channel = (showtimeId: string) => key("seats", `{${showtimeId}}`, "changes");

/**
 * Announces that `seatIds` of the showtime are now `status`. Best effort: the database already holds the
 * truth, and a map that misses a message is corrected on its next reconnect or refresh, so a Redis outage
 * must not fail the request that changed the seats.
 */
export async function publishSeatChanges(showtimeId: string, seatIds: readonly number[], status: SeatStatus): Promise<void> {
  if (seatIds.length === 0) return;
  const code = SEAT_STATUS_CODE[status];
  try {
    await publish(channel(showtimeId), seatIds.map((id): SeatChange => [id, code]));
  } catch (err) {
    log.warn({ err: (err as Error).message, showtimeId, seats: seatIds.length }, "seat change not published");
  }
}

/** Calls `listener` with each batch of changes of the showtime until the returned function is called. */
export async function onSeatChanges(showtimeId: string, listener: (seats: SeatChange[]) => void): Promise<() => Promise<void>> {
  return subscribe(channel(showtimeId), (message) => {
    if (Array.isArray(message)) listener(message as SeatChange[]);
  });
}
