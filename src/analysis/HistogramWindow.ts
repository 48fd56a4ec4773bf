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
  /** Each delta with its bucket count, counted once as it enters. */
  readonly #entries: { t: number; delta: HistogramDelta; count: number }[] = [];
  #first = 0;
  #total: Buckets | undefined;
  #count = 0;
  /** Sliding-window extremes: the entries that can still be the window's min or max. */
  readonly #mins = new MonotonicQueue((a, b) => a <= b);
  readonly #maxes = new MonotonicQueue((a, b) => a >= b);
  #added = 0;

  add(t: number, delta: HistogramDelta): void {
    const count = bucketsCount(delta.buckets);
    this.#entries.push({ t, delta, count });
    const total = addBuckets(this.#total, delta.buckets);
    // A new layout starts the sum afresh (see addBuckets): so does the count.
    if (total !== this.#total) this.#count = bucketsCount(total);
    else this.#count += count;
    this.#total = total;
    const id = this.#added++;
    if (delta.min !== undefined) this.#mins.push(id, delta.min);
    if (delta.max !== undefined) this.#maxes.push(id, delta.max);
  }

  /** Removes the deltas recorded at or before `before`. */
  expire(before: number): void {
    const entries = this.#entries;
    while (this.#first < entries.length && entries[this.#first]!.t <= before) {
      const expired = entries[this.#first++]!;
      if (this.#total && subtractBuckets(this.#total, expired.delta.buckets))
        this.#count -= expired.count;
    }
    // Entries are numbered as added; the first still in the window has this number.
    const firstId = this.#added - (entries.length - this.#first);
    this.#mins.dropBefore(firstId);
    this.#maxes.dropBefore(firstId);
    this.#first = compact(this.#first, entries);
  }

  count(): number {
    return this.#count;
  }

  quantile(q: number): number {
    if (!this.#total) return NaN;
    const min = this.#mins.best();
    const max = this.#maxes.best();
    // A window's max is never taken below 0, as the summed quantile always did.
    const top = max === undefined ? undefined : Math.max(0, max);
    return this.#total.kind === "exponential"
      ? exponentialQuantile(q, this.#total, min, top, this.#count)
      : histogramQuantile(q, this.#total, top);
  }
}

/**
 * The best (smallest or largest, by `better`) of a sliding window in O(1) amortized: values
 * that a later, better value outlives are dropped as it enters.
 */
class MonotonicQueue {
  readonly #ids: number[] = [];
  readonly #values: number[] = [];
  #head = 0;
  readonly #better: (a: number, b: number) => boolean;

  constructor(better: (a: number, b: number) => boolean) {
    this.#better = better;
  }

  push(id: number, value: number): void {
    while (
      this.#values.length > this.#head &&
      this.#better(value, this.#values[this.#values.length - 1]!)
    ) {
      this.#values.pop();
      this.#ids.pop();
    }
    this.#values.push(value);
    this.#ids.push(id);
  }

  dropBefore(id: number): void {
    while (this.#head < this.#ids.length && this.#ids[this.#head]! < id) this.#head++;
    this.#head = compact(this.#head, this.#ids, this.#values);
  }

  best(): number | undefined {
    return this.#head < this.#values.length ? this.#values[this.#head] : undefined;
  }
}

/**
 * Drops the `head` items already passed from the front of `arrays` (of equal length) once
 * they are over half of them: in batches, so dropping costs O(1) per item. Returns the
 * new head.
 */
function compact(head: number, ...arrays: unknown[][]): number {
  if (head <= 64 || head * 2 <= arrays[0]!.length) return head;
  for (const array of arrays) array.splice(0, head);
  return 0;
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

/** Removes `delta` from `total`; false when its layout is not the sum's (it was never added). */
function subtractBuckets(total: Buckets, delta: Buckets): boolean {
  if (total.kind === "explicit" && delta.kind === "explicit") {
    if (total.boundaries.length !== delta.boundaries.length) return false;
    addExplicit(total, delta, -1);
    return true;
  }
  if (total.kind === "exponential" && delta.kind === "exponential") {
    addExponential(total, delta, -1);
    return true;
  }
  return false;
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
