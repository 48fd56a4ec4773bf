// The last values a series changed to, and when. The heap after GC is read only when a major
// GC runs, and its gauge repeats that reading until the next one: each change is one post-GC
// level, as a cycle floor of RSS is, minutes apart when major GCs are.

export class Readings {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private next = 0;
  private count = 0;
  private last = NaN;

  constructor(private readonly kept: number) {
    this.times = new Float64Array(kept);
    this.values = new Float64Array(kept);
  }

  /** One sample; it is a reading when its value differs from the sample before. */
  observe(tMs: number, bytes: number): void {
    if (bytes === this.last) return;
    this.last = bytes;
    this.times[this.next] = tMs;
    this.values[this.next] = bytes;
    this.next = (this.next + 1) % this.kept;
    this.count = Math.min(this.count + 1, this.kept);
  }

  /** The data time of the last reading: since then the series has repeated it. */
  changedAt(): number {
    return this.count === 0 ? -Infinity : this.times[(this.next - 1 + this.kept) % this.kept]!;
  }

  /** The last `max` readings, oldest first, into `out` as [t0, v0, t1, v1, ...]; how many. */
  recent(max: number, out: Float64Array): number {
    const n = Math.min(max, this.count);
    for (let j = 0; j < n; j++) {
      const i = (this.next - n + j + this.kept) % this.kept;
      out[2 * j] = this.times[i]!;
      out[2 * j + 1] = this.values[i]!;
    }
    return n;
  }
}
