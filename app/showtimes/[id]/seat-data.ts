// The seat map the page draws, from its three sources: the showtime's overview (rendered with the page),
// its layout (GET /api/seat-layout/{id}, cached by the browser and revalidated with its ETag) and the
// statuses (GET /api/seat-status/{id}: one byte per seat in the layout's order, at a seat version). The page
// preloads both with its HTML, so they arrive while its scripts load; each read after the first goes to the server.
import type { SeatLayout } from "@/server/domain/seatmap/layout";
import type { SeatMap, ShowtimeOverview } from "@/server/domain/seatmap/seat-map";
import { seatSectionsOf } from "@/server/domain/seatmap/tuples";
import type { SeatStatusVector } from "@/server/domain/seatmap/status";
import type { ControllerEvents, SeatMapController } from "./seat-map-controller";
import type { SeatModel } from "./seat-map-model";

export function seatMapOf(overview: ShowtimeOverview, layout: SeatLayout, status: SeatStatusVector): SeatMap {
  return { ...overview, venue: { ...overview.venue, ...layout.venue }, tiers: layout.tiers, ...seatSectionsOf(layout, status) };
}

export const seatLayoutUrl = (showtimeId: string) => `/api/seat-layout/${encodeURIComponent(showtimeId)}`;
export const seatStatusUrl = (showtimeId: string) => `/api/seat-status/${encodeURIComponent(showtimeId)}`;

/** The layout, through the browser's HTTP cache: a 304 when the browser has this version already. */
export const fetchSeatLayout = (showtimeId: string, signal?: AbortSignal) => fetchJson<SeatLayout>(seatLayoutUrl(showtimeId), signal);

/** The statuses now (never cached; the first read of a page view takes its preload). */
export const fetchSeatStatus = (showtimeId: string, signal?: AbortSignal) => fetchJson<SeatStatusVector>(seatStatusUrl(showtimeId), signal);

/** The skeleton's canvas, where seat-paint.ts draws the map before React runs. */
export const PAINT_CANVAS_ID = "seat-paint";

/** What seat-paint.ts drew: the map's parts and the controller drawing them, at a seat version. */
export type Painted = {
  seatVersion: number;
  sections: SeatMap["sections"];
  counts: SeatMap["counts"];
  model: SeatModel;
  controller: SeatMapController;
};

/** The two reads of a page view's seat data, started by seat-paint.ts before React runs, and its drawing. */
type StartedSeatData = { showtimeId: string; layout?: Promise<SeatLayout>; status?: Promise<SeatStatusVector>; painted?: Painted };
const started = () => globalThis as typeof globalThis & { __onsaleSeatData?: StartedSeatData };

/** Starts both reads (taking the page's preloads) for the map to take over: see `takeStartedRead`. */
export function startSeatData(showtimeId: string): { layout: Promise<SeatLayout>; status: Promise<SeatStatusVector> } {
  const reads = { showtimeId, layout: fetchSeatLayout(showtimeId), status: fetchSeatStatus(showtimeId) };
  // A failed read is the map's to report, when it takes it over.
  reads.layout.catch(() => undefined);
  reads.status.catch(() => undefined);
  started().__onsaleSeatData = { ...reads };
  return reads;
}

/** A read seat-paint.ts started for this showtime, handed over once (later reads go to the server); else null. */
export function takeStartedRead<K extends "layout" | "status">(showtimeId: string, which: K): StartedSeatData[K] | null {
  const reads = started().__onsaleSeatData;
  if (reads?.showtimeId !== showtimeId || !reads[which]) return null;
  const read = reads[which];
  delete reads[which];
  return read;
}

/** seat-paint.ts drew the map: kept for the live map to take over (let go if the page moved on meanwhile). */
export function keepPainted(showtimeId: string, painted: Painted): void {
  const reads = started().__onsaleSeatData;
  if (reads?.showtimeId === showtimeId) reads.painted = painted;
  else painted.controller.destroy();
}

/** The painted map of this showtime at this seat version, for the live map to start from; else null. */
export function paintedAt(showtimeId: string, seatVersion: number): Painted | null {
  const reads = started().__onsaleSeatData;
  return reads?.showtimeId === showtimeId && reads.painted?.seatVersion === seatVersion ? reads.painted : null;
}

/**
 * The live map's canvas is up: the painter's controller moves to it when it drew this very model, so
 * nothing is built twice; otherwise it lets go of its canvas, listeners and observer. Once.
 */
export function adoptPainted(
  model: SeatModel,
  seatVersion: number,
  canvas: HTMLCanvasElement,
  events: ControllerEvents,
): SeatMapController | null {
  const reads = started().__onsaleSeatData;
  const painted = reads?.painted;
  if (!reads || !painted) return null;
  delete reads.painted;
  if (painted.model === model && painted.seatVersion === seatVersion) {
    painted.controller.moveTo(canvas, events);
    return painted.controller;
  }
  painted.controller.destroy();
  return null;
}

// The same request as the page's preload (page.tsx), so the browser hands that one over.
async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { accept: "application/json" } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The seat map could not be loaded (HTTP ${res.status}).`);
  }
  return (await res.json()) as T;
}
