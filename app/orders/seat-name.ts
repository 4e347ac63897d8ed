// How a seat is named in words, on tickets, QR codes and at checkout.
import { sectionLabel } from "../showtimes/[id]/seat-map-model";

export type SeatRef = { section: string; row: string; number: number };

/** "Section B, row 12, seat 7" (named sections keep their name: "Floor, row 3, seat 14"). */
export function seatName(seat: SeatRef): string {
  return `${sectionLabel(seat.section)}, row ${seat.row}, seat ${seat.number}`;
}
