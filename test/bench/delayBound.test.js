// The delay bound the leak benchmark prints beside voxtrace's delays (bench/support/
// delayBound.js): on a trace built by hand its answer can be worked out exactly.

import { describe, expect, it } from "vitest";
import { earliestVisible, STARTUP_ALLOWANCE_BYTES } from "../../bench/support/delayBound.js";
import { leakTrace } from "../../bench/support/leakCorpus.js";

const MB = 1e6;
const SECOND = 1000;

/** A steady leak of `rateMBps` from t = 0, sampled every 5 s, on `garbage` (bytes per sample). */
function trace(rateMBps, garbage, gc) {
  const t = Float64Array.from(garbage, (_, i) => i * 5 * SECOND);
  return {
    t,
    v: Float64Array.from(t, (ti, i) => rateMBps * 1000 * ti + garbage[i]),
    garbage: Float64Array.from(garbage),
    leak: { start: 0, stop: Infinity, lastGrowth: Infinity, rateMBps, shape: "steady" },
    gc,
  };
}

describe("earliestVisible", () => {
  it("is the time a leak takes to pass the start-up allowance, and to outlast a cache filling, on a series with no garbage", () => {
    const none = new Array(100).fill(0);
    // 1 MB/s passes 100 MB after 100 s: the first sample after that is at 105 s.
    expect(earliestVisible(trace(1, none, { amplitude: 0, minCycleMs: Infinity }))).toBe(
      105 * SECOND,
    );
    expect(STARTUP_ALLOWANCE_BYTES).toBe(100 * MB);
    // 5 MB/s passes it after 20 s, but growth that short may be a cache filling.
    expect(earliestVisible(trace(5, none, { amplitude: 0, minCycleMs: Infinity }))).toBe(
      35 * SECOND,
    );
  });

  it("waits for a collection, or for the climb to pass all the garbage the GC class could hold", () => {
    // Garbage climbs 2 MB a sample and is collected every 60 samples (5 minutes).
    const sawTooth = Array.from({ length: 400 }, (_, i) => 2 * MB * (i % 60));
    // A class of 300 MB holds up to 390 MB once a cycle of 60 s or more has run.
    const large = { amplitude: 300 * MB, minCycleMs: 60 * SECOND };
    // 1 MB/s: past 100 MB at 105 s, but until the collection at 300 s garbage may explain it
    // (1.4 t - 390 MB > 100 MB only at 350 s).
    expect(earliestVisible(trace(1, sawTooth, large))).toBe(300 * SECOND);
    // 5 MB/s: 5.4 t - 390 MB > 100 MB after 90.7 s.
    expect(earliestVisible(trace(5, sawTooth, large))).toBe(95 * SECOND);
    // A class of 100 MB (130 at most) piles that up in its shortest cycle and no faster. At
    // 2 MB/s, in 60 s: 2.4 t - 130 MB > 100 MB after 95.8 s; in 600 s, the true garbage
    // (0.4 t) is the most there could be, and 2 t > 100 MB after 50 s.
    const small = (minCycleMs) => ({ amplitude: 100 * MB, minCycleMs });
    expect(earliestVisible(trace(2, sawTooth, small(60 * SECOND)))).toBe(100 * SECOND);
    expect(earliestVisible(trace(2, sawTooth, small(600 * SECOND)))).toBe(55 * SECOND);
  });

  it("never answers before a steady leak of the corpus has passed the allowance", () => {
    for (const gcClass of ["gc 3-30 s", "gc 1-5 min", "gc 5-10 min", "gc irregular", "smooth"]) {
      for (const seed of [1, 2, 3]) {
        const leak = leakTrace(seed, { rateMBps: 1, shape: "steady", gcClass });
        const delay = earliestVisible(leak);
        expect(delay).toBeGreaterThanOrEqual(100 * SECOND);
        expect(delay).toBeLessThan(leak.leak.stop - leak.leak.start);
      }
    }
  });
});
