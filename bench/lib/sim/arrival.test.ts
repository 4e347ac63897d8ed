import { describe, expect, it } from "vitest";
import { arrivalOffsets, seededRandom } from "./arrival.ts";
import { ZArrival } from "./options.ts";

const offsets = (spec: string, n = 10_000, seed = 7) => arrivalOffsets(ZArrival.parse(spec), n, seededRandom(seed));
const share = (xs: number[], pred: (x: number) => boolean) => xs.filter(pred).length / xs.length;

describe("arrivalOffsets", () => {
  it("burst: everyone within half a second", () => {
    const xs = offsets("burst");
    expect(Math.max(...xs)).toBeLessThanOrEqual(500);
  });
  it("ramp:S: a quarter of the fans in the first half, rising rate", () => {
    const xs = offsets("ramp:20");
    expect(Math.max(...xs)).toBeLessThanOrEqual(20_000);
    expect(share(xs, (x) => x < 10_000)).toBeCloseTo(0.25, 1);
  });
  it("uniform:S: even spread from 0 to S", () => {
    const xs = offsets("uniform:10", 11);
    expect(xs).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000]);
  });
  it("poisson:S: about count/S per second, sorted, repeatable from the seed", () => {
    const xs = offsets("poisson:60");
    expect(xs.at(-1)! / 1000).toBeGreaterThan(55);
    expect(xs.at(-1)! / 1000).toBeLessThan(65);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(offsets("poisson:60")).toEqual(xs);
  });
  it("refuses unknown shapes", () => {
    expect(() => ZArrival.parse("wave:3")).toThrow();
  });
});
