// process.cpu.utilization: this process's CPU time over each interval divided by the
// interval and by every core available to it (semantic conventions: 1.0 = all cores busy).

import os from "node:os";
import { METRIC_PROCESS_CPU_UTILIZATION } from "../../semconv.js";
import { PolledGaugeSampler } from "./PolledGaugeSampler.js";
import type { SamplerConfig } from "./ResourceSampler.js";

export class ProcessCpuSampler extends PolledGaugeSampler {
  readonly #cores = os.availableParallelism();
  #lastCpu = process.cpuUsage();
  #lastTime = performance.now();

  constructor(config: SamplerConfig = {}) {
    super(
      {
        name: METRIC_PROCESS_CPU_UTILIZATION,
        unit: "1",
        description: "Process CPU time over wall time, as a fraction of all cores",
      },
      config,
    );
  }

  /** The last interval's utilization; undefined until one interval has passed. */
  get utilization(): number | undefined {
    return this.value;
  }

  protected begin(): void {
    this.#lastCpu = process.cpuUsage();
    this.#lastTime = performance.now();
  }

  protected read(): number | undefined {
    const now = performance.now();
    const cpu = process.cpuUsage(this.#lastCpu);
    const elapsedUs = (now - this.#lastTime) * 1000;
    this.#lastCpu = process.cpuUsage();
    this.#lastTime = now;
    if (elapsedUs <= 0) return undefined;
    return Math.min(1, (cpu.user + cpu.system) / (elapsedUs * this.#cores));
  }
}
