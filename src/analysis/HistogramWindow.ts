// A sliding window of histogram deltas, kept summed as deltas enter and leave, so the
// quantile of the window costs one pass over its buckets however long the session. Explicit
// buckets (older logs) and base-2 exponential buckets both work; a change of layout starts
// the sum afresh, as a restarted exporter would.

import type { Buckets, ExplicitBuckets } from "./AnalyzerEvent.js";
import {
  addExponential,
  commonScale,
  copyExponential,
  downscale,
  exponentialCount,
  exponentialQuantile,
} from "./exponentialBuckets.js";
import { histogramQuantile } from "./histogramQuantile.js";

export interface HistogramDelta {
  count: number;
  min?: number | undefined;
  max?: number | undefined;
  buckets: Buckets;
}

export class HistogramWindow {
  readonly #entries: { t: number; delta: HistogramDelta }[] = [];
  #total: Buckets | undefined;
  #count = 0;

  add(t: number, delta: HistogramDelta): void {
    this.#entries.push({ t, delta });
    this.#total = addBuckets(this.#total, delta.buckets);
    this.#count = bucketsCount(this.#total);
  }

  /** Removes the deltas recorded at or before `before`. */
  expire(before: number): void {
    while (this.#entries.length > 0 && this.#entries[0]!.t <= before) {
      const expired = this.#entries.shift()!;
      if (this.#total) subtractBuckets(this.#total, expired.delta.buckets);
    }
    if (this.#total) this.#count = bucketsCount(this.#total);
  }

  count(): number {
    return this.#count;
  }

  quantile(q: number): number {
    if (!this.#total) return NaN;
    let min: number | undefined;
    let max: number | undefined;
    for (const { delta } of this.#entries) {
      if (delta.max !== undefined) max = Math.max(max ?? 0, delta.max);
      if (delta.min !== undefined) min = Math.min(min ?? Infinity, delta.min);
    }
    return bucketsQuantile(q, this.#total, min, max);
  }
}

/** The sum of all deltas given; also what the read model folds a whole session with. */
export function addBuckets(total: Buckets | undefined, delta: Buckets): Buckets {
  if (delta.kind === "explicit") {
    if (total?.kind !== "explicit" || total.boundaries.length !== delta.boundaries.length)
      return { kind: "explicit", boundaries: [...delta.boundaries], counts: [...delta.counts] };
    addExplicit(total, delta, 1);
    return total;
  }
  if (total?.kind !== "exponential") return copyExponential(delta);
  downscale(total, commonScale(total, delta));
  addExponential(total, delta, 1);
  return total;
}

function subtractBuckets(total: Buckets, delta: Buckets): void {
  if (total.kind === "explicit" && delta.kind === "explicit") {
    if (total.boundaries.length === delta.boundaries.length) addExplicit(total, delta, -1);
  } else if (total.kind === "exponential" && delta.kind === "exponential") {
    addExponential(total, delta, -1);
  }
}

function addExplicit(total: ExplicitBuckets, delta: ExplicitBuckets, sign: 1 | -1): void {
  for (let i = 0; i < total.counts.length; i++)
    total.counts[i] = (total.counts[i] ?? 0) + sign * (delta.counts[i] ?? 0);
}

export function bucketsCount(b: Buckets): number {
  if (b.kind === "exponential") return exponentialCount(b);
  let n = 0;
  for (const c of b.counts) n += c;
  return n;
}

/** A quantile of summed buckets (explicit: interpolated as Prometheus does). */
export function bucketsQuantile(q: number, b: Buckets, min?: number, max?: number): number {
  return b.kind === "explicit" ? histogramQuantile(q, b, max) : exponentialQuantile(q, b, min, max);
}
