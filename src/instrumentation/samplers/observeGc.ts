// Calls back once per V8 garbage collection with its kind (perf_hooks' GC kind flag) and
// duration, through a PerformanceObserver on `gc` entries; returns the function that
// stops observing. Entries are delivered shortly after each collection, not inside it.

import { PerformanceObserver, type NodeGCPerformanceDetail } from "node:perf_hooks";

export function observeGc(onGc: (kind: number, durationMs: number) => void): () => void {
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // @types/node leaves `detail` off the base entry class; on `gc` entries it is this.
      const detail = (entry as { detail?: NodeGCPerformanceDetail }).detail;
      if (detail) onGc(detail.kind, entry.duration);
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  return () => observer.disconnect();
}
