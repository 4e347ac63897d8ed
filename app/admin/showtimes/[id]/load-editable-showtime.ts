// Everything the edit page can learn about one showtime, from the procedures that exist today:
// - admin.concerts.list: the concert, the showtime's state, start and venue (by name and city);
// - waitingRoom.settings (admin): waiting-room settings, start, sales end, opening — drafts included;
// - admin.venues.list: the venue's id, zone and sections;
// - showtimes.seatMap (public, so only once published): doors, holds, limit, tiers, each section's tier
//   and seat states; otherwise admin.showtimes.live for the seat counts.
// Not readable anywhere yet: presale and general-sale opening, the refund cutoff, and a draft's tiers.
// An `admin.showtimes.byId` returning the editable showtime would replace this file.
import "server-only";
import { notFound } from "next/navigation";
import type { Lifecycle } from "../../_components/badges";
import type { AdminApi } from "../../_components/admin-api";
import type { KnownTier, ShowtimeValues } from "../../_components/showtime-draft";
import { venueFinder } from "../../_components/venue-lookup";

export type SectionTierRow = { id: string; name: string; seats: number; tierId: string | "mixed" | null; taken: number };

export type EditableShowtime = {
  id: string;
  status: Lifecycle;
  concert: { id: string; title: string; slug: string; status: Lifecycle };
  venue: { id: string | null; name: string; city: string; timezone: string | null };
  values: ShowtimeValues;
  /** Seats sold or held per tier id (price changes are refused while any are). */
  takenByTier: Record<string, number> | null;
  sections: SectionTierRow[] | null;
  waitingRoom: { enabled: boolean; paused: boolean; batchSize: number; intervalMs: number; maxActive: number; accessSeconds: number } | null;
  seats: { available: number; held: number; sold: number; total: number } | null;
};

export async function loadEditableShowtime(api: AdminApi, showtimeId: string): Promise<EditableShowtime> {
  const [concerts, venues] = await Promise.all([api.admin.concerts.list(), api.admin.venues.list()]);
  const concert = concerts.find((c) => c.showtimes.some((s) => s.id === showtimeId));
  const showtime = concert?.showtimes.find((s) => s.id === showtimeId);
  if (!concert || !showtime) notFound();
  const venue = venueFinder(venues)(showtime.venue);

  const isPublic = showtime.status !== "DRAFT" && concert.status === "PUBLISHED";
  const [settings, map, live] = await Promise.all([
    api.waitingRoom.settings({ showtimeId }).catch(() => null),
    isPublic ? api.showtimes.seatMap({ showtimeId }).catch(() => null) : Promise.resolve(null),
    isPublic ? Promise.resolve(null) : api.admin.showtimes.live({ showtimeId }).catch(() => null),
  ]);

  const values: ShowtimeValues = {
    times: {
      startsAt: showtime.startsAt,
      saleEndsAt: settings?.saleEndsAt,
      doorsAt: map?.showtime.doorsAt,
    },
    limits: {
      holdSeconds: map?.showtime.holdSeconds,
      holdExtendSeconds: map?.showtime.holdExtendSeconds,
      perUserLimit: map?.showtime.perUserLimit,
    },
    tiers: map ? (map.tiers as KnownTier[]) : null,
  };

  let takenByTier: EditableShowtime["takenByTier"] = null;
  let sections: EditableShowtime["sections"] = null;
  if (map) {
    takenByTier = Object.fromEntries(map.tiers.map((t) => [t.id, 0]));
    sections = map.sections.map((s) => {
      const tierIndexes = new Set<number>();
      let seats = 0;
      let taken = 0;
      for (const row of s.rows) {
        for (const [, , , , tier, status] of row.seats) {
          tierIndexes.add(tier);
          seats++;
          if (status !== 0) {
            taken++;
            const id = map.tiers[tier]?.id;
            if (id) takenByTier![id] = (takenByTier![id] ?? 0) + 1;
          }
        }
      }
      const only = tierIndexes.size === 1 ? map.tiers[[...tierIndexes][0]!]?.id ?? null : null;
      return { id: s.id, name: s.name, seats, tierId: tierIndexes.size > 1 ? "mixed" : only, taken };
    });
  }

  return {
    id: showtime.id,
    status: showtime.status,
    concert: { id: concert.id, title: concert.title, slug: concert.slug, status: concert.status },
    venue: { id: venue?.id ?? null, name: showtime.venue.name, city: showtime.venue.city, timezone: venue?.timezone ?? map?.venue.timezone ?? null },
    values,
    takenByTier,
    sections,
    waitingRoom: settings
      ? {
          enabled: settings.enabled,
          paused: settings.paused,
          batchSize: settings.batchSize,
          intervalMs: settings.intervalMs,
          maxActive: settings.maxActive,
          accessSeconds: settings.accessSeconds,
        }
      : null,
    seats: map?.counts ?? live?.seats ?? null,
  };
}
