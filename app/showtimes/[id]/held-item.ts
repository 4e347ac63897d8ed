// A new hold as the fan's hold list shows it, made from the hold's answer and the seat map the page already
// has: the page writes it into its cached list instead of asking the server for the whole list again.
import type { SeatMap } from "@/server/domain/seatmap/seat-map";
import type { SeatModel } from "./seat-map-model";
import type { HoldResult, MyHold } from "./use-admission";

export function heldItem(hold: HoldResult, map: Pick<SeatMap, "showtime" | "venue" | "tiers">, model: SeatModel, now = new Date()): MyHold {
  // The model keeps seats in the map's order (section, row, number), the order the list shows them in.
  const indexes = hold.seatIds.flatMap((id) => {
    const i = model.index.get(id);
    return i === undefined ? [] : [i];
  });
  indexes.sort((a, b) => a - b);
  const seats = indexes.map((i) => {
    const tier = map.tiers[model.tier[i]!]!;
    return {
      id: model.ids[i]!,
      section: model.sections[model.section[i]!]!.name,
      row: model.rowLabels[model.row[i]!]!,
      number: model.number[i]!,
      tier: tier.name,
      priceMinor: tier.priceMinor,
      feeMinor: tier.feeMinor,
      currency: tier.currency,
    };
  });
  const subtotalMinor = seats.reduce((sum, s) => sum + s.priceMinor, 0);
  const feesMinor = seats.reduce((sum, s) => sum + s.feeMinor, 0);
  const extendSeconds = map.showtime.holdExtendSeconds;
  return {
    id: hold.holdId,
    status: "ACTIVE",
    live: true,
    createdAt: now,
    heldUntil: hold.heldUntil,
    extended: false,
    canExtend: extendSeconds > 0,
    extendSeconds,
    showtime: {
      id: map.showtime.id,
      startsAt: map.showtime.startsAt,
      concert: { slug: map.showtime.concert.slug, title: map.showtime.concert.title, artist: map.showtime.concert.artist },
      venue: { name: map.venue.name, city: map.venue.city, timezone: map.venue.timezone },
    },
    seats,
    subtotalMinor,
    feesMinor,
    totalMinor: subtotalMinor + feesMinor,
    currency: seats[0]?.currency ?? map.tiers[0]?.currency ?? "KRW",
  };
}
