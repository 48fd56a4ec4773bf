// memory_leak: memory keeps growing faster than the threshold, beyond what GC cycles, noise,
// start-up and one-off steps explain. One LeakTracker per series that can show a leak: the
// V8 heap right after a major GC (JS), native memory (RSS minus heap: ONNX Runtime, addons),
// this process's GPU memory, and RSS as the fallback every process has. The alert says which
// grows, how fast (with its confidence interval), since when, and how long until a known
// limit (the GPU's memory, or the cgroup's memory limit for host memory). Start-up needs no
// fixed warm-up: the tracker tells growth that flattens from a leak.

import { spanOfTime } from "../../text/spanOfTime.js";
import { LOW_SPAN_MS, LeakTracker } from "../leak/LeakTracker.js";
import { DEFAULT_LEAK_TRACKER_CONFIG, type LeakTrackerConfig } from "../leak/LeakTrackerConfig.js";
import type { LeakVerdict } from "../leak/LeakVerdict.js";
import type { RuleConfig } from "../RulesConfig.js";
import type { GaugeSeries } from "../SeriesTable.js";
import type { Judgement, Rule } from "./Rule.js";

/** Watched series, most telling first: the first that leaks names the alert. */
const WATCHED = [
  ["heapAfterGc", "JS heap after GC"],
  ["nativeMemory", "native memory"],
  ["processGpu", "GPU memory"],
  ["memory", "RSS"],
] as const satisfies readonly (readonly [GaugeSeries, string])[];

type Watched = (typeof WATCHED)[number][0];

/**
 * Tracker settings of series with no GC saw-tooth by construction: the heap is read right
 * after each major GC, and GPU memory is not garbage-collected. Their trackers wait for no
 * GC cycle, so a ramp is judged at once; RSS and native memory may be a GC ramp until it
 * has lasted one. The heap after GC is a reading at each major GC, repeated until the
 * next: each change is one, however soon after the last.
 */
const SERIES_CONFIG: Partial<Record<Watched, Partial<LeakTrackerConfig>>> = {
  heapAfterGc: { maxGcCycleMs: 0, readAtGc: true },
  processGpu: { maxGcCycleMs: 0 },
};

/**
 * Where the process reports its heap after GC and its native memory, RSS adds to them only
 * the collector's garbage and the pages it keeps, and V8 sizes its collections
 * by the heap that survives them: after a cache fills, its collections free more than any
 * before, and RSS climbs past them as a leak does. The heap after GC sees past that, so RSS
 * names a leak there only while native memory rose with it, by at least this share of
 * its rate (RSS sees a native leak sooner than native memory's own tracker, which waits
 * for a GC rhythm that series does not have).
 */
const NATIVE_SHARE = 0.5;

interface Memo {
  trackers: Partial<Record<Watched, LeakTracker>>;
  latest: Partial<Record<Watched, number>>;
  gpuLimit: number | undefined;
  /** The cgroup's memory limit, where the process has one. */
  memoryLimit: number | undefined;
  judgement: Judgement | undefined;
}

export const memoryLeakRule: Rule<Memo> = {
  name: "memory_leak",
  inputs: [...WATCHED.map(([key]) => key), "gpuLimit", "memoryLimit"],
  init: () => ({
    trackers: {},
    latest: {},
    gpuLimit: undefined,
    memoryLimit: undefined,
    judgement: undefined,
  }),
  observe(memo, input, { config, time, warmEnd }) {
    if (input.kind !== "gauge") return undefined;
    if (input.key === "gpuLimit" || input.key === "memoryLimit") {
      memo[input.key] = input.v;
      return memo.judgement;
    }
    const key = input.key as Watched;
    if (input.t < warmEnd) return undefined;
    let tracker = memo.trackers[key];
    if (!tracker) {
      tracker = new LeakTracker({ ...trackerConfig(config), ...SERIES_CONFIG[key] });
      memo.trackers[key] = tracker;
    }
    tracker.observe(input.t, input.v);
    memo.latest[key] = input.v;
    memo.judgement = judge(memo, time);
    return memo.judgement;
  },
  formatThreshold: (threshold) => `${threshold / 1e6} MB/s`,
};

function judge(memo: Memo, time: number): Judgement | undefined {
  let shown: { label: string; key: Watched; verdict: LeakVerdict } | undefined;
  for (const [key, label] of WATCHED) {
    const tracked = memo.trackers[key]?.verdict();
    if (!tracked || tracked.windowMs === 0) continue;
    const verdict =
      key === "memory" && tracked.leaking && !rssCarriesLeak(memo, tracked, time)
        ? { ...tracked, leaking: false }
        : tracked;
    if (verdict.leaking) {
      shown = { label, key, verdict };
      break;
    }
    shown ??= { label, key, verdict };
  }
  if (!shown) return undefined;
  const { label, key, verdict } = shown;
  const latest = memo.latest[key];
  const gpuLimit = memo.gpuLimit;
  const memoryLimit = memo.memoryLimit;
  const rss = memo.latest.memory;
  const describe = (): string => {
    const mb = (bytes: number): string => (bytes / 1e6).toFixed(3);
    let text = `${label} growing ${mb(verdict.slope)} MB/s (${mb(verdict.slopeLow)} to ${mb(verdict.slopeHigh)})`;
    if (verdict.leaking && verdict.since !== undefined)
      text += ` for ${spanOfTime(time - verdict.since)}`;
    // GPU memory grows towards the GPU's size; host memory counts against the cgroup's
    // limit, which RSS approaches.
    const until =
      key === "processGpu"
        ? gpuLimit && latest !== undefined
          ? { limit: gpuLimit, level: latest, what: "GPU memory full" }
          : undefined
        : memoryLimit && rss !== undefined
          ? {
              limit: memoryLimit,
              level: rss,
              what: `memory limit (${(memoryLimit / 1e9).toFixed(2)} GB) reached`,
            }
          : undefined;
    if (verdict.leaking && verdict.slope > 0 && until) {
      // At the rate stated, and within the rate's interval: soonest at its top, latest at
      // its bottom (never, when that is no growth); a range only where it is one.
      const room = Math.max(0, until.limit - until.level) * 1000;
      const soonest = spanOfTime(room / verdict.slopeHigh);
      const last = verdict.slopeLow > 0 ? spanOfTime(room / verdict.slopeLow) : "never";
      text += `, ${until.what} in ${spanOfTime(room / verdict.slope)}`;
      if (soonest !== last) text += ` (${soonest} to ${last})`;
    }
    return `${text}: ${verdict.reason}`;
  };
  return { value: verdict.slope, holds: verdict.leaking, clears: !verdict.leaking, describe };
}

/**
 * Whether RSS's leak `verdict` stands at data time `time`: always on RSS alone; where the
 * process also reports its heap after GC and native memory, only while native memory rose
 * since the leak began by NATIVE_SHARE of RSS's rate (lowest minute against lowest minute).
 */
function rssCarriesLeak(memo: Memo, verdict: LeakVerdict, time: number): boolean {
  const native = memo.trackers.nativeMemory;
  if (!native || !memo.trackers.heapAfterGc) return true;
  const since = verdict.since ?? time - verdict.windowMs;
  const rose = native.lowRise(since, time);
  if (Number.isNaN(rose)) return true;
  return rose >= (NATIVE_SHARE * verdict.slope * Math.max(time - since, LOW_SPAN_MS)) / 1000;
}

/**
 * The tracker's settings from the rule's: the threshold is the smallest growth worth an alert,
 * the window the longest the tracker looks back. A window shorter than the tracker's shortest
 * (a fire drill on a short file) is judged on its own, with growth allowances scaled to it.
 */
function trackerConfig(config: RuleConfig): Partial<LeakTrackerConfig> {
  const defaults = DEFAULT_LEAK_TRACKER_CONFIG;
  const windowsMs = defaults.windowsMs.filter((ms) => ms <= config.window);
  // A leak resumed within resolve_for keeps its alert up; later it would raise a new one.
  const resumeMs = config.resolve_for;
  if (windowsMs.length > 0) return { minSlope: config.threshold, windowsMs, resumeMs };
  const growth = (config.threshold * config.window) / 1000 / 2;
  return {
    minSlope: config.threshold,
    resumeMs,
    windowsMs: [config.window],
    bucketMs: Math.max(100, Math.min(defaults.bucketMs, config.window / 12)),
    minHorizonMs: Math.max(100, Math.min(defaults.minHorizonMs, config.window / 12)),
    maxGcCycleMs: Math.min(defaults.maxGcCycleMs, config.window / 2),
    minGrowth: growth,
    burstGrowth: growth,
  };
}
