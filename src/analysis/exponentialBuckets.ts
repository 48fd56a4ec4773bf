// Arithmetic on OpenTelemetry's base-2 exponential histogram buckets: bucket i of scale s
// covers (2^(i·2^-s), 2^((i+1)·2^-s)]. Two histograms add at the coarser of their scales
// (halving the scale merges neighbouring buckets); a quantile is read at the nearest rank,
// placed geometrically inside its bucket, so its error is at most half a bucket's width
// (about 1.1 % at scale 5).

import type { ExponentialBuckets } from "./AnalyzerEvent.js";

type Range = ExponentialBuckets["positive"];

export function copyExponential(b: ExponentialBuckets): ExponentialBuckets {
  return {
    kind: "exponential",
    scale: b.scale,
    zeroCount: b.zeroCount,
    positive: { offset: b.positive.offset, counts: [...b.positive.counts] },
    negative: { offset: b.negative.offset, counts: [...b.negative.counts] },
  };
}

/** Lowers `b`'s scale in place (each step merges pairs of buckets). */
export function downscale(b: ExponentialBuckets, scale: number): void {
  const by = b.scale - scale;
  if (by <= 0) return;
  b.positive = downscaleRange(b.positive, by);
  b.negative = downscaleRange(b.negative, by);
  b.scale = scale;
}

function downscaleRange(range: Range, by: number): Range {
  if (range.counts.length === 0) return range;
  const offset = range.offset >> by;
  const counts: number[] = [];
  for (let i = 0; i < range.counts.length; i++) {
    const at = ((range.offset + i) >> by) - offset;
    counts[at] = (counts[at] ?? 0) + range.counts[i]!;
  }
  return { offset, counts };
}

/** Most buckets a sum keeps: past it the scale is lowered (at scale 5, 10 ms to 10 s is 320). */
const MAX_BUCKETS = 1024;

/** The finest scale, at most `scale`, at which a and b together span at most MAX_BUCKETS. */
export function commonScale(a: ExponentialBuckets, b: ExponentialBuckets): number {
  let scale = Math.min(a.scale, b.scale);
  while (
    scale > -10 &&
    Math.max(
      span(a.positive, a.scale, b.positive, b.scale, scale),
      span(a.negative, a.scale, b.negative, b.scale, scale),
    ) > MAX_BUCKETS
  )
    scale--;
  return scale;
}

function span(a: Range, aScale: number, b: Range, bScale: number, scale: number): number {
  const aEmpty = a.counts.length === 0;
  const bEmpty = b.counts.length === 0;
  if (aEmpty && bEmpty) return 0;
  const aShift = aScale - scale;
  const bShift = bScale - scale;
  const lo = Math.min(
    aEmpty ? Infinity : a.offset >> aShift,
    bEmpty ? Infinity : b.offset >> bShift,
  );
  const hi = Math.max(
    aEmpty ? -Infinity : (a.offset + a.counts.length - 1) >> aShift,
    bEmpty ? -Infinity : (b.offset + b.counts.length - 1) >> bShift,
  );
  return hi - lo + 1;
}

/** Adds (sign 1) or removes (sign -1) `delta` into `total`, which must be at a scale <= delta's. */
export function addExponential(
  total: ExponentialBuckets,
  delta: ExponentialBuckets,
  sign: 1 | -1,
): void {
  let source = delta;
  if (delta.scale > total.scale) {
    source = copyExponential(delta);
    downscale(source, total.scale);
  }
  total.zeroCount += sign * source.zeroCount;
  addRange(total.positive, source.positive, sign);
  addRange(total.negative, source.negative, sign);
}

function addRange(into: Range, from: Range, sign: 1 | -1): void {
  if (from.counts.length === 0) return;
  if (into.counts.length === 0) into.offset = from.offset;
  if (from.offset < into.offset) {
    into.counts.unshift(...new Array<number>(into.offset - from.offset).fill(0));
    into.offset = from.offset;
  }
  const start = from.offset - into.offset;
  while (into.counts.length < start + from.counts.length) into.counts.push(0);
  for (let i = 0; i < from.counts.length; i++)
    into.counts[start + i] = (into.counts[start + i] ?? 0) + sign * from.counts[i]!;
}

export function exponentialCount(b: ExponentialBuckets): number {
  let n = b.zeroCount;
  for (const c of b.positive.counts) n += c;
  for (const c of b.negative.counts) n += c;
  return n;
}

/** The q-quantile at the nearest rank, clamped to the observed [min, max] when known. */
export function exponentialQuantile(
  q: number,
  b: ExponentialBuckets,
  min?: number,
  max?: number,
  total: number = exponentialCount(b),
): number {
  if (total === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * total));
  const clamp = (v: number): number => Math.min(max ?? Infinity, Math.max(min ?? -Infinity, v));
  let seen = 0;
  for (const c of b.negative.counts) seen += c;
  if (rank <= seen) return clamp(min ?? 0); // latencies are never negative; nothing better to say
  seen += b.zeroCount;
  if (rank <= seen) return clamp(0);
  const counts = b.positive.counts;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i]!;
    if (count > 0 && seen + count >= rank) {
      const position = (rank - seen - 0.5) / count;
      return clamp(2 ** ((b.positive.offset + i + position) * 2 ** -b.scale));
    }
    seen += count;
  }
  return clamp(max ?? NaN);
}
