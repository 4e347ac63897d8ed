// How sections and seats are named in words: on the seat map, tickets, QR codes and at checkout.

/** "Section B", "Section 101" — but "Floor A" stays as it is: names that are words already say what they are. */
export function sectionLabel(name: string): string {
  return /^[A-Z0-9]{1,4}$/i.test(name) ? `Section ${name}` : name;
}

export type SeatRef = { section: string; row: string; number: number };

/** "Section B, row 12, seat 7" (named sections keep their name: "Floor, row 3, seat 14"). */
export function seatName(seat: SeatRef): string {
  return `${sectionLabel(seat.section)}, row ${seat.row}, seat ${seat.number}`;
}
