// The demo data: what the README promises, and idempotent.
import { describe, expect, it } from "vitest";
import { prisma } from "../server/db.ts";
import { listHomeConcerts } from "../server/domain/catalog/concerts.ts";
import { verifyCredentials } from "../server/domain/auth/users.ts";
import { auditInvariants } from "../server/domain/audit/invariants.ts";
import { DEMO_ACCOUNTS, seed } from "./seed.ts";

describe("seed", () => {
  it("creates the demo catalog once, and a second run changes nothing", async () => {
    expect(await seed(prisma())).toEqual({ created: true });
    const counts = async () => ({
      users: await prisma().user.count({ where: { email: { endsWith: "@onsale.test" } } }),
      concerts: await prisma().concert.count({ where: { slug: { in: SEED_SLUGS } } }),
      seats: await prisma().seat.count({ where: { showtime: { concert: { slug: { in: SEED_SLUGS } } } } }),
    });
    const before = await counts();
    expect(await seed(prisma())).toEqual({ created: false });
    expect(await counts()).toEqual(before);

    const venues = await prisma().venue.findMany({
      where: { slug: { in: ["rolling-hall", "dream-theatre", "harbor-arena"] } },
      select: { slug: true, city: true, sections: { select: { rows: { select: { _count: { select: { seats: true } } } } } } },
    });
    const seatsOf = (slug: string) =>
      venues
        .find((v) => v.slug === slug)!
        .sections.flatMap((s) => s.rows)
        .reduce((n, r) => n + r._count.seats, 0);
    expect(new Set(venues.map((v) => v.city)).size).toBeGreaterThanOrEqual(3);
    expect(seatsOf("rolling-hall")).toBe(300);
    expect(seatsOf("dream-theatre")).toBe(2000);
    expect(seatsOf("harbor-arena")).toBeGreaterThanOrEqual(15_000);
    expect(before.concerts).toBeGreaterThanOrEqual(6);

    const home = await listHomeConcerts();
    const seeded = [...home.onSale, ...home.upcoming].filter((c) => SEED_SLUGS.includes(c.slug));
    expect(seeded.filter((c) => c.saleStatus === "ON_SALE").length).toBeGreaterThanOrEqual(3);
    expect(seeded.some((c) => c.saleStatus === "UPCOMING")).toBe(true);
    const soldOut = await prisma().showtime.findMany({
      where: { concert: { slug: "the-velvet-echoes-reunion" }, seats: { every: { status: "SOLD" } } },
      select: { id: true },
    });
    expect(soldOut).toHaveLength(1);
    // Sold the way checkout sells: tickets, order, payment and a wallet equal to its ledger.
    const audit = await auditInvariants(prisma(), { showtimeId: soldOut[0]!.id });
    expect(audit.checks.filter((c) => !c.ok)).toEqual([]);
    expect(await prisma().ticket.count({ where: { seat: { showtimeId: soldOut[0]!.id }, status: "VALID" } })).toBe(300);
  }, 120_000);

  it("signs in every demo account with the README's password", async () => {
    for (const account of DEMO_ACCOUNTS) {
      expect(await verifyCredentials({ email: account.email, password: account.password })).toMatchObject({
        email: account.email,
        role: account.role,
      });
    }
  });
});

const SEED_SLUGS = [
  "aurora-skies-world-tour",
  "neon-harbor-live",
  "seoul-philharmonic-winter-gala",
  "midnight-jazz-collective",
  "the-velvet-echoes-reunion",
  "k-wave-festival-night",
  "indie-garden-sessions",
];
