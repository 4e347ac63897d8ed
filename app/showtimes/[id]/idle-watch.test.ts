import { describe, expect, it } from "vitest";
import { IDLE_WARN_MS, idlePhase, reportEveryMs } from "./idle-watch";

describe("idlePhase", () => {
  const seen = 1_000_000;
  it("is off with no idle time, while seats are held, and before the clock is known", () => {
    expect(idlePhase(seen + 90_000, seen, 0, false)).toEqual({ kind: "off" });
    expect(idlePhase(seen + 90_000, seen, 60_000, true)).toEqual({ kind: "off" });
    expect(idlePhase(0, seen, 60_000, false)).toEqual({ kind: "off" });
  });

  it("warns in the last 20 seconds, then asks the server", () => {
    expect(idlePhase(seen + 60_000 - IDLE_WARN_MS - 1, seen, 60_000, false)).toEqual({ kind: "active" });
    expect(idlePhase(seen + 45_000, seen, 60_000, false)).toEqual({ kind: "warning", msLeft: 15_000 });
    expect(idlePhase(seen + 60_000, seen, 60_000, false)).toEqual({ kind: "check" });
  });
});

describe("reportEveryMs", () => {
  it("reports a busy fan before the warning would show, and at most every 15 s", () => {
    expect(reportEveryMs(60_000)).toBe(15_000);
    expect(reportEveryMs(30_000)).toBe(5_000);
    for (const idle of [30_000, 60_000, 3_600_000]) expect(reportEveryMs(idle)).toBeLessThan(idle - IDLE_WARN_MS);
    // An idle time shorter than the warning warns from the start; reports still go out every second at most.
    expect(reportEveryMs(15_000)).toBe(1_000);
  });
});
