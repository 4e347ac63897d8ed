// The live seat map in the browser: the model built from the last snapshot, with the live changes applied in
// place, and the fan's selection and held seats. Outside React, so the canvas hears every change at once
// while React re-renders at most once a frame.
//
// Closing the gap between a snapshot and the stream: on every (re)connect the server says "ready" once it
// listens, with the seat version it listens from: every later change reaches the page. A model at or past
// that version is whole; one behind it re-reads the statuses (the first read, made at once without waiting
// for the stream, usually is whole). Every snapshot and every change carries the showtime's seat version:
// changes that arrive while a read is under way are kept and those past the snapshot's version replayed on
// it, and a change that skips a version (one was missed) has the page read again. Changes from before
// "ready" are never replayed over a later snapshot.
import type { SeatChange, SeatChangeEvent } from "@/server/domain/seatmap/events";

type SeatsEvent = Extract<SeatChangeEvent, { kind: "seats" }>;
import type { SeatMap } from "@/server/domain/seatmap/seat-map";
import { applySeatChanges, buildSeatModel, type SeatModel, type SeatStatusCode } from "./seat-map-model";
import { dropSeats, toggleSeat, type ToggleOutcome } from "./seat-selection";

export type LiveSeatsChange =
  /** A new snapshot: a new model. */
  | { kind: "model" }
  /** Seats (indices into the model) changed status in place. */
  | { kind: "seats"; changed: number[] }
  /** The selection or the fan's own held seats changed. */
  | { kind: "marks" }
  /** Selected seats (ids) someone else took: they are out of the selection now. */
  | { kind: "taken"; seatIds: number[] };

/** A long outage with failing re-reads must not grow the replay log without end; the next snapshot wins then. */
const MAX_LOG = 50_000;

export class LiveSeats {
  data: SeatMap | null = null;
  model: SeatModel | null = null;
  /** Seat ids the fan picked, in the order picked. */
  selection: number[] = [];
  /** Seat ids in the fan's live holds. */
  mine: ReadonlySet<number> = new Set();
  /** How many "ready"s arrived: 0 until the stream first listens. */
  readyCount = 0;
  /** The seat version the stream listens from (the last "ready"'s): a model behind it may miss changes. */
  readyVersion = 0;
  /** The seat version the model's statuses are at. */
  seatVersion = 0;
  version = 0;

  /** Seats of a hold request in flight: their turning "held" is the fan's own doing, not someone else's. */
  private pending = new Set<number>();
  private log: SeatsEvent[] = [];
  private logged = 0;
  /** Keep changes for replay: before the first snapshot, and from a "ready" until the next snapshot. */
  private logging = true;
  private listeners = new Set<(change: LiveSeatsChange) => void>();
  private viewers = new Set<() => void>();
  private frame = 0;

  /** Every change, as it happens (the canvas). */
  onChange(listener: (change: LiveSeatsChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** useSyncExternalStore: React hears at most one change per animation frame. */
  subscribe = (listener: () => void) => {
    this.viewers.add(listener);
    return () => {
      this.viewers.delete(listener);
      if (this.viewers.size === 0 && this.frame) {
        cancelAnimationFrame(this.frame);
        this.frame = 0;
      }
    };
  };

  getVersion = () => this.version;

  /**
   * A snapshot at seat version `seatVersion` arrived: build the model (unless one built from this very
   * snapshot is given), replay the changes kept since the last "ready" that are newer. `resync`: a kept
   * change skipped a version, so read again.
   */
  setData(data: SeatMap, seatVersion: number, model: SeatModel = buildSeatModel(data)): { dropped: number[]; resync: boolean } {
    this.data = data;
    this.model = model;
    let version = seatVersion;
    let resync = false;
    for (const event of this.log) {
      if (event.to <= version) continue;
      if (event.from > version + 1) {
        resync = true;
        break;
      }
      applySeatChanges(this.model, event.seats);
      version = event.to;
    }
    // Changes up to the stream's starting version may have come before it listened: behind it, read again.
    if (version < this.readyVersion) resync = true;
    this.seatVersion = version;
    this.log = [];
    this.logged = 0;
    this.logging = resync;
    const dropped = this.dropTaken(this.selection);
    this.emit({ kind: "model" });
    return { dropped, resync };
  }

  /** The page is about to re-read the map: keep what arrives meanwhile. */
  beginResync() {
    this.logging = true;
  }

  /**
   * One event of the stream. `resync`: re-read the map now (after a "ready"). `dropped`: selected seats that
   * someone else just took, already out of the selection.
   */
  receive(event: SeatChangeEvent): { resync: boolean; dropped: number[] } {
    if (event.kind === "ready") {
      this.readyCount++;
      this.readyVersion = event.version;
      this.emit({ kind: "marks" });
      if (this.model && !this.logging && this.seatVersion >= event.version) return { resync: false, dropped: [] };
      // Whatever came before may have missed changes while disconnected: the next snapshot is the base. Before
      // the first snapshot, that snapshot checks itself against the version (setData).
      this.log = [];
      this.logged = 0;
      this.logging = true;
      return { resync: this.model !== null, dropped: [] };
    }
    let resync = false;
    if (!this.logging && this.model) {
      if (event.to <= this.seatVersion) return { resync: false, dropped: [] }; // the snapshot has it
      if (event.from > this.seatVersion + 1) {
        // A change was missed: show these now, and read the statuses again (keeping what comes meanwhile).
        resync = true;
        this.logging = true;
      } else this.seatVersion = event.to;
    }
    if (this.logging) {
      if (this.logged + event.seats.length > MAX_LOG) {
        this.log = [];
        this.logged = 0;
      }
      this.log.push(event);
      this.logged += event.seats.length;
    }
    return { resync, dropped: this.apply(event.seats) };
  }

  /** The page knows better than the stream for a moment (its own hold, release or expiry): set seats now. */
  setStatus(seatIds: readonly number[], status: SeatStatusCode): { dropped: number[] } {
    return { dropped: this.apply(seatIds.map((id): SeatChange => [id, status])) };
  }

  private apply(changes: readonly SeatChange[]): number[] {
    if (!this.model) return [];
    const changed = applySeatChanges(this.model, changes);
    if (changed.length === 0) return [];
    const dropped = this.dropTaken(changes.map(([id]) => id));
    this.emit({ kind: "seats", changed });
    return dropped;
  }

  /** Selected seats among `ids` that are no longer free and are not the fan's own request. */
  private dropTaken(ids: Iterable<number>): number[] {
    const model = this.model;
    if (!model || this.selection.length === 0) return [];
    const taken: number[] = [];
    for (const id of ids) {
      const i = model.index.get(id);
      // A seat the new snapshot no longer has is gone too.
      if ((i === undefined || model.status[i] !== 0) && !this.pending.has(id)) taken.push(id);
    }
    if (taken.length === 0) return [];
    const { selection, dropped } = dropSeats(this.selection, taken);
    if (dropped.length) {
      this.selection = selection;
      this.emit({ kind: "marks" });
      this.emit({ kind: "taken", seatIds: dropped });
    }
    return dropped;
  }

  /** Picks or puts back a seat; `allowance` is how many seats the fan may pick in all. */
  toggle(seatId: number, allowance: number): ToggleOutcome {
    const i = this.model?.index.get(seatId);
    const available = i !== undefined && this.model?.status[i] === 0 && !this.mine.has(seatId);
    const outcome = toggleSeat(this.selection, seatId, { available, allowance });
    if (outcome.kind === "added" || outcome.kind === "removed") {
      this.selection = outcome.selection;
      this.emit({ kind: "marks" });
    }
    return outcome;
  }

  removeFromSelection(seatIds: readonly number[]): number[] {
    const { selection, dropped } = dropSeats(this.selection, seatIds);
    if (dropped.length) {
      this.selection = selection;
      this.emit({ kind: "marks" });
    }
    return dropped;
  }

  clearSelection() {
    if (this.selection.length === 0) return;
    this.selection = [];
    this.emit({ kind: "marks" });
  }

  /** Marks seats as the subject of a hold request in flight (or none, when it ends). */
  setPending(seatIds: readonly number[]) {
    this.pending = new Set(seatIds);
  }

  setMine(seatIds: Iterable<number>) {
    const next = new Set(seatIds);
    if (next.size === this.mine.size && [...next].every((id) => this.mine.has(id))) return;
    this.mine = next;
    // A seat the fan now holds is no longer something to pick.
    this.removeFromSelection([...next]);
    this.emit({ kind: "marks" });
  }

  private emit(change: LiveSeatsChange) {
    this.version++;
    for (const listener of this.listeners) listener(change);
    if (this.viewers.size === 0) return;
    // A new snapshot is shown at once (it replaces the loading state); live changes wait for the next frame.
    if (change.kind === "model" || typeof requestAnimationFrame === "undefined") {
      if (this.frame) cancelAnimationFrame(this.frame);
      this.frame = 0;
      for (const viewer of this.viewers) viewer();
      return;
    }
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      for (const viewer of this.viewers) viewer();
    });
  }
}
