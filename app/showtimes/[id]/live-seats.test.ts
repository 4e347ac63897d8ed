import { describe, expect, it } from "vitest";
import { LiveSeats } from "./live-seats";
import { smallMap } from "./seat-map.fixture";

const statusOf = (live: LiveSeats, id: number) => live.model!.status[live.model!.index.get(id)!];

/** The fixture's statuses as of seat version 10. */
function loaded() {
  const live = new LiveSeats();
  live.setData(smallMap(), 10);
  return live;
}

const seats = (version: number, changes: [number, 0 | 1 | 2][]) => ({ kind: "seats" as const, from: version, to: version, seats: changes });

describe("LiveSeats", () => {
  it("applies live changes in place, telling listeners which seats changed", () => {
    const live = loaded();
    const model = live.model;
    const heard: unknown[] = [];
    live.onChange((c) => heard.push(c));
    expect(
      live.receive({
        kind: "seats",
        from: 11,
        to: 12,
        seats: [
          [1, 1],
          [2, 2],
        ],
      }),
    ).toEqual({ resync: false, dropped: [] });
    expect(live.model).toBe(model);
    expect([statusOf(live, 1), statusOf(live, 2)]).toEqual([1, 2]);
    expect(live.model!.counts.available).toBe(8);
    expect(live.seatVersion).toBe(12);
    expect(heard).toEqual([{ kind: "seats", changed: [0, 1] }]);
  });

  it("is whole at or past the version the stream listens from: a ready then reads nothing again", () => {
    const live = loaded();
    expect(live.receive({ kind: "ready", version: 10 })).toEqual({ resync: false, dropped: [] });
    expect(live.receive({ kind: "ready", version: 9 })).toEqual({ resync: false, dropped: [] });
    expect(live.readyCount).toBe(2);
  });

  it("reads the first snapshot beside the stream, and again when it is behind the version the stream listens from", () => {
    const behind = new LiveSeats();
    expect(behind.receive({ kind: "ready", version: 12 })).toEqual({ resync: false, dropped: [] });
    expect(behind.setData(smallMap(), 10).resync).toBe(true);
    const whole = new LiveSeats();
    whole.receive({ kind: "ready", version: 10 });
    expect(whole.setData(smallMap(), 10).resync).toBe(false);
  });

  it("keeps changes that arrive after a ready and replays those newer than the new snapshot", () => {
    const live = loaded();
    // Change 11 may have come before the stream listened: the map reads again.
    expect(live.receive({ kind: "ready", version: 11 })).toEqual({ resync: true, dropped: [] });
    // The re-read's snapshot was taken before these changes; replaying them puts the map right.
    live.receive(seats(11, [[3, 1]]));
    live.receive(
      seats(12, [
        [3, 0],
        [4, 2],
      ]),
    );
    expect(live.setData(smallMap(), 10).resync).toBe(false);
    expect([statusOf(live, 3), statusOf(live, 4)]).toEqual([0, 2]);
    expect(live.model!.counts).toEqual({ available: 9, held: 1, sold: 2, total: 12 });
    expect(live.seatVersion).toBe(12);
  });

  it("does not replay a kept change the snapshot already has over a later one", () => {
    const live = loaded();
    live.receive({ kind: "ready", version: 11 });
    live.receive(seats(11, [[3, 1]]));
    // The snapshot is at 12: seat 3 was held (11) and let go again (12) before it was read.
    expect(live.setData(smallMap(), 12).resync).toBe(false);
    expect(statusOf(live, 3)).toBe(0);
    expect(live.seatVersion).toBe(12);
  });

  it("ignores a change it already has, and reads again after a change that skips a version", () => {
    const live = loaded();
    expect(live.receive(seats(9, [[1, 2]]))).toEqual({ resync: false, dropped: [] });
    expect(statusOf(live, 1)).toBe(0);
    // 11 never came: 12 is shown at once, and the page reads again.
    expect(live.receive(seats(12, [[2, 1]]))).toEqual({ resync: true, dropped: [] });
    expect(statusOf(live, 2)).toBe(1);
    live.receive(seats(13, [[4, 2]]));
    // The re-read (at 12) gets 13 replayed on it.
    expect(live.setData(smallMap(), 12).resync).toBe(false);
    expect(statusOf(live, 4)).toBe(2);
    expect(live.seatVersion).toBe(13);
  });

  it("asks to read again when the kept changes do not continue from the snapshot", () => {
    const live = loaded();
    live.receive({ kind: "ready", version: 11 });
    live.receive(seats(15, [[3, 1]]));
    expect(live.setData(smallMap(), 12).resync).toBe(true);
  });

  it("never replays changes from before a reconnect over the snapshot read after it", () => {
    const live = loaded();
    live.receive(seats(11, [[1, 1]]));
    // Disconnected: seat 1 was released meanwhile (12), and that message was lost. Then "ready", and a re-read.
    expect(live.receive({ kind: "ready", version: 12 }).resync).toBe(true);
    live.setData(smallMap(), 12);
    expect(statusOf(live, 1)).toBe(0);
  });

  it("keeps changes that arrive before the first snapshot", () => {
    const live = new LiveSeats();
    live.receive(seats(11, [[6, 1]]));
    live.setData(smallMap(), 10);
    expect(statusOf(live, 6)).toBe(1);
  });

  it("drops selected seats that someone else takes, and says which", () => {
    const live = loaded();
    live.toggle(1, 4);
    live.toggle(2, 4);
    const taken: unknown[] = [];
    live.onChange((c) => c.kind === "taken" && taken.push(c.seatIds));
    expect(
      live.receive({
        kind: "seats",
        from: 11,
        to: 11,
        seats: [
          [2, 1],
          [9, 1],
        ],
      }),
    ).toEqual({ resync: false, dropped: [2] });
    expect(live.selection).toEqual([1]);
    expect(taken).toEqual([[2]]);
  });

  it("does not drop seats of the fan's own hold request when they turn held", () => {
    const live = loaded();
    live.toggle(1, 4);
    live.setPending([1]);
    expect(live.receive(seats(11, [[1, 1]])).dropped).toEqual([]);
    expect(live.selection).toEqual([1]);
  });

  it("drops selected seats a new snapshot shows taken", () => {
    const live = loaded();
    live.toggle(1, 4);
    const map = smallMap();
    map.sections[0]!.rows[0]!.seats[0]![5] = 2;
    expect(live.setData(map, 11).dropped).toEqual([1]);
    expect(live.selection).toEqual([]);
  });

  it("selects only free seats that are not the fan's, within the allowance", () => {
    const live = loaded();
    expect(live.toggle(5, 4).kind).toBe("unavailable");
    live.setMine([1]);
    expect(live.toggle(1, 4).kind).toBe("unavailable");
    expect(live.toggle(2, 1).kind).toBe("added");
    expect(live.toggle(3, 1)).toEqual({ kind: "limit", allowance: 1 });
    expect(live.toggle(2, 1).kind).toBe("removed");
  });

  it("takes seats out of the selection once the fan holds them", () => {
    const live = loaded();
    live.toggle(1, 4);
    live.toggle(2, 4);
    live.setMine([2]);
    expect(live.selection).toEqual([1]);
  });
});
