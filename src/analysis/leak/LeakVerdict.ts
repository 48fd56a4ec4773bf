// What the leak tracker concludes about one memory series at one moment.

export interface LeakVerdict {
  /** Memory has kept growing, beyond what GC cycles, noise and one-off steps explain. */
  leaking: boolean;
  /** Theil–Sen slope of the post-GC floors over the deciding window, bytes/s. */
  slope: number;
  /** Confidence interval of that slope, bytes/s (the trend test's level). */
  slopeLow: number;
  slopeHigh: number;
  /** Data time (ms) when the growth began, while leaking; undefined otherwise. */
  since: number | undefined;
  /** Span of the deciding window, ms (0 while no window has enough data). */
  windowMs: number;
  /** Plain words: why the verdict is what it is. */
  reason: string;
}
