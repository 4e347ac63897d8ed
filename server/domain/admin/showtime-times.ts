// The rules a showtime's times keep, checked by the admin's forms before they send and by the server: the
// windows nest inside each other and end by the show. Nothing here may import the database.

export type ShowtimeTimes = {
  startsAt: Date;
  doorsAt: Date;
  presaleStartsAt: Date | null;
  presaleEndsAt: Date | null;
  generalSaleStartsAt: Date;
  saleEndsAt: Date;
};

/** Problems with the windows, by field (empty when they are fine). */
export function timeProblems(t: ShowtimeTimes): Record<string, string> {
  const p: Record<string, string> = {};
  if (t.doorsAt > t.startsAt) p.doorsAt = "Doors must open before the show starts.";
  if (t.generalSaleStartsAt >= t.saleEndsAt) p.saleEndsAt = "Sales must end after they start.";
  if (t.saleEndsAt > t.startsAt) p.saleEndsAt = "Sales must end by the time the show starts.";
  if ((t.presaleStartsAt === null) !== (t.presaleEndsAt === null))
    p.presaleEndsAt = "Give the presale both a start and an end, or neither.";
  if (t.presaleStartsAt && t.presaleEndsAt) {
    if (t.presaleStartsAt >= t.presaleEndsAt) p.presaleEndsAt = "The presale must end after it starts.";
    else if (t.presaleEndsAt > t.generalSaleStartsAt) p.presaleEndsAt = "The presale must end by the time general sale starts.";
  }
  return p;
}
