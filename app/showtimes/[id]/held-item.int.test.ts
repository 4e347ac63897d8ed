// The hold the page writes into its cached list is the hold the server would list: same seats, names,
// prices and facts, so nothing changes when the list is next read from the server.
import { describe, expect, it } from "vitest";
import { listMyHolds } from "@/server/domain/holds/my-holds";
import { holdSeats } from "@/server/domain/holds/holds";
import { getSeatMap } from "@/server/domain/seatmap/seat-map";
import { makeConcert, makeUser } from "@/test/support/factories";
import { heldItem } from "./held-item";
import { buildSeatModel } from "./seat-map-model";

describe("the new hold the seat map writes into its list", () => {
  it("equals what listing the fan's holds answers for it", async () => {
    const concert = await makeConcert();
    const showtimeId = concert.showtimes[0]!.id;
    const fan = await makeUser();
    const map = await getSeatMap(showtimeId);
    // Seats of both sections and tiers, asked for out of order.
    const back = map.sections[1]!.rows[1]!.seats[2]![0];
    const front = map.sections[0]!.rows[0]!.seats[1]![0];
    const hold = await holdSeats({ showtimeId, seatIds: [back, front] }, { userId: fan.id, client: "web", ip: "192.0.2.1" });

    const written = heldItem(hold, map, buildSeatModel(map));
    const { items } = await listMyHolds({ showtimeId, status: "ACTIVE" }, fan.id);
    expect(items).toHaveLength(1);
    const { createdAt, ...listed } = items[0]!;
    expect(createdAt).toBeInstanceOf(Date);
    expect({ ...written, createdAt: undefined }).toEqual({ ...listed, createdAt: undefined });
    expect(written.seats.map((s) => s.id)).toEqual([front, back]);
  });
});
