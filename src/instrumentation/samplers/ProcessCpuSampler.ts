// process.cpu.utilization: this process's CPU time over each interval divided by the
// interval and by every core available to it (semantic conventions: 1.0 = all cores busy).

import os from "node:os";
import type { Meter } from "@opentelemetry/api";
import { METRIC_PROCESS_CPU_UTILIZATION } from "../../semconv.js";
import {
  DEFAULT_SAMPLER_INTERVAL_MS,
  every,
  type ResourceSampler,
  type SamplerConfig,
} from "./ResourceSampler.js";

export class ProcessCpuSampler implements ResourceSampler {
  readonly #intervalMs: number;
  readonly #cores = os.availableParallelism();
  #lastCpu = process.cpuUsage();
  #lastTime = performance.now();
  #utilization: number | undefined;
  #stop: (() => void) | undefined;

  constructor(config: SamplerConfig = {}) {
    this.#intervalMs = config.intervalMs ?? DEFAULT_SAMPLER_INTERVAL_MS;
  }

  /** The last interval's utilization; undefined until one interval has passed. */
  get utilization(): number | undefined {
    return this.#utilization;
  }

  start(meter: Meter): Promise<void> {
    if (this.#stop) return Promise.resolve();
    this.#lastCpu = process.cpuUsage();
    this.#lastTime = performance.now();
    meter
      .createObservableGauge(METRIC_PROCESS_CPU_UTILIZATION, {
        unit: "1",
        description: "Process CPU time over wall time, as a fraction of all cores",
      })
      .addCallback((result) => {
        if (this.#utilization !== undefined) result.observe(this.#utilization);
      });
    this.#stop = every(this.#intervalMs, () => this.sample());
    return Promise.resolve();
  }

  /** Closes the current interval (the timer calls this; tests may too). */
  sample(): void {
    const now = performance.now();
    const cpu = process.cpuUsage(this.#lastCpu);
    const elapsedUs = (now - this.#lastTime) * 1000;
    this.#lastCpu = process.cpuUsage();
    this.#lastTime = now;
    if (elapsedUs > 0) {
      this.#utilization = Math.min(1, (cpu.user + cpu.system) / (elapsedUs * this.#cores));
    }
  }

  stop(): void {
    this.#stop?.();
    this.#stop = undefined;
  }
}
