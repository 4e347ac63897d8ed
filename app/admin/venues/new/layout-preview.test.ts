import { describe, expect, it } from "vitest";
import { layoutSection } from "@/server/domain/venues/layout";
import { fitView, generatePreview, seatsOutside } from "./layout-preview";
import { checkSection, defaultSection, type SectionSpec } from "./venue-draft";

const spec = (overrides: Parameters<typeof defaultSection>[0]): SectionSpec => checkSection(defaultSection(overrides)).spec!;

describe("generatePreview", () => {
  it("places every seat where the server's layout does", () => {
    const s = spec({ rows: "3", seatsPerRow: "4", x: "100", y: "50", curve: "10", rotation: "30", aisleEvery: "2" });
    const layout = generatePreview([s]);
    const server = layoutSection(s).flatMap((r) => r.seats.flatMap((seat) => [seat.x, seat.y]));
    expect(layout.seats).toBe(12);
    expect(Array.from(layout.sections[0]!.xy)).toEqual(server.map((v) => Math.fround(v)));
  });

  it("counts 20,000 seats across sections", () => {
    const layout = generatePreview([
      spec({ rows: "50", seatsPerRow: "200" }),
      spec({ name: "B", rows: "50", seatsPerRow: "200", y: "900" }),
    ]);
    expect(layout.seats).toBe(20_000);
    expect(layout.sections.map((s) => s.count)).toEqual([10_000, 10_000]);
  });

  it("finds seats outside the drawing area", () => {
    const layout = generatePreview([spec({ rows: "1", seatsPerRow: "3", x: "5", y: "5", seatSpacing: "10" })]);
    // seats at x = -5, 5, 15 on a 10-wide area: the first and last fall outside
    expect(seatsOutside(layout, { width: 10, height: 100 })).toBe(2);
    expect(seatsOutside(layout, { width: 100, height: 100 })).toBe(1);
  });
});

describe("fitView", () => {
  it("fits the drawing area into the canvas, centred", () => {
    const v = fitView({ sections: [], seats: 0, box: null }, { width: 400, height: 200, stage: null }, 424, 424, 12);
    expect(v.scale).toBe(1);
    expect(v.dx).toBe(12);
    expect(v.dy).toBe(112);
  });
});
