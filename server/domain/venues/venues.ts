// Creating venues with their seat layouts.
import { z } from "zod";
import { prisma, type Db, type DbTx } from "../../db.ts";
import { recordAudit } from "../admin/audit.ts";
import { AppError } from "../errors.ts";
import { layoutSection, PLANE_LIMIT, ZSectionSpec } from "./layout.ts";

export const ZCreateVenueInput = z.strictObject({
  slug: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().trim().min(1).max(120),
  city: z.string().trim().min(1).max(80),
  country: z.string().trim().length(2),
  address: z.string().trim().min(1).max(200),
  timezone: z.string().min(1),
  width: z.number().int().positive().max(PLANE_LIMIT),
  height: z.number().int().positive().max(PLANE_LIMIT),
  stage: z.strictObject({
    x: z.number().int().min(-PLANE_LIMIT).max(PLANE_LIMIT),
    y: z.number().int().min(-PLANE_LIMIT).max(PLANE_LIMIT),
    w: z.number().int().positive().max(PLANE_LIMIT),
    h: z.number().int().positive().max(PLANE_LIMIT),
  }),
  sections: z.array(ZSectionSpec).min(1).max(200),
});
export type TCreateVenueInput = z.input<typeof ZCreateVenueInput>;

/**
 * Creates a venue, its sections, rows and seats in one transaction; returns the venue id and seat count.
 * An admin's creation (`actorId`) is audited in the same transaction.
 */
export async function createVenue(input: TCreateVenueInput, { db = prisma(), actorId }: { db?: Db; actorId?: string } = {}) {
  const spec = ZCreateVenueInput.parse(input);
  const names = spec.sections.map((s) => s.name.toLowerCase());
  if (new Set(names).size !== names.length) {
    throw new AppError("VALIDATION_FAILED", "Each section needs its own name.", {
      fieldErrors: { sections: ["Each section needs its own name."] },
    });
  }
  try {
    return await db.$transaction(
      async (tx) => {
        const venue = await tx.venue.create({
          data: {
            slug: spec.slug,
            name: spec.name,
            city: spec.city,
            country: spec.country,
            address: spec.address,
            timezone: spec.timezone,
            width: spec.width,
            height: spec.height,
            stageX: spec.stage.x,
            stageY: spec.stage.y,
            stageW: spec.stage.w,
            stageH: spec.stage.h,
          },
          select: { id: true },
        });
        let seatCount = 0;
        for (const [sortOrder, section] of spec.sections.entries()) {
          const rows = layoutSection(section);
          const created = await tx.section.create({
            data: {
              venueId: venue.id,
              name: section.name,
              sortOrder,
              rows: { create: rows.map((row, i) => ({ label: row.label, sortOrder: i })) },
            },
            select: { rows: { select: { id: true, label: true } } },
          });
          const rowIds = new Map(created.rows.map((r) => [r.label, r.id]));
          const seats = rows.flatMap((row) => row.seats.map((s) => ({ rowId: rowIds.get(row.label)!, ...s })));
          await tx.venueSeat.createMany({ data: seats });
          seatCount += seats.length;
        }
        if (actorId) {
          await recordAudit(tx, {
            actorId,
            action: "venue.create",
            entityType: "Venue",
            entityId: venue.id,
            after: {
              ...spec,
              sections: spec.sections.map((sec) => ({ name: sec.name, rows: sec.rows, seatsPerRow: sec.seatsPerRow })),
              seatCount,
            },
          });
        }
        return { id: venue.id, seatCount };
      },
      { timeout: 120_000 },
    );
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") {
      throw new AppError("CONFLICT", "Another venue already uses that address.", {
        fieldErrors: { slug: ["Another venue already uses that address."] },
      });
    }
    throw err;
  }
}

/** Venues for the dashboard, with their sections and seat counts. */
export async function listVenues({ db = prisma() }: { db?: DbTx } = {}) {
  const venues = await db.venue.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      slug: true,
      name: true,
      city: true,
      country: true,
      timezone: true,
      sections: {
        orderBy: { sortOrder: "asc" },
        select: { id: true, name: true, rows: { select: { _count: { select: { seats: true } } } } },
      },
    },
  });
  return venues.map((v) => {
    const sections = v.sections.map((s) => ({ id: s.id, name: s.name, seats: s.rows.reduce((n, r) => n + r._count.seats, 0) }));
    return { ...v, sections, seatCount: sections.reduce((n, s) => n + s.seats, 0) };
  });
}
