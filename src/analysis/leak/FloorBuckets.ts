// The lowest sample of each fixed bucket of data time, in a ring that covers the longest
// window. Minima compose (the floor of a block is the lowest of its buckets' floors), so
// any horizon that is a whole number of buckets can be rebuilt from this ring, and memory
// stays fixed however long the series runs.

export class FloorBuckets {
  readonly bucketMs: number;
  readonly capacity: number;
  private readonly index: Float64Array; // absolute bucket number held by each slot
  private readonly min: Float64Array;
  private readonly minT: Float64Array;

  constructor(bucketMs: number, spanMs: number) {
    this.bucketMs = bucketMs;
    this.capacity = Math.ceil(spanMs / bucketMs) + 2;
    this.index = new Float64Array(this.capacity).fill(-1);
    this.min = new Float64Array(this.capacity);
    this.minT = new Float64Array(this.capacity);
  }

  bucketOf(t: number): number {
    return Math.floor(t / this.bucketMs);
  }

  private slot(k: number): number {
    return ((k % this.capacity) + this.capacity) % this.capacity;
  }

  add(t: number, v: number): void {
    const k = this.bucketOf(t);
    const slot = this.slot(k);
    if (this.index[slot] !== k) {
      this.index[slot] = k;
      this.min[slot] = v;
      this.minT[slot] = t;
    } else if (v < this.min[slot]!) {
      this.min[slot] = v;
      this.minT[slot] = t;
    }
  }

  /**
   * Floor of buckets [from, to] (absolute numbers) into out[0] (value) and out[1] (time);
   * returns false when none of them holds data.
   */
  floor(from: number, to: number, out: Float64Array): boolean {
    let best = Infinity;
    let bestT = NaN;
    const first = Math.max(from, to - this.capacity + 1);
    // Walk the ring from the first bucket's slot, wrapping once: no division per bucket.
    let slot = this.slot(first);
    for (let k = first; k <= to; k++) {
      if (this.index[slot] === k && this.min[slot]! < best) {
        best = this.min[slot]!;
        bestT = this.minT[slot]!;
      }
      if (++slot === this.capacity) slot = 0;
    }
    if (best === Infinity) return false;
    out[0] = best;
    out[1] = bestT;
    return true;
  }
}
