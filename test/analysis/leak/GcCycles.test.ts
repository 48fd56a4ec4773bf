// The GC cycle finder's bursts: a cache filling within seconds stands out of its ramp; the
// ramp of garbage and a steady leak does not, however steep.

import { describe, expect, it } from "vitest";
import { GcCycles } from "../../../src/analysis/leak/GcCycles.js";

const MB = 1e6;

/**
 * A saw-tooth of 5 s samples: each cycle climbs `perSampleMB` a sample for `samples` samples
 * from its floor, then drops by 100 MB; `extra(cycle, sample)` adds memory that stays.
 */
function sawTooth(
  cycles: number,
  samples: number,
  perSampleMB: number,
  extra: (cycle: number, sample: number) => number = () => 0,
): GcCycles {
  const gc = new GcCycles(600_000, 20_000, 86_400_000);
  let t = 0;
  let kept = 0;
  for (let c = 0; c < cycles; c++) {
    for (let k = 0; k < samples; k++, t += 5000) {
      kept += extra(c, k);
      const wobble = ((k * 7) % 3) * 0.3;
      gc.observe(t, (500 + kept + perSampleMB * k + wobble) * MB);
    }
  }
  return gc;
}

describe("GcCycles bursts", () => {
  it("finds none in the ramps of garbage and of a steady leak, steep or not", () => {
    expect(sawTooth(12, 24, 4).largestBurst(0)).toBe(0);
    // A 2 MB/s leak adds 10 MB a sample on top: the ramp is steeper, not bursty.
    expect(sawTooth(12, 24, 4, (c) => (c >= 6 ? 10 : 0)).largestBurst(0)).toBe(0);
  });

  it("counts a cache that fills within seconds, across a drop, as one burst", () => {
    // 160 MB over the last two samples of cycle 8 and the first two of cycle 9. The 40 MB
    // that lands on the drop's own sample hides in the drop; the 120 MB either side of it
    // are one burst, not two of 80 and 40.
    const cache = (c: number, k: number): number =>
      (c === 8 && k >= 22) || (c === 9 && k < 2) ? 40 : 0;
    const burst = sawTooth(12, 24, 4, cache).largestBurst(0);
    expect(burst / MB).toBeGreaterThan(110);
    expect(burst / MB).toBeLessThanOrEqual(120);
    // ...and only in the cycles whose floors are at or after the time asked about.
    expect(sawTooth(12, 24, 4, cache).largestBurst(11 * 24 * 5000)).toBe(0);
  });

  it("lets a stepwise leak's like steps stand apart, one a cycle", () => {
    // 40 MB within one sample mid-ramp, every cycle: each is its own burst.
    const steps = (c: number, k: number): number => (c >= 6 && k === 12 ? 40 : 0);
    const burst = sawTooth(12, 24, 4, steps).largestBurst(0);
    expect(burst / MB).toBeGreaterThan(30);
    expect(burst / MB).toBeLessThanOrEqual(40);
  });
});
