// process.memory.usage (resident set size), voxtrace.memory.native (RSS minus the V8
// heap: ONNX Runtime, addons, buffers) and voxtrace.memory.external (C++ memory bound
// to JS objects, ArrayBuffers included). All come from one process.memoryUsage() call
// made when the SDK collects: no timer, and the leak detector sees memory as it is at
// each collection. Where the process's cgroup has a memory limit, voxtrace.memory.limit
// reports it (read at start), so a leak alert can say when it will be reached.

import type { BatchObservableCallback, Meter } from "@opentelemetry/api";
import {
  METRIC_EXTERNAL_MEMORY,
  METRIC_MEMORY_LIMIT,
  METRIC_NATIVE_MEMORY,
  METRIC_PROCESS_MEMORY_USAGE,
} from "../../semconv.js";
import { readCgroupMemoryLimit, type CgroupPaths } from "./cgroupMemoryLimit.js";
import type { ResourceSampler } from "./ResourceSampler.js";

export class ProcessMemorySampler implements ResourceSampler {
  #detach: (() => void) | undefined;
  readonly #cgroup: CgroupPaths;

  /** `cgroup`: where to read the memory limit (tests point it at a fake cgroupfs). */
  constructor(options: { cgroup?: CgroupPaths } = {}) {
    this.#cgroup = options.cgroup ?? {};
  }

  start(meter: Meter): Promise<void> {
    if (this.#detach) return Promise.resolve();
    const rss = meter.createObservableGauge(METRIC_PROCESS_MEMORY_USAGE, {
      unit: "By",
      description: "Resident set size",
    });
    const native = meter.createObservableGauge(METRIC_NATIVE_MEMORY, {
      unit: "By",
      description: "Resident memory outside the V8 heap (RSS minus V8 heap total)",
    });
    const external = meter.createObservableGauge(METRIC_EXTERNAL_MEMORY, {
      unit: "By",
      description: "Memory of C++ objects bound to JS objects, ArrayBuffers included",
    });
    const limit = readCgroupMemoryLimit(this.#cgroup);
    const limitGauge =
      limit === undefined
        ? undefined
        : meter.createObservableGauge(METRIC_MEMORY_LIMIT, {
            unit: "By",
            description: "Memory limit of this process's cgroup (container or service)",
          });
    const callback: BatchObservableCallback = (result) => {
      const memory = process.memoryUsage();
      result.observe(rss, memory.rss);
      // Heap pages V8 has committed but the kernel has not yet made resident can put
      // heapTotal above RSS for a moment; there is no negative native memory.
      result.observe(native, Math.max(0, memory.rss - memory.heapTotal));
      result.observe(external, memory.external);
      if (limitGauge && limit !== undefined) result.observe(limitGauge, limit);
    };
    const observables = limitGauge ? [rss, native, external, limitGauge] : [rss, native, external];
    meter.addBatchObservableCallback(callback, observables);
    this.#detach = () => meter.removeBatchObservableCallback(callback, observables);
    return Promise.resolve();
  }

  stop(): void {
    this.#detach?.();
    this.#detach = undefined;
  }
}
