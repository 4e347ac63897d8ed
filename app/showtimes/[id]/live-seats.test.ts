import { describe, expect, it } from "vitest";
import { LiveSeats } from "./live-seats";
import { smallMap } from "./seat-map.fixture";

const statusOf = (live: LiveSeats, id: number) => live.model!.status[live.model!.index.get(id)!];

function loaded() {
  const live = new LiveSeats();
  live.setData(smallMap());
  return live;
}

describe("LiveSeats", () => {
  it("applies live changes in place, telling listeners which seats changed", () => {
    const live = loaded();
    const model = live.model;
    const heard: unknown[] = [];
    live.onChange((c) => heard.push(c));
    live.receive({ kind: "seats", seats: [[1, 1], [2, 2]] });
    expect(live.model).toBe(model);
    expect([statusOf(live, 1), statusOf(live, 2)]).toEqual([1, 2]);
    expect(live.model!.counts.available).toBe(8);
    expect(heard).toEqual([{ kind: "seats", changed: [0, 1] }]);
  });

  it("keeps changes that arrive after a ready and replays them on the new snapshot", () => {
    const live = loaded();
    expect(live.receive({ kind: "ready" })).toEqual({ resync: true, dropped: [] });
    // The re-read's snapshot was taken before these changes; replaying them puts the map right.
    live.receive({ kind: "seats", seats: [[3, 1]] });
    live.receive({ kind: "seats", seats: [[3, 0], [4, 2]] });
    live.setData(smallMap());
    expect([statusOf(live, 3), statusOf(live, 4)]).toEqual([0, 2]);
    expect(live.model!.counts).toEqual({ available: 9, held: 1, sold: 2, total: 12 });
  });

  it("never replays changes from before a reconnect over the snapshot read after it", () => {
    const live = loaded();
    live.receive({ kind: "seats", seats: [[1, 1]] });
    // Disconnected: seat 1 was released meanwhile, and that message was lost. Then "ready", and a re-read.
    live.receive({ kind: "ready" });
    live.setData(smallMap());
    expect(statusOf(live, 1)).toBe(0);
  });

  it("keeps changes that arrive before the first snapshot", () => {
    const live = new LiveSeats();
    live.receive({ kind: "seats", seats: [[6, 1]] });
    live.setData(smallMap());
    expect(statusOf(live, 6)).toBe(1);
  });

  it("drops selected seats that someone else takes, and says which", () => {
    const live = loaded();
    live.toggle(1, 4);
    live.toggle(2, 4);
    const taken: unknown[] = [];
    live.onChange((c) => c.kind === "taken" && taken.push(c.seatIds));
    expect(live.receive({ kind: "seats", seats: [[2, 1], [9, 1]] })).toEqual({ resync: false, dropped: [2] });
    expect(live.selection).toEqual([1]);
    expect(taken).toEqual([[2]]);
  });

  it("does not drop seats of the fan's own hold request when they turn held", () => {
    const live = loaded();
    live.toggle(1, 4);
    live.setPending([1]);
    expect(live.receive({ kind: "seats", seats: [[1, 1]] }).dropped).toEqual([]);
    expect(live.selection).toEqual([1]);
  });

  it("drops selected seats a new snapshot shows taken", () => {
    const live = loaded();
    live.toggle(1, 4);
    const map = smallMap();
    map.sections[0]!.rows[0]!.seats[0]![5] = 2;
    expect(live.setData(map).dropped).toEqual([1]);
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
