// Replays a memory trace of heapCorpus.js through an analyzer, sample by sample: RSS alone,
// or with the heap after GC (from the first major GC on) and native memory, as a process
// reports them from inside. The caller passes the analyzer and the metric names, from
// dist/ (the bench) or src/ (the tests).

/**
 * Feeds `trace` to `analyzer`, with `own` the process's own series too; `metrics` names
 * them: { rss, heapAfterGc, native }.
 */
export function replayMemory(analyzer, { t, v, heap, native }, own, metrics) {
  const gauge = (metric, value) => ({ type: "GaugeObserved", data: { metric, value } });
  for (let i = 0; i < t.length; i++) {
    const seen = [gauge(metrics.rss, v[i])];
    if (own) {
      if (!Number.isNaN(heap[i])) seen.push(gauge(metrics.heapAfterGc, heap[i]));
      seen.push(gauge(metrics.native, native[i]));
    }
    analyzer.observe(seen, t[i]);
  }
}
