// Quantiles from summed explicit-bucket histogram deltas (logs before exponential buckets), interpolating linearly inside
// the bucket as Prometheus's histogram_quantile does.

import type { ExplicitBuckets } from "./AnalyzerEvent.js";

export function histogramQuantile(q: number, buckets: ExplicitBuckets, max?: number): number {
  const total = buckets.counts.reduce((a, b) => a + b, 0);
  if (total === 0) return NaN;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.counts.length; i++) {
    const count = buckets.counts[i]!;
    if (seen + count >= rank && count > 0) {
      const lower = i === 0 ? 0 : buckets.boundaries[i - 1]!;
      // The +Inf bucket has no upper edge: use the observed maximum, else its lower edge.
      const upper = i < buckets.boundaries.length ? buckets.boundaries[i]! : (max ?? lower);
      return lower + (upper - lower) * ((rank - seen) / count);
    }
    seen += count;
  }
  return max ?? buckets.boundaries[buckets.boundaries.length - 1] ?? NaN;
}
