// process.memory.usage (resident set size) and v8js.memory.heap.used. Both are cheap,
// synchronous reads of a current value, so they are taken when the SDK collects: no
// timer, and the leak detector sees memory as it is at each collection.

import type { Meter } from "@opentelemetry/api";
import { METRIC_PROCESS_MEMORY_USAGE, METRIC_V8_HEAP_USED } from "../../semconv.js";
import { attachGauge } from "./attachGauge.js";
import type { ResourceSampler } from "./ResourceSampler.js";

export class ProcessMemorySampler implements ResourceSampler {
  #detach: (() => void)[] | undefined;

  start(meter: Meter): Promise<void> {
    if (this.#detach) return Promise.resolve();
    this.#detach = [
      attachGauge(
        meter,
        { name: METRIC_PROCESS_MEMORY_USAGE, unit: "By", description: "Resident set size" },
        (result) => result.observe(process.memoryUsage.rss()),
      ),
      attachGauge(
        meter,
        { name: METRIC_V8_HEAP_USED, unit: "By", description: "V8 heap in use, all spaces" },
        (result) => result.observe(process.memoryUsage().heapUsed),
      ),
    ];
    return Promise.resolve();
  }

  stop(): void {
    this.#detach?.forEach((detach) => detach());
    this.#detach = undefined;
  }
}
