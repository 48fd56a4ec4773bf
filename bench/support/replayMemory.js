// Replays a memory trace of heapCorpus.js through an analyzer, sample by sample: RSS alone,
// or with the heap after GC (from the first major GC on) and native memory, as a process
// reports them from inside. The caller passes the analyzer's class, its rules and the
// metric names, from dist/ (the bench) or src/ (the tests).

/**
 * The memory_leak alerts over `trace` as [fired, resolved] data times (resolved: Infinity
 * while still firing at the end), with `own` the process's own series too. `analysis`:
 * { Analyzer, rules, metrics: { rss, heapAfterGc, native } }.
 */
export function memoryLeakAlerts({ Analyzer, rules, metrics }, { t, v, heap, native }, own) {
  const analyzer = new Analyzer({ rules, sessionId: "replay", intervalMs: 5000, now: () => 0 });
  const alerts = [];
  analyzer.onAlert((alert) => {
    if (alert.data.rule !== "memory_leak") return;
    if (alert.type === "AlertFired") alerts.push([alert.time, Infinity]);
    else if (alert.type === "AlertResolved" && alerts.length > 0) alerts.at(-1)[1] = alert.time;
  });
  const gauge = (metric, value) => ({ type: "GaugeObserved", data: { metric, value } });
  for (let i = 0; i < t.length; i++) {
    const seen = [gauge(metrics.rss, v[i])];
    if (own) {
      if (!Number.isNaN(heap[i])) seen.push(gauge(metrics.heapAfterGc, heap[i]));
      seen.push(gauge(metrics.native, native[i]));
    }
    analyzer.observe(seen, t[i]);
  }
  return alerts;
}
