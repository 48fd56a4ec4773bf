// What a leak report says when it ends because its ramp or its next cycle floor showed the
// stop, on a trace of the bench's corpus (JS, as the corpus is).

import { expect, it } from "vitest";
import { leakTrace } from "../../../bench/support/leakCorpus.js";
import { LeakTracker } from "../../../src/analysis/leak/LeakTracker.js";

const MIN = 60_000;

it("says the floor fell short of the leak's pace when its ramp or next cycle floor ends the report", () => {
  // Seed 2051 of the tuning corpus: 5 MB/s under GC every 5-10 minutes. When it stops, the
  // rising cycle floors and the held pace would keep it reported; the ramp since the last
  // collection ends it, and the verdicts after say so. The floor after the next collection
  // then keeps it ended: it rose under 0.9 of the three steady cycles before it. Its report
  // ended 2.0 minutes after the stop; 7.9 before that floor counted, as it paused and
  // resumed, and the rising cycle floors raised it again.
  const trace = leakTrace(2051, { rateMBps: 5, shape: "steady", gcClass: "gc 5-10 min" });
  const tracker = new LeakTracker();
  let was = false;
  let end;
  const after = [];
  for (let i = 0; i < trace.t.length; i++) {
    tracker.observe(trace.t[i], trace.v[i]);
    const verdict = tracker.verdict();
    if (was && !verdict.leaking && trace.t[i] > trace.leak.lastGrowth) end = trace.t[i];
    if (!verdict.leaking && end !== undefined) after.push({ t: trace.t[i], verdict });
    else after.length = 0;
    was = verdict.leaking;
  }
  expect(end).toBeDefined();
  const next = after.find(({ t }) => t >= end + 30_000);
  expect(next.verdict.reason).toMatch(
    /^leak of 4\.\d{3} MB\/s, but the floor rose only [\d.]+ MB over the last 3 min: growth has stopped$/,
  );
  expect(end - trace.leak.lastGrowth).toBeLessThan(3 * MIN);
});
