// A showtime's seat map in a compact shape: the arena has 15,000+ seats, so seats travel as tuples.
import { prisma, type DbTx } from "../../db.ts";
import type { Currency, SeatStatus } from "../../generated/prisma/enums.ts";
import { AppError } from "../errors.ts";
import { countSeats, PRICE_TIERS_SELECT } from "../catalog/concerts.ts";
import { nextSaleOpensAt, SALE_WINDOW_SELECT, saleStatus, ticketLimitOf, type SaleStatus } from "../catalog/sale-status.ts";
import { ZId } from "../ids.ts";
import { servedSeatLayout } from "./layout.ts";
import { getSeatStatus } from "./status.ts";
import { seatSectionsOf } from "./tuples.ts";

export const SEAT_STATUS_CODE: Record<SeatStatus, 0 | 1 | 2> = { AVAILABLE: 0, HELD: 1, SOLD: 2 };

/** [seatId, seat number, x, y, index into `tiers`, status code (0 available, 1 held, 2 sold)] */
export type SeatTuple = [number, number, number, number, number, 0 | 1 | 2];

export type ShowtimeOverview = {
  showtime: {
    id: string;
    startsAt: Date;
    doorsAt: Date;
    saleStatus: SaleStatus;
    saleOpensAt: Date | null;
    /** Tickets one account may have now (the presale's limit while the presale runs). */
    perUserLimit: number;
    /** The presale window, who it is for and when general sale opens; null when the showtime has none. */
    presale: {
      startsAt: Date;
      endsAt: Date;
      for: string | null;
      generalSaleStartsAt: Date;
      /** General sale has not opened yet: only eligible fans may join the line or hold seats. */
      inForce: boolean;
    } | null;
    holdSeconds: number;
    holdExtendSeconds: number;
    concert: { slug: string; title: string; artist: string; imageUrl: string };
  };
  venue: {
    name: string;
    city: string;
    timezone: string;
    width: number;
    height: number;
    stage: { x: number; y: number; w: number; h: number };
  };
  tiers: { id: string; name: string; priceMinor: number; feeMinor: number; currency: Currency; color: string }[];
  counts: { available: number; held: number; sold: number; total: number };
};

export type SeatMap = ShowtimeOverview & {
  sections: { id: string; name: string; rows: { label: string; seats: SeatTuple[] }[] }[];
};

/** A showtime's header facts, price tiers and seat counts, without the seats themselves. */
export async function getShowtimeOverview(
  showtimeId: string,
  { db = prisma(), now = new Date() }: { db?: DbTx; now?: Date } = {},
): Promise<ShowtimeOverview> {
  const id = ZId.parse(showtimeId);
  const showtime = await db.showtime.findFirst({
    where: { id, status: { not: "DRAFT" }, concert: { status: "PUBLISHED" } },
    select: {
      id: true,
      ...SALE_WINDOW_SELECT,
      doorsAt: true,
      perUserLimit: true,
      presaleLimit: true,
      presaleFor: true,
      holdSeconds: true,
      holdExtendSeconds: true,
      concert: { select: { slug: true, title: true, artist: true, imageUrl: true } },
      venue: {
        select: {
          name: true,
          city: true,
          timezone: true,
          width: true,
          height: true,
          stageX: true,
          stageY: true,
          stageW: true,
          stageH: true,
        },
      },
      priceTiers: PRICE_TIERS_SELECT,
    },
  });
  if (!showtime) throw new AppError("NOT_FOUND", "We couldn't find that showtime.");
  const counts = (await countSeats([id], db)).get(id)!;
  const { venue } = showtime;
  const sale = saleStatus(showtime, counts, now);
  return {
    showtime: {
      id: showtime.id,
      startsAt: showtime.startsAt,
      doorsAt: showtime.doorsAt,
      saleStatus: sale,
      saleOpensAt: nextSaleOpensAt(showtime, now),
      perUserLimit: ticketLimitOf(sale, showtime),
      presale:
        showtime.presaleStartsAt && showtime.presaleEndsAt
          ? {
              startsAt: showtime.presaleStartsAt,
              endsAt: showtime.presaleEndsAt,
              for: showtime.presaleFor,
              generalSaleStartsAt: showtime.generalSaleStartsAt,
              inForce: now.getTime() < showtime.generalSaleStartsAt.getTime(),
            }
          : null,
      holdSeconds: showtime.holdSeconds,
      holdExtendSeconds: showtime.holdExtendSeconds,
      concert: showtime.concert,
    },
    venue: {
      name: venue.name,
      city: venue.city,
      timezone: venue.timezone,
      width: venue.width,
      height: venue.height,
      stage: { x: venue.stageX, y: venue.stageY, w: venue.stageW, h: venue.stageH },
    },
    tiers: showtime.priceTiers,
    counts,
  };
}

/**
 * The whole seat map: the overview, and the layout's sections and rows with each seat's status, from the
 * cached layout (layout.ts) and status vector (status.ts).
 */
export async function getSeatMap(
  showtimeId: string,
  { db = prisma(), now = new Date() }: { db?: DbTx; now?: Date } = {},
): Promise<SeatMap> {
  const overview = await getShowtimeOverview(showtimeId, { db, now });
  const id = overview.showtime.id;
  const [{ layout }, status] = await Promise.all([servedSeatLayout(id, { db }), getSeatStatus(id, { db })]);
  return { ...overview, sections: seatSectionsOf(layout, status).sections };
}
