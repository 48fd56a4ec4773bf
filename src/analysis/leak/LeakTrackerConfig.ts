// Settings of the leak tracker, with defaults measured on the tuning half of
// bench/support/leakCorpus.js (docs/leak-detection.md has the figures).

import { VoxtraceError } from "../../errors.js";

export interface LeakTrackerConfig {
  /** Smallest growth worth an alert, bytes/s (the memory_leak rule's threshold). */
  minSlope: number;
  /** Growth over a window must reach this many bytes: less is a cache filling, not a leak. */
  minGrowth: number;
  /**
   * Windows shorter than `burstMs` need `burstGrowth` bytes instead: start-up growth and
   * a model loading look like a fast leak for a few minutes, and differ from it only in
   * how much they add before they flatten.
   */
  burstGrowth: number;
  burstMs: number;
  /** Longest GC cycle assumed before the series has shown any drop, ms. */
  maxGcCycleMs: number;
  /** Shortest floor horizon, ms: saw-tooth faster than the sampling hides in it. */
  minHorizonMs: number;
  /** Resolution of the stored floors, ms; the verdict is re-judged on this grid. */
  bucketMs: number;
  /** Windows judged, ms, shortest first; the longest bounds the memory kept. */
  windowsMs: readonly number[];
  /** One-sided z of the trend test (3.09 ≈ 1 in 1000 per judgement of a window). */
  z: number;
  /**
   * A leak that ended, and climbs again at the pace it was reported at within this long,
   * is reported again at once as the same leak (a stepwise leak's pause), ms; 0 never.
   * The memory_leak rule passes its resolve_for, so a pause never resolves an alert and
   * fires it again, and a resumed report never raises a new one.
   */
  resumeMs: number;
  /**
   * The series is a reading taken at each major GC and repeated until the next (the heap
   * after GC): each change is one post-GC level, however soon after the one before. Other
   * series declared smooth (maxGcCycleMs 0) count a change as a reading only a minute or
   * more after the one before, since GPU memory may change at any sample. Needs
   * maxGcCycleMs 0.
   */
  readAtGc: boolean;
}

export const DEFAULT_LEAK_TRACKER_CONFIG: Readonly<LeakTrackerConfig> = Object.freeze({
  minSlope: 5e3,
  minGrowth: 40e6,
  burstGrowth: 100e6,
  burstMs: 1_800_000,
  maxGcCycleMs: 600_000,
  minHorizonMs: 20_000,
  bucketMs: 10_000,
  windowsMs: Object.freeze([
    120_000, 240_000, 480_000, 960_000, 1_920_000, 3_840_000, 7_680_000, 11_520_000,
  ]),
  z: 3.09,
  resumeMs: 300_000,
  readAtGc: false,
});

/** Fills in defaults and rejects settings the tracker cannot work with. */
export function leakTrackerConfig(partial: Partial<LeakTrackerConfig> = {}): LeakTrackerConfig {
  const config = { ...DEFAULT_LEAK_TRACKER_CONFIG, ...partial };
  const positive: (keyof LeakTrackerConfig)[] = [
    "minSlope",
    "bucketMs",
    "minHorizonMs",
    "burstMs",
    "z",
  ];
  for (const key of positive) {
    const value = config[key];
    if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
      throw new VoxtraceError(
        "usage",
        `leak tracker: ${key} must be a positive number, got ${String(value)}; fix the memory_leak rule settings`,
      );
    }
  }
  for (const key of ["minGrowth", "burstGrowth", "maxGcCycleMs", "resumeMs"] as const) {
    if (!(config[key] >= 0) || !Number.isFinite(config[key])) {
      throw new VoxtraceError(
        "usage",
        `leak tracker: ${key} must be zero or more, got ${String(config[key])}; fix the memory_leak rule settings`,
      );
    }
  }
  if (typeof config.readAtGc !== "boolean" || (config.readAtGc && config.maxGcCycleMs !== 0)) {
    throw new VoxtraceError(
      "usage",
      `leak tracker: readAtGc must be true or false, and true only with maxGcCycleMs 0, got ${String(config.readAtGc)}; fix the memory_leak rule settings`,
    );
  }
  const windows = config.windowsMs;
  if (
    windows.length === 0 ||
    windows.some((w, i) => !(w >= config.bucketMs * 6) || (i > 0 && !(w > windows[i - 1]!)))
  ) {
    throw new VoxtraceError(
      "usage",
      `leak tracker: windowsMs must rise and each hold six buckets of ${config.bucketMs} ms; fix the memory_leak rule settings`,
    );
  }
  return config;
}
