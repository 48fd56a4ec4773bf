// What the leak tracker concludes about one memory series at one moment.

export interface LeakVerdict {
  /** Memory has kept growing, beyond what GC cycles, noise and one-off steps explain. */
  leaking: boolean;
  /**
   * The rate memory grows at, bytes/s: the Theil–Sen slope of the post-GC floors over the
   * deciding window, or the rate the check that reported the leak read (docs/leak-detection.md,
   * "The rate it states").
   */
  slope: number;
  /**
   * An interval around that rate, bytes/s: the trend test's for a window, one meant to hold
   * the true rate nine times in ten for the other checks.
   */
  slopeLow: number;
  slopeHigh: number;
  /** Data time (ms) when the growth began, as the data shows it, while leaking; undefined otherwise. */
  since: number | undefined;
  /** Span of the deciding window, ms (0 while no window has enough data). */
  windowMs: number;
  /** Plain words: why the verdict is what it is. */
  reason: string;
}
