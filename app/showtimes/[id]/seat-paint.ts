// The map before the framework. A first visit spends about a second loading, compiling and hydrating
// React and Next.js before the map component can draw (docs/performance.md), while the seat data, preloaded
// with the HTML, has long arrived. This small script of its own (bundled by scripts/seat-paint.ts, loaded
// async by the page) takes those reads and draws the map into the loading skeleton's canvas with the map's
// own model and controller. The map component then takes the same reads over (seat-data.ts) and replaces
// the drawing with the live, interactive map.
import { seatSectionsOf } from "@/server/domain/seatmap/tuples";
import { keepPainted, PAINT_CANVAS_ID, startSeatData } from "./seat-data";
import { paletteOf, SeatMapController } from "./seat-map-controller";
import { buildSeatModel, mapAspect } from "./seat-map-model";

async function paint(canvas: HTMLCanvasElement, showtimeId: string) {
  const reads = startSeatData(showtimeId);
  const [layout, status] = await Promise.all([reads.layout, reads.status]);
  // React may have drawn the live map meanwhile (a fast machine, a slow read): then there is nothing to do.
  if (!canvas.isConnected) return;
  const model = buildSeatModel({ venue: layout.venue, tiers: layout.tiers, ...seatSectionsOf(layout, status) });
  canvas.parentElement?.style.setProperty("--map-aspect", String(mapAspect(model)));
  keepPainted(showtimeId, new SeatMapController(canvas, model, paletteOf(layout.tiers), { onZoom: () => undefined, onHover: () => undefined }));
  canvas.dataset.painted = String(Math.round(performance.now()));
}

function start() {
  const canvas = document.getElementById(PAINT_CANVAS_ID);
  const showtimeId = canvas?.dataset.showtimeId;
  // A failure here only means no early picture: the map component reads and reports on its own.
  if (canvas instanceof HTMLCanvasElement && showtimeId) paint(canvas, showtimeId).catch(() => undefined);
}

// An async script may run before the parser has reached the skeleton.
if (document.getElementById(PAINT_CANVAS_ID) || document.readyState !== "loading") start();
else document.addEventListener("DOMContentLoaded", start, { once: true });
