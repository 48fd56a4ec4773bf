// Process and system resources, read when the SDK collects (all cheap, synchronous
// calls): CPU as a fraction of all cores, RSS, V8 heap, event-loop delay, system CPU.

import os from "node:os";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { Meter } from "@opentelemetry/api";
import {
  METRIC_EVENT_LOOP_DELAY,
  METRIC_PROCESS_CPU_UTILIZATION,
  METRIC_PROCESS_MEMORY_USAGE,
  METRIC_SYSTEM_CPU_UTILIZATION,
  METRIC_V8_HEAP_USED,
} from "../semconv.js";
import type { ResourceSampler } from "./ResourceSampler.js";

export class ProcessSampler implements ResourceSampler {
  #loopDelay: IntervalHistogram | undefined;
  #lastCpu = process.cpuUsage();
  #lastTime = performance.now();
  #lastSystem = systemTimes();

  start(meter: Meter): Promise<void> {
    this.#loopDelay = monitorEventLoopDelay({ resolution: 20 });
    this.#loopDelay.enable();
    const cores = os.availableParallelism();
    meter
      .createObservableGauge(METRIC_PROCESS_CPU_UTILIZATION, {
        unit: "1",
        description: "Process CPU time over wall time, as a fraction of all cores",
      })
      .addCallback((result) => {
        const now = performance.now();
        const cpu = process.cpuUsage(this.#lastCpu);
        const elapsedUs = (now - this.#lastTime) * 1000;
        this.#lastCpu = process.cpuUsage();
        this.#lastTime = now;
        if (elapsedUs > 0)
          result.observe(Math.min(1, (cpu.user + cpu.system) / (elapsedUs * cores)));
      });
    meter
      .createObservableGauge(METRIC_PROCESS_MEMORY_USAGE, {
        unit: "By",
        description: "Resident set size",
      })
      .addCallback((result) => result.observe(process.memoryUsage.rss()));
    meter
      .createObservableGauge(METRIC_V8_HEAP_USED, { unit: "By", description: "V8 heap in use" })
      .addCallback((result) => result.observe(process.memoryUsage().heapUsed));
    meter
      .createObservableGauge(METRIC_EVENT_LOOP_DELAY, {
        unit: "s",
        description: "Event-loop delay, P99 since last read",
      })
      .addCallback((result) => {
        const histogram = this.#loopDelay;
        if (!histogram || histogram.count === 0) return;
        result.observe(histogram.percentile(99) / 1e9);
        histogram.reset();
      });
    meter
      .createObservableGauge(METRIC_SYSTEM_CPU_UTILIZATION, {
        unit: "1",
        description: "Busy fraction of all cores",
      })
      .addCallback((result) => {
        const now = systemTimes();
        const busy = now.busy - this.#lastSystem.busy;
        const total = now.total - this.#lastSystem.total;
        this.#lastSystem = now;
        if (total > 0) result.observe(busy / total);
      });
    return Promise.resolve();
  }

  stop(): void {
    this.#loopDelay?.disable();
    this.#loopDelay = undefined;
  }
}

function systemTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, irq, idle } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}
