// The canvas and its controller for as long as the canvas lives: taken over from the painter when it drew
// these very reads (seat-data.ts), fed every change of the store, and heard back on zoom, hover and taps.
import { useEffect, useEffectEvent, useRef, useState } from "react";
import { formatMoney } from "@/server/domain/money";
import type { LiveSeats } from "./live-seats";
import { adoptPainted } from "./seat-data";
import { paletteOf, SeatMapController } from "./seat-map-controller";
import { seatLabel, STATUS_WORD } from "./seat-map-model";
import { tooltipPosition } from "./seat-map-view";

type Events = {
  /** A seat tapped or clicked on the canvas, by its id. */
  onActivate: (seatId: number) => void;
  /** Picked seats someone else just took (the store has already let them go). */
  onTaken: (seatIds: number[]) => void;
};

export function useSeatCanvas(live: LiveSeats, selectable: boolean, events: Events) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<SeatMapController | null>(null);
  const [zoom, setZoom] = useState(100);

  const onTaken = useEffectEvent((seatIds: number[]) => events.onTaken(seatIds));
  const onActivate = useEffectEvent((seat: number) => {
    const id = live.model?.ids[seat];
    if (id !== undefined) events.onActivate(id);
  });
  const onHover = useEffectEvent((seat: number, x: number, y: number) => showTooltip(tooltipRef.current, live, seat, x, y));

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !live.model || !live.data) return;
    const handlers = {
      onZoom: setZoom,
      onHover: (seat: number, x: number, y: number) => onHover(seat, x, y),
      onActivate: (seat: number) => onActivate(seat),
    };
    const controller =
      adoptPainted(live.model, live.seatVersion, canvas, handlers) ??
      new SeatMapController(canvas, live.model, paletteOf(live.data.tiers), handlers);
    controllerRef.current = controller;
    const indices = (ids: Iterable<number>) => {
      const out: number[] = [];
      for (const id of ids) {
        const i = live.model?.index.get(id);
        if (i !== undefined) out.push(i);
      }
      return out;
    };
    const marks = () => controller.setMarks(indices(live.selection), indices(live.mine));
    marks();
    const off = live.onChange((change) => {
      if (change.kind === "model" && live.model && live.data) {
        controller.setModel(live.model, paletteOf(live.data.tiers));
        marks();
      } else if (change.kind === "seats") controller.seatsChanged(change.changed);
      else if (change.kind === "marks") marks();
      else if (change.kind === "taken") onTaken(change.seatIds);
    });
    return () => {
      off();
      controller.destroy();
      controllerRef.current = null;
    };
    // The controller lives as long as the canvas; changes reach it through the store.
  }, [live]);

  useEffect(() => {
    controllerRef.current?.setSelectable(selectable);
  }, [selectable]);

  return { canvasRef, tooltipRef, controller: controllerRef, zoom };
}

/** The seat under the pointer in words (name, price, state), beside the pointer; hidden for no seat. */
function showTooltip(el: HTMLDivElement | null, live: LiveSeats, seat: number, x: number, y: number) {
  const { model, data } = live;
  if (!el || !model || !data) return;
  if (seat < 0) {
    el.hidden = true;
    return;
  }
  const id = model.ids[seat]!;
  const tier = data.tiers[model.tier[seat]!];
  const status = live.mine.has(id)
    ? "held for you"
    : live.selection.includes(id)
      ? "your pick"
      : (STATUS_WORD[model.status[seat]! as 0 | 1 | 2] ?? "unavailable");
  const parts = [seatLabel(model, seat), tier ? formatMoney(tier.priceMinor, tier.currency) : null, status];
  el.textContent = parts.filter(Boolean).join(" · ");
  el.dataset.status = status;
  el.hidden = false;
  const wrap = el.parentElement;
  const at = tooltipPosition(
    { x, y },
    { w: el.offsetWidth, h: el.offsetHeight },
    { w: wrap?.clientWidth ?? 0, h: wrap?.clientHeight ?? 0 },
  );
  el.style.transform = `translate(${at.x}px, ${at.y}px)`;
}
