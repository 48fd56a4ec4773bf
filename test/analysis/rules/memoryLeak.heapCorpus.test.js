// The memory_leak rule on traces of the bench's second corpus (JS, as the corpus is): a
// collector that sizes its cycles by the heap that survives them, as V8's does.

import { describe, expect, it } from "vitest";
import { Analyzer } from "../../../src/analysis/Analyzer.js";
import { applyRuleOverrides } from "../../../src/analysis/RulesConfig.js";
import {
  METRIC_HEAP_AFTER_GC,
  METRIC_NATIVE_MEMORY,
  METRIC_PROCESS_MEMORY_USAGE,
} from "../../../src/semconv.js";
import { memoryLeakAlerts } from "../../../bench/support/replayMemory.js";
import { HEAP_REGIMES, heapLeakTrace } from "../../../bench/support/heapCorpus.js";

const ANALYSIS = {
  Analyzer,
  rules: applyRuleOverrides([]),
  metrics: {
    rss: METRIC_PROCESS_MEMORY_USAGE,
    heapAfterGc: METRIC_HEAP_AFTER_GC,
    native: METRIC_NATIVE_MEMORY,
  },
};

/** Data times the memory_leak alert fired at, replayed on RSS alone or with `own` series. */
function firedAt(trace, own) {
  return memoryLeakAlerts(ANALYSIS, trace, own).map(([fired]) => fired);
}

/** How long after its start the leak in `trace` was reported, with the own series; Infinity if not before it stopped. */
function delay(trace) {
  const first = firedAt(trace, true).find((t) => t >= trace.leak.start);
  return first === undefined || first > trace.leak.stop ? Infinity : first - trace.leak.start;
}

// Tuning seeds of bench/support/heapCorpus.js: a collector that sizes its cycles by the
// heap that survives them, as V8's does (the bench judges on others).
const seeds = Array.from({ length: 20 }, (_, i) => 12001 + i);

describe("memory_leak on a process whose collector follows its heap", () => {
  it("stays quiet on caches when the process reports its heap after GC and native memory", () => {
    // After a cache fills, the collections free more than any before, and RSS climbs past
    // them as a leak would: on RSS alone 6 of these 20 half-days fire.
    const traces = seeds.map((seed) => HEAP_REGIMES["one-off steps"](seed, 0.5));
    const alone = traces.filter((trace) => firedAt(trace, false).length > 0).length;
    expect(alone).toBeGreaterThanOrEqual(4);
    for (const trace of traces) expect(firedAt(trace, true)).toEqual([]);
  });

  it("still finds a native leak through RSS, and a JS leak through the heap after GC", () => {
    for (const [kind, rate, within] of [
      ["native", 1, 6 * 60_000],
      ["js", 1, 8 * 60_000],
    ]) {
      const delays = seeds.slice(0, 10).map((seed) => delay(heapLeakTrace(seed, rate, kind)));
      expect(Math.max(...delays), `${kind}: ${delays.join(", ")}`).toBeLessThanOrEqual(within);
    }
  });

  it("reports a fast JS leak while it goes on, its major GCs seconds apart", () => {
    // 5 MB/s for 4 minutes, on all 60 tuning seeds: the leak brings major GCs 20-50 s
    // apart, and each reading of the heap after GC counts. Asking a minute between
    // readings, 10 were first reported after the leak had stopped; asking two minutes of
    // two big jumps, as of cycle floors, 2.
    const all = Array.from({ length: 60 }, (_, i) => 12001 + i);
    const delays = all.map((seed) => delay(heapLeakTrace(seed, 5, "js")));
    expect(Math.max(...delays), delays.join(", ")).toBeLessThanOrEqual(4 * 60_000);
  });
});
