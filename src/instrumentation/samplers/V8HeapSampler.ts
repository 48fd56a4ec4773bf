// v8js.memory.heap.used, read at each collection, and voxtrace.memory.heap.after_gc: the
// heap in use just after the latest major (mark-compact) collection. The first rises and
// falls with every allocation burst; the second only moves when live objects do, which
// makes it the cleanest in-process leak signal. It is absent until a major GC has run.

import { constants } from "node:perf_hooks";
import v8 from "node:v8";
import type { Meter } from "@opentelemetry/api";
import { METRIC_HEAP_AFTER_GC, METRIC_V8_HEAP_USED } from "../../semconv.js";
import { attachGauge } from "./attachGauge.js";
import { observeGc } from "./observeGc.js";
import type { ResourceSampler } from "./ResourceSampler.js";

export class V8HeapSampler implements ResourceSampler {
  #afterMajorGc: number | undefined;
  #stop: (() => void) | undefined;

  /** Heap used right after the latest major GC seen since start; undefined before one. */
  get afterMajorGcBytes(): number | undefined {
    return this.#afterMajorGc;
  }

  start(meter: Meter): Promise<void> {
    if (this.#stop) return Promise.resolve();
    // The read comes shortly after the collection, not inside it, so it includes what
    // was allocated in between: small next to a leak.
    const stopObserving = observeGc((kind) => {
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR)
        this.#afterMajorGc = v8.getHeapStatistics().used_heap_size;
    });
    const detach = [
      attachGauge(
        meter,
        { name: METRIC_V8_HEAP_USED, unit: "By", description: "V8 heap in use, all spaces" },
        (result) => result.observe(v8.getHeapStatistics().used_heap_size),
      ),
      attachGauge(
        meter,
        {
          name: METRIC_HEAP_AFTER_GC,
          unit: "By",
          description: "V8 heap in use right after the latest major (mark-compact) GC",
        },
        (result) => {
          if (this.#afterMajorGc !== undefined) result.observe(this.#afterMajorGc);
        },
      ),
    ];
    this.#stop = () => {
      stopObserving();
      detach.forEach((d) => d());
    };
    return Promise.resolve();
  }

  stop(): void {
    this.#stop?.();
    this.#stop = undefined;
  }
}
