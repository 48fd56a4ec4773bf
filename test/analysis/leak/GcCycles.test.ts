// The GC cycle finder's bursts: a cache filling within seconds stands out of its ramp; the
// ramp of garbage and a steady leak does not, however steep.

import { describe, expect, it } from "vitest";
import { GcCycles } from "../../../src/analysis/leak/GcCycles.js";
import { regularSawTooth } from "./memorySeries.js";

const MB = 1e6;

/**
 * The cycles found in a regular saw-tooth of 12 cycles, its ramps climbing 4 MB a sample,
 * over `levelMB` (memory that stays).
 */
function cyclesOf(levelMB: (cycle: number, sample: number) => number): GcCycles {
  const gc = new GcCycles(600_000, 20_000, 86_400_000);
  regularSawTooth(12, levelMB, (t, v) => gc.observe(t, v), 96);
  return gc;
}

describe("GcCycles bursts", () => {
  it("finds none in the ramps of garbage and of a steady leak, steep or not", () => {
    expect(cyclesOf(() => 500).largestBurst(0)).toBe(0);
    // A 2 MB/s leak adds 10 MB a sample on top: the ramp is steeper, not bursty.
    const leak = (c: number, k: number): number => 500 + 10 * Math.max(0, (c - 6) * 24 + k + 1);
    expect(cyclesOf(leak).largestBurst(0)).toBe(0);
  });

  it("counts a cache that fills within seconds, across a drop, as one burst", () => {
    // 160 MB over the last two samples of cycle 8 and the first two of cycle 9. The 40 MB
    // that lands on the drop's own sample hides in the drop; the 120 MB either side of it
    // are one burst, not two of 80 and 40.
    const cache = (c: number, k: number): number =>
      500 + 40 * Math.min(4, Math.max(0, c * 24 + k - 213));
    const burst = cyclesOf(cache).largestBurst(0);
    expect(burst / MB).toBeGreaterThan(110);
    expect(burst / MB).toBeLessThanOrEqual(120);
    // ...and only in the cycles whose floors are at or after the time asked about.
    expect(cyclesOf(cache).largestBurst(11 * 24 * 5000)).toBe(0);
  });

  it("lets a stepwise leak's like steps stand apart, one a cycle", () => {
    // 40 MB within one sample mid-ramp, every cycle: each is its own burst.
    const steps = (c: number, k: number): number =>
      500 + 40 * Math.max(0, c - 6 + (k >= 12 ? 1 : 0));
    const burst = cyclesOf(steps).largestBurst(0);
    expect(burst / MB).toBeGreaterThan(30);
    expect(burst / MB).toBeLessThanOrEqual(40);
  });
});
