// What a leak report says when it ends because its ramp or its next cycle floor showed the
// stop, on a trace of the bench's corpus (JS, as the corpus is).

import { expect, it } from "vitest";
import { leakTrace } from "../../../bench/support/leakCorpus.js";
import { LeakTracker } from "../../../src/analysis/leak/LeakTracker.js";

const MIN = 60_000;

it("says the floor fell short of the leak's pace when its ramp or next cycle floor ends the report", () => {
  // Seed 2051 of the tuning corpus: 5 MB/s under GC every 5-10 minutes. When it stops, the
  // rising cycle floors and the held pace would keep it reported; the ramp since the last
  // collection ends it, and says so.
  const trace = leakTrace(2051, { rateMBps: 5, shape: "steady", gcClass: "gc 5-10 min" });
  const tracker = new LeakTracker();
  let was = false;
  let last;
  for (let i = 0; i < trace.t.length; i++) {
    tracker.observe(trace.t[i], trace.v[i]);
    const verdict = tracker.verdict();
    if (was && !verdict.leaking && trace.t[i] > trace.leak.lastGrowth)
      last = { t: trace.t[i], verdict };
    was = verdict.leaking;
  }
  expect(last).toBeDefined();
  expect(last.verdict.reason).toMatch(
    /^leak of 4\.\d{3} MB\/s, but the floor rose only [\d.]+ MB over the last 3 min: growth has stopped$/,
  );
  expect(last.t - trace.leak.lastGrowth).toBeLessThan(10 * MIN);
});
