// The sliding window keeps its sum, count and extremes incrementally; each must equal what
// summing the deltas still in the window from scratch gives.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Buckets, ExponentialBuckets } from "../../src/analysis/AnalyzerEvent.js";
import {
  addBuckets,
  bucketsCount,
  bucketsQuantile,
  HistogramWindow,
  type HistogramDelta,
} from "../../src/analysis/HistogramWindow.js";

const delta = fc
  .record({
    // One scale: a sum keeps the coarsest scale it has seen, which a fresh sum may not have.
    scale: fc.constant(5),
    offset: fc.integer({ min: -200, max: 100 }),
    counts: fc.array(fc.nat({ max: 5 }), { minLength: 1, maxLength: 12 }),
    min: fc.option(fc.double({ min: 0.001, max: 1, noNaN: true }), { nil: undefined }),
    max: fc.option(fc.double({ min: 0.5, max: 20, noNaN: true }), { nil: undefined }),
    gap: fc.integer({ min: 0, max: 4000 }),
  })
  .map(({ scale, offset, counts, min, max, gap }) => {
    const buckets: ExponentialBuckets = {
      kind: "exponential",
      scale,
      zeroCount: 0,
      positive: { offset, counts },
      negative: { offset: 0, counts: [] },
    };
    const d: HistogramDelta = { count: counts.reduce((a, b) => a + b, 0), buckets, min, max };
    return { d, gap };
  });

describe("HistogramWindow", () => {
  it("gives the count and quantiles of the deltas in the window, as if summed afresh", () => {
    fc.assert(
      fc.property(
        fc.array(delta, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1000, max: 20_000 }),
        (deltas, span) => {
          const window = new HistogramWindow();
          const kept: { t: number; d: HistogramDelta }[] = [];
          let t = 0;
          for (const { d, gap } of deltas) {
            t += gap;
            window.add(t, structuredClone(d));
            kept.push({ t, d });
            window.expire(t - span);
            const inWindow = kept.filter((k) => k.t > t - span);
            let total: Buckets | undefined;
            for (const k of inWindow) total = addBuckets(total, structuredClone(k.d.buckets));
            let min: number | undefined;
            let max: number | undefined;
            for (const { d: k } of inWindow) {
              if (k.max !== undefined) max = Math.max(max ?? 0, k.max);
              if (k.min !== undefined) min = Math.min(min ?? Infinity, k.min);
            }
            if (!total) throw new Error("a delta is always in the window");
            expect(window.count()).toBe(bucketsCount(total));
            if (window.count() > 0)
              expect(window.quantile(0.95)).toBe(bucketsQuantile(0.95, total, min, max));
          }
        },
      ),
      { numRuns: 200, seed: 20261203 },
    );
  });
});
