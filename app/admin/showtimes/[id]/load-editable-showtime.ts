// One showtime as the edit page shows it, from admin.showtimes.byId: every current value (drafts too),
// its tiers with their sold and held seats, each section's tier and the waiting room's settings.
import "server-only";
import { notFound } from "next/navigation";
import { isMissing } from "../../../_components/trpc-errors";
import type { Lifecycle } from "../../_components/badges";
import type { AdminApi } from "../../_components/admin-api";
import type { ShowtimeValues } from "../../_components/showtime-draft";

export type TierSeats = { sold: number; held: number; available: number };

export type SectionTierRow = {
  id: string;
  name: string;
  seats: number;
  tierId: string | "mixed";
  /** Seats sold or held in this section; null when its tier's are spread over other sections too. */
  taken: number | null;
};

export type EditableShowtime = {
  id: string;
  status: Lifecycle;
  concert: { id: string; title: string; slug: string; status: Lifecycle };
  venue: { id: string; name: string; city: string; timezone: string };
  values: ShowtimeValues;
  /** Seats per tier id (a tier's price is refused once any are sold or held). */
  seatsByTier: Record<string, TierSeats>;
  sections: SectionTierRow[];
  waitingRoom: {
    enabled: boolean;
    paused: boolean;
    batchSize: number;
    intervalMs: number;
    maxActive: number;
    accessSeconds: number;
    idleSeconds: number;
  };
  seats: { available: number; held: number; sold: number; total: number };
};

type ById = Awaited<ReturnType<AdminApi["admin"]["showtimes"]["byId"]>>;

export async function loadEditableShowtime(api: AdminApi, showtimeId: string): Promise<EditableShowtime> {
  let st: ById;
  try {
    st = await api.admin.showtimes.byId({ showtimeId });
  } catch (error) {
    if (isMissing(error)) notFound();
    throw error;
  }
  const seatsByTier = Object.fromEntries(st.priceTiers.map((t) => [t.id, { sold: t.sold, held: t.held, available: t.available }]));
  const seats = { available: 0, held: 0, sold: 0, total: 0 };
  for (const t of st.priceTiers) {
    seats.available += t.available;
    seats.held += t.held;
    seats.sold += t.sold;
    seats.total += t.available + t.held + t.sold;
  }

  return {
    id: st.id,
    status: st.status,
    concert: st.concert,
    venue: st.venue,
    values: {
      times: {
        startsAt: st.startsAt,
        doorsAt: st.doorsAt,
        presaleStartsAt: st.presaleStartsAt,
        presaleEndsAt: st.presaleEndsAt,
        generalSaleStartsAt: st.generalSaleStartsAt,
        saleEndsAt: st.saleEndsAt,
      },
      limits: {
        holdSeconds: st.holdSeconds,
        holdExtendSeconds: st.holdExtendSeconds,
        perUserLimit: st.perUserLimit,
        refundCutoffHours: st.refundCutoffHours,
      },
      tiers: st.priceTiers.map(({ id, name, priceMinor, feeMinor, currency, color }) => ({
        id,
        name,
        priceMinor,
        feeMinor,
        currency,
        color,
      })),
    },
    seatsByTier,
    sections: sectionRows(st.sections, seatsByTier),
    waitingRoom: st.waitingRoom,
    seats,
  };
}

/**
 * byId lists a section once per tier its seats are in. What is taken is known per tier, so per section it is
 * exact when none of its tiers' seats are taken, or when each of its tiers lies in this section only.
 */
export function sectionRows(
  rows: readonly { sectionId: string; name: string; priceTierId: string; seats: number }[],
  seatsByTier: Record<string, TierSeats>,
): SectionTierRow[] {
  const sectionsOfTier = new Map<string, number>();
  for (const r of rows) sectionsOfTier.set(r.priceTierId, (sectionsOfTier.get(r.priceTierId) ?? 0) + 1);
  const out = new Map<string, SectionTierRow>();
  for (const r of rows) {
    const tier = seatsByTier[r.priceTierId];
    const tierTaken = tier ? tier.sold + tier.held : 0;
    const taken = tierTaken === 0 ? 0 : sectionsOfTier.get(r.priceTierId) === 1 ? tierTaken : null;
    const s = out.get(r.sectionId);
    if (!s) out.set(r.sectionId, { id: r.sectionId, name: r.name, seats: r.seats, tierId: r.priceTierId, taken });
    else {
      s.seats += r.seats;
      s.tierId = "mixed";
      s.taken = s.taken === null || taken === null ? null : s.taken + taken;
    }
  }
  return [...out.values()];
}
