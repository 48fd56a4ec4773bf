// The GC cycle finder's bursts: a cache filling within seconds stands out of its ramp; the
// ramp of garbage and a steady leak does not, however steep. And the ramp's excess: what
// it rose beyond any collection, bursts aside, which garbage alone never makes.

import { describe, expect, it } from "vitest";
import { emptyClimb, GcCycles } from "../../../src/analysis/leak/GcCycles.js";
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

  it("sums the steps of a stepwise leak, and finds no sum in a steady one", () => {
    // Steps of 40 MB, one a cycle from cycle 6 (195 MB in the completed cycles), against
    // 10 MB a sample of a steady leak.
    const steps = (c: number, k: number): number =>
      500 + 40 * Math.max(0, c - 6 + (k >= 12 ? 1 : 0));
    const stepped = cyclesOf(steps).burstsSince(0) / MB;
    expect(stepped).toBeGreaterThan(150);
    expect(stepped).toBeLessThanOrEqual(240);
    const leak = (c: number, k: number): number => 500 + 10 * Math.max(0, (c - 6) * 24 + k + 1);
    expect(cyclesOf(leak).burstsSince(0)).toBe(0);
  });

  it("times a stepwise leak's steps, the ramp under way's too, and not the small bursts beside them", () => {
    // Steps of 40 MB at the 12th sample of cycles 6-11 (5 s samples, 24 a cycle); an 8 MB
    // burst of noise late in cycle 10. A step every 2 minutes, the last at 11 * 120 + 12 * 5 s.
    const steps = (c: number, k: number): number =>
      500 + 40 * Math.max(0, c - 6 + (k >= 12 ? 1 : 0)) + (c === 10 && k >= 20 ? 8 : 0);
    const out = new Float64Array(5);
    cyclesOf(steps).stepsSince(0, 1 / 3, out);
    const [count, total, first, last] = out;
    expect(count).toBe(6);
    expect(total! / MB).toBeGreaterThan(200);
    expect(total! / MB).toBeLessThanOrEqual(240);
    expect(first).toBe(6 * 120_000 + 12 * 5000);
    expect(last).toBe(11 * 120_000 + 12 * 5000);
    // All bursts alike: the noise counts too, and is the last.
    cyclesOf(steps).stepsSince(0, 0, out);
    expect(out[0]).toBe(7);
    // From a time after the last floor: the ramp under way's step alone.
    cyclesOf(steps).stepsSince(11.5 * 120_000, 1 / 3, out);
    expect(out[0]).toBe(1);
    expect(out[2]).toBe(out[3]);
    // None in a ramp of garbage.
    cyclesOf(() => 500).stepsSince(0, 1 / 3, out);
    expect(out[0]).toBe(0);
    expect(out[3]).toBeNaN();
  });
});

describe("GcCycles ramp excess", () => {
  const out = new Float64Array(3);
  /**
   * Regular 96 MB cycles of two minutes, then a ramp of 40 samples that climbs 4 MB a
   * sample of garbage, like theirs, and what `more(k)` adds at its k-th sample.
   */
  function rampOf(more: (k: number) => number): { gc: GcCycles; t: number } {
    const gc = new GcCycles(600_000, 20_000, 86_400_000);
    let t = 0;
    regularSawTooth(
      12,
      () => 500,
      (time, v) => gc.observe((t = time), v),
      96,
    );
    for (let k = 0; k < 40; k++) gc.observe((t += 5000), (500 + 4 * k + more(k)) * MB);
    return { gc, t };
  }

  it("is nothing while a ramp is garbage, or garbage and a cache that filled within seconds", () => {
    const garbage = rampOf(() => 0);
    expect(garbage.gc.rampExcess(garbage.t, out)).toBe(0);
    // 240 MB over 25 s, split by one quiet sample: the ramp rose 396 MB, twice the 96 MB
    // drops and more, but the cache is neither garbage nor a leak.
    const steps = [0, 60, 120, 120, 180, 240];
    const cache = rampOf((k) => steps[Math.min(5, Math.max(0, k - 19))]!);
    expect(cache.gc.rampExcess(cache.t, out)).toBe(0);
  });

  it("is what a leak that began mid-ramp added beyond the biggest drop", () => {
    // 10 MB a sample (2 MB/s) from sample 20: the ramp rose 156 MB of garbage and 200 MB
    // of leak, whose increments stand far above the ramp's median for 20 samples: a
    // change of pace, not a burst.
    const leak = rampOf((k) => 10 * Math.max(0, k - 19));
    const excess = leak.gc.rampExcess(leak.t, out) / MB;
    expect(excess).toBeGreaterThan(255);
    expect(excess).toBeLessThan(265);
  });
});

describe("GcCycles climb excess", () => {
  const climb = emptyClimb();
  const out = new Float64Array(3);
  /** The cycles found, and the last sample's time, in a regular saw-tooth of 12 cycles. */
  function climbOf(levelMB: (cycle: number, sample: number) => number): {
    gc: GcCycles;
    t: number;
  } {
    const gc = new GcCycles(600_000, 20_000, 86_400_000);
    let t = 0;
    regularSawTooth(12, levelMB, (time, v) => gc.observe((t = time), v), 96);
    return { gc, t };
  }

  it("adds the floors a leak lifted to its ramp's excess, where the ramp alone shows none", () => {
    // 3 MB a sample (0.6 MB/s) from cycle 9: the floors of cycles 10 and 11 stand 72 and 144
    // MB higher, and the last ramp climbed 161 MB from its own floor, under twice the 93 MB
    // drops. From cycle 9's floor the climb is 306 MB: 213 MB past the biggest drop.
    const leak = climbOf((c, k) => 500 + 3 * Math.max(0, (c - 9) * 24 + k));
    expect(leak.gc.rampExcess(leak.t, out)).toBe(0);
    const excess = leak.gc.climbExcess(leak.t, 0, 90_000, climb) / MB;
    expect(excess).toBeGreaterThan(205);
    expect(excess).toBeLessThan(220);
    expect(climb.cycles).toBe(2);
    // No floor's rise over the one before carried more than 72 MB of it.
    expect(climb.largestRise / MB).toBeCloseTo(72, 0);
  });

  it("shows a cache that filled as a collection ran as one floor's rise, most of the climb", () => {
    // 80 MB landing on the drop's own sample into cycle 10, which hides it (a cache larger
    // than the drop would show as a burst in a ramp), and 40 MB of growth over cycles 10
    // and 11: the climb passes twice the drops by 27 MB, and the cache carries most of it.
    const cache = climbOf((c, k) => 500 + (c >= 10 ? 80 + (40 * ((c - 10) * 24 + k)) / 48 : 0));
    const excess = cache.gc.climbExcess(cache.t, 0, 90_000, climb) / MB;
    expect(excess).toBeGreaterThan(110);
    expect(excess).toBeLessThan(125);
    expect(climb.largestRise / MB).toBeCloseTo(80, 0);
  });

  it("reads no floor before `since`, and none while the cycle's own floor is the lowest", () => {
    const leak = climbOf((c, k) => 500 + 3 * Math.max(0, (c - 9) * 24 + k));
    // From cycle 11's start only its own floor is in view: rampExcess's case.
    expect(leak.gc.climbExcess(leak.t, 11 * 24 * 5000, 90_000, climb)).toBe(0);
  });
});

describe("GcCycles horizon", () => {
  /** A GcCycles fed a 5 s series that climbs 0.2 MB a sample under ±1 MB of noise. */
  function climbing(samples: number, dropAt: number): GcCycles {
    const gc = new GcCycles(600_000, 20_000, 86_400_000);
    for (let k = 0; k < samples; k++) {
      const fell = k >= dropAt ? 100 : 0;
      gc.observe(k * 5000, (400 + 0.2 * k + (k % 2 ? 1 : -1) - fell) * MB);
    }
    return gc;
  }

  it("takes a series with no drop for 11 minutes as smooth", () => {
    expect(climbing(138, Infinity).horizon(137 * 5000)).toBe(20_000);
  });

  it("counts a ramp from a collection during the kink level's warm-up as a GC cycle under way", () => {
    // The kink level takes its first 24 second differences (2 minutes) to set, and no drop
    // is counted before. A 100 MB fall at 80 s still began the ramp: 11.4 minutes in, it
    // is 10 minutes old, and may be garbage of a cycle up to the longest.
    expect(climbing(138, 16).horizon(137 * 5000)).toBe(660_000);
  });
});
