// system.cpu.utilization: the busy share of all cores over each interval, from the
// kernel's per-core times (os.cpus()).

import os from "node:os";
import type { Meter } from "@opentelemetry/api";
import { METRIC_SYSTEM_CPU_UTILIZATION } from "../../semconv.js";
import {
  DEFAULT_SAMPLER_INTERVAL_MS,
  every,
  type ResourceSampler,
  type SamplerConfig,
} from "./ResourceSampler.js";

export class SystemCpuSampler implements ResourceSampler {
  readonly #intervalMs: number;
  #last = systemTimes();
  #utilization: number | undefined;
  #stop: (() => void) | undefined;

  constructor(config: SamplerConfig = {}) {
    this.#intervalMs = config.intervalMs ?? DEFAULT_SAMPLER_INTERVAL_MS;
  }

  get utilization(): number | undefined {
    return this.#utilization;
  }

  start(meter: Meter): Promise<void> {
    if (this.#stop) return Promise.resolve();
    this.#last = systemTimes();
    meter
      .createObservableGauge(METRIC_SYSTEM_CPU_UTILIZATION, {
        unit: "1",
        description: "Busy fraction of all cores",
      })
      .addCallback((result) => {
        if (this.#utilization !== undefined) result.observe(this.#utilization);
      });
    this.#stop = every(this.#intervalMs, () => this.sample());
    return Promise.resolve();
  }

  sample(): void {
    const now = systemTimes();
    const busy = now.busy - this.#last.busy;
    const total = now.total - this.#last.total;
    this.#last = now;
    if (total > 0) this.#utilization = busy / total;
  }

  stop(): void {
    this.#stop?.();
    this.#stop = undefined;
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
