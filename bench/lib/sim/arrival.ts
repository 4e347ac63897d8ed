// Arrival curves: when each fan shows up, in ms from the start, from a seeded generator so a run repeats.
import type { Arrival } from "./options.ts";

/** mulberry32: small, fast, and good enough to make a simulation repeatable from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Sorted arrival offsets (ms) for `count` fans:
 * - `burst`: everyone within the first 500 ms (the link went out on social media);
 * - `ramp:S`: the arrival rate grows linearly from 0 over S seconds (word spreads);
 * - `uniform:S`: evenly spread over S seconds;
 * - `poisson:S`: independent arrivals at a constant rate of count/S per second (exponential gaps).
 */
export function arrivalOffsets(arrival: Arrival, count: number, random: () => number): number[] {
  const ms = arrival.seconds * 1000;
  let offsets: number[];
  switch (arrival.shape) {
    case "burst":
      offsets = Array.from({ length: count }, () => random() * 500);
      break;
    case "ramp":
      // Rate ∝ t, so the cumulative share is (t/S)²: invert a uniform draw.
      offsets = Array.from({ length: count }, () => ms * Math.sqrt(random()));
      break;
    case "uniform":
      offsets = Array.from({ length: count }, (_, i) => (count === 1 ? 0 : (ms * i) / (count - 1)));
      break;
    case "poisson": {
      const meanGap = ms / count;
      let t = 0;
      offsets = Array.from({ length: count }, () => (t += -Math.log(1 - random()) * meanGap));
      break;
    }
  }
  return offsets.map(Math.round).sort((a, b) => a - b);
}
