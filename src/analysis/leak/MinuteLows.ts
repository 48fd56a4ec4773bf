// The lowest value of a series in each minute of the last few hours: enough to ask how far
// it rose between two moments, past its noise, without keeping every sample.

/** The span each low covers, ms. */
export const MINUTE_MS = 60_000;

export class MinuteLows {
  private readonly lows: Float64Array;
  private readonly minutes: Float64Array;

  /** Keeps `keptMs` of minutes (at least one). */
  constructor(keptMs: number) {
    const n = Math.max(1, Math.ceil(keptMs / MINUTE_MS) + 1);
    this.lows = new Float64Array(n);
    this.minutes = new Float64Array(n).fill(NaN);
  }

  /** Records value `v` at data time `t` (ms). */
  record(t: number, v: number): void {
    const minute = Math.floor(t / MINUTE_MS);
    const slot = minute % this.lows.length;
    if (this.minutes[slot] !== minute) {
      this.minutes[slot] = minute;
      this.lows[slot] = v;
    } else if (v < this.lows[slot]!) {
      this.lows[slot] = v;
    }
  }

  /**
   * The lowest value recorded in the minutes from data time `from` to `to` (ms), both
   * included; NaN when none is kept.
   */
  lowest(from: number, to: number): number {
    let low = NaN;
    const last = Math.floor(to / MINUTE_MS);
    const first = Math.max(Math.floor(from / MINUTE_MS), last - this.lows.length + 1);
    for (let minute = first; minute <= last; minute++) {
      const slot = minute % this.lows.length;
      if (this.minutes[slot] === minute && !(this.lows[slot]! >= low)) low = this.lows[slot]!;
    }
    return low;
  }

  /**
   * How far the series rose from data time `from` to `to` (ms): the lowest over the minute
   * up to `to` less the lowest over the minute up to `from`, taken a minute before `to`
   * at the latest; NaN when either is not kept.
   */
  rise(from: number, to: number): number {
    const since = Math.min(from, to - MINUTE_MS);
    return this.lowest(to - MINUTE_MS, to) - this.lowest(since - MINUTE_MS, since);
  }
}
