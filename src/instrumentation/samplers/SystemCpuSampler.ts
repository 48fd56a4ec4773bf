// system.cpu.utilization: the busy share of all cores over each interval, from the
// kernel's per-core times (os.cpus()).

import os from "node:os";
import { METRIC_SYSTEM_CPU_UTILIZATION } from "../../semconv.js";
import { PolledGaugeSampler } from "./PolledGaugeSampler.js";
import type { SamplerConfig } from "./ResourceSampler.js";

export class SystemCpuSampler extends PolledGaugeSampler {
  #last = systemTimes();

  constructor(config: SamplerConfig = {}) {
    super(
      {
        name: METRIC_SYSTEM_CPU_UTILIZATION,
        unit: "1",
        description: "Busy fraction of all cores",
      },
      config,
    );
  }

  get utilization(): number | undefined {
    return this.value;
  }

  protected begin(): void {
    this.#last = systemTimes();
  }

  protected read(): number | undefined {
    const now = systemTimes();
    const busy = now.busy - this.#last.busy;
    const total = now.total - this.#last.total;
    this.#last = now;
    return total > 0 ? busy / total : undefined;
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
