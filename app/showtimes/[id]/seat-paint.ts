// The map before the framework. A first visit spends about a second loading, compiling and hydrating
// React and Next.js before the map component can draw (docs/performance.md), while the seat data, preloaded
// with the HTML, has long arrived. This small script of its own (bundled by scripts/seat-paint.ts, inlined
// by the page right after the skeleton) takes those reads and draws the map into the skeleton's canvas with
// the map's own model and controller. The map component then takes the reads and the drawing over
// (seat-data.ts): model and controller carry on as the live, interactive map, without being built again.
import { seatSectionsOf } from "@/server/domain/seatmap/tuples";
import { keepPainted, PAINT_CANVAS_ID, startSeatData } from "./seat-data";
import { paletteOf, SeatMapController } from "./seat-map-controller";
import { buildSeatModel, mapAspect } from "./seat-map-model";

async function paint(canvas: HTMLCanvasElement, showtimeId: string) {
  const reads = startSeatData(showtimeId);
  const [layout, status] = await Promise.all([reads.layout, reads.status]);
  // React may have drawn the live map meanwhile (a fast machine, a slow read): then there is nothing to do.
  if (!canvas.isConnected) return;
  const { sections, counts } = seatSectionsOf(layout, status);
  const model = buildSeatModel({ venue: layout.venue, tiers: layout.tiers, sections });
  canvas.parentElement?.style.setProperty("--map-aspect", String(mapAspect(model)));
  const controller = new SeatMapController(canvas, model, paletteOf(layout.tiers), { onZoom: () => undefined, onHover: () => undefined });
  keepPainted(showtimeId, { seatVersion: status.version, sections, counts, model, controller });
  canvas.dataset.painted = String(Math.round(performance.now()));
}

function start() {
  const canvas = document.getElementById(PAINT_CANVAS_ID);
  const showtimeId = canvas?.dataset.showtimeId;
  // A failure here only means no early picture: the map component reads and reports on its own.
  if (canvas instanceof HTMLCanvasElement && showtimeId) paint(canvas, showtimeId).catch(() => undefined);
}

// Inlined after the skeleton, the canvas is there; anywhere earlier, wait for the parser.
if (document.getElementById(PAINT_CANVAS_ID) || document.readyState !== "loading") start();
else document.addEventListener("DOMContentLoaded", start, { once: true });
