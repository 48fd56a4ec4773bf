// Memory-leak detection that a garbage-collected process's saw-tooth does not fool.
// 1. Lower envelope: each sample is replaced by the minimum over the preceding `gcHorizonMs`
//    — the post-GC floor — which removes saw-tooth cycles shorter than the horizon.
// 2. For each window (60 s, 10 min, 30 min), a Theil–Sen slope of the floors (the median
//    of pairwise slopes: one GC outlier cannot move it) and the share of rising pairs
//    among pairs that moved (a Mann–Kendall-style trend test: noise gives ~50 %, a leak
//    nearly 100 %).
// 3. A window reports a leak when it is mostly covered by data, its slope exceeds that
//    window's minimum, and its pairs rise consistently. Short windows catch fast leaks
//    quickly; long windows catch slow ones with their higher minimum evidence.

import { medianSorted } from "simple-statistics";

export interface Sample {
  t: number; // ms
  v: number; // bytes
}

export interface LeakWindow {
  ms: number;
  /** Smallest slope (bytes/s) this window reports. */
  minSlope: number;
}

export interface LeakDetectorConfig {
  gcHorizonMs: number;
  windows: LeakWindow[];
  /** Share of rising pairs needed (0.5 = coin flip). */
  minRisingShare: number;
  /** A window needs data over this share of its span. */
  minCoverage: number;
  /** Floors used per window at most (evenly decimated), to bound the cost per call. */
  maxPoints: number;
}

export const DEFAULT_LEAK_DETECTOR_CONFIG: Readonly<LeakDetectorConfig> = {
  gcHorizonMs: 30_000,
  windows: [
    { ms: 60_000, minSlope: 0.5e6 },
    { ms: 600_000, minSlope: 0.1e6 },
    { ms: 1_800_000, minSlope: 0.03e6 },
  ],
  minRisingShare: 0.8,
  minCoverage: 0.8,
  maxPoints: 20,
};

export interface LeakVerdict {
  leaking: boolean;
  slopeBytesPerSecond: number;
  windowMs: number;
  reason: string;
}

/** `samples` in time order. Pure; cost bounded by maxPoints² per window. */
export function detectLeak(
  samples: readonly Sample[],
  config: LeakDetectorConfig = DEFAULT_LEAK_DETECTOR_CONFIG,
): LeakVerdict {
  const last = samples[samples.length - 1];
  if (!last) return { leaking: false, slopeBytesPerSecond: 0, windowMs: 0, reason: "no samples" };
  let best: LeakVerdict = {
    leaking: false,
    slopeBytesPerSecond: 0,
    windowMs: 0,
    reason: "not enough data",
  };
  for (const window of config.windows) {
    const from = last.t - window.ms;
    const first = samples.findIndex((s) => s.t >= from);
    // Judge a window only when data covers most of it.
    if (first < 0 || samples[0]!.t > from + window.ms * (1 - config.minCoverage)) continue;
    const floors = lowerEnvelope(samples, first, config.gcHorizonMs, config.maxPoints);
    if (floors.length < 4) continue;
    const { slope, risingShare } = theilSen(floors);
    const verdict: LeakVerdict = {
      leaking: slope > window.minSlope && risingShare >= config.minRisingShare,
      slopeBytesPerSecond: slope,
      windowMs: window.ms,
      reason: `floor slope ${(slope / 1e6).toFixed(3)} MB/s, ${(risingShare * 100).toFixed(0)} % of pairs rising over ${window.ms / 1000} s`,
    };
    if (verdict.leaking) return verdict;
    if (best.windowMs === 0 || window.ms > best.windowMs) best = verdict;
  }
  return best;
}

function lowerEnvelope(
  samples: readonly Sample[],
  first: number,
  horizon: number,
  maxPoints: number,
): Sample[] {
  const count = samples.length - first;
  const step = Math.max(1, Math.ceil(count / maxPoints));
  const floors: Sample[] = [];
  for (let i = samples.length - 1; i >= first; i -= step) {
    const t = samples[i]!.t;
    let min = Infinity;
    for (let j = i; j >= 0 && samples[j]!.t >= t - horizon; j--) min = Math.min(min, samples[j]!.v);
    floors.push({ t, v: min });
  }
  return floors.reverse();
}

function theilSen(points: readonly Sample[]): { slope: number; risingShare: number } {
  const slopes: number[] = [];
  let rising = 0;
  let falling = 0;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dt = (points[j]!.t - points[i]!.t) / 1000;
      if (dt <= 0) continue;
      const dv = points[j]!.v - points[i]!.v;
      slopes.push(dv / dt);
      if (dv > 0) rising++;
      else if (dv < 0) falling++;
    }
  }
  if (slopes.length === 0) return { slope: 0, risingShare: 0 };
  slopes.sort((a, b) => a - b);
  // Ties (a floor that held between two GCs) say nothing about direction.
  return {
    slope: medianSorted(slopes),
    risingShare: rising + falling === 0 ? 0 : rising / (rising + falling),
  };
}
