// How soon any detector could tell a fast steady leak from what a healthy process does, on
// the corpus's traces. It must stay quiet on start-up growth of up to 100 MB (the issue's
// own figure), on a cache filling or a model loading within 30 s (the corpus's one-off
// steps, of up to 300 MB), and on any garbage the trace's GC class can pile up. So it
// cannot report before the leak has grown for longer than a cache fills and added more
// than the allowance beyond the most garbage the class could hold at that moment: at most
// its largest GC threshold, and at most that much per shortest cycle since the last
// collection. It is judged with what the simulator knows and no detector does (the true
// garbage, the moment of each collection to the sample, no noise), so a real detector can
// only be later: this is a bound on the delay, not an estimate.

import { THRESHOLD_SPREAD } from "./leakCorpus.js";

/** What start-up may add at once without an alert: the "up to ~100 MB". */
export const STARTUP_ALLOWANCE_BYTES = 100e6;
/** How long a cache may take to fill, or a model to load: any growth that short is one. */
export const ONE_OFF_MS = 30_000;

/**
 * The earliest time after a steady leak's start (ms), past ONE_OFF_MS, at which `trace`
 * (leakTrace) shows more than `allowanceBytes` of growth that no garbage of its GC class
 * explains, or Infinity if it never does before the leak stops.
 */
export function earliestVisible(trace, allowanceBytes = STARTUP_ALLOWANCE_BYTES) {
  const { t, garbage, leak, gc } = trace;
  if (leak.shape !== "steady") throw new Error("earliestVisible: steady leaks only");
  const bytesPerMs = (leak.rateMBps * 1e6) / 1000;
  const most = gc.amplitude * (1 + THRESHOLD_SPREAD);
  let lastDrop = t[0];
  for (let i = 0; i < t.length && t[i] <= leak.stop; i++) {
    // A collection between two samples is taken at the later one: the best case.
    if (i > 0 && garbage[i] < garbage[i - 1]) lastDrop = t[i];
    if (t[i] <= leak.start + ONE_OFF_MS) continue;
    const grown = bytesPerMs * (t[i] - leak.start);
    // The envelope holds the true garbage at least: the best case is that no more could be.
    const couldBe = Math.max(
      garbage[i],
      Math.min(most, (most * (t[i] - lastDrop)) / gc.minCycleMs),
    );
    if (grown + garbage[i] - couldBe > allowanceBytes) return t[i] - leak.start;
  }
  return Infinity;
}
