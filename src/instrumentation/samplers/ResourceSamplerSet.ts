// The one owner of the resource-sampler list: builds the chosen samplers, starts them on
// one meter and stops them together. The CLI (through startResourceSamplers) and
// VoxtraceInstrumentation both drive their samplers through it.

import type { Meter } from "@opentelemetry/api";
import { EventLoopDelaySampler } from "./EventLoopDelaySampler.js";
import { GcSampler } from "./GcSampler.js";
import { GpuSampler, type GpuSamplerConfig } from "./GpuSampler.js";
import { ProcessCpuSampler } from "./ProcessCpuSampler.js";
import { ProcessMemorySampler } from "./ProcessMemorySampler.js";
import { DEFAULT_SAMPLER_INTERVAL_MS, type ResourceSampler } from "./ResourceSampler.js";
import { SystemCpuSampler } from "./SystemCpuSampler.js";
import { V8HeapSampler } from "./V8HeapSampler.js";

/**
 * cpu: process.cpu.utilization and system.cpu.utilization; memory: process.memory.usage,
 * voxtrace.memory.native and .external; heap: v8js.memory.heap.used and
 * voxtrace.memory.heap.after_gc; gc: v8js.gc.duration; eventLoop:
 * nodejs.eventloop.delay.p99; gpu: the hw.gpu.* and process.gpu.* series.
 */
export const SAMPLER_NAMES = ["cpu", "memory", "heap", "gc", "eventLoop", "gpu"] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

export interface ResourceSamplerSetConfig {
  /** Refresh interval of the CPU and event-loop readings. Default 1000 ms. */
  intervalMs?: number;
  /** Which samplers run. Default all of SAMPLER_NAMES. */
  samplers?: readonly SamplerName[];
  /** GPU sampling options, or false for none (same as leaving "gpu" out of samplers). */
  gpu?: GpuSamplerConfig | false;
}

export class ResourceSamplerSet {
  readonly #samplers: ResourceSampler[];
  readonly #gpu: GpuSampler | undefined;

  constructor(config: ResourceSamplerSetConfig = {}) {
    const intervalMs = config.intervalMs ?? DEFAULT_SAMPLER_INTERVAL_MS;
    const enabled = new Set<SamplerName>(config.samplers ?? SAMPLER_NAMES);
    this.#gpu =
      config.gpu === false || !enabled.has("gpu") ? undefined : new GpuSampler(config.gpu);
    this.#samplers = [
      ...(enabled.has("cpu")
        ? [new ProcessCpuSampler({ intervalMs }), new SystemCpuSampler({ intervalMs })]
        : []),
      ...(enabled.has("memory") ? [new ProcessMemorySampler()] : []),
      ...(enabled.has("heap") ? [new V8HeapSampler()] : []),
      ...(enabled.has("gc") ? [new GcSampler()] : []),
      ...(enabled.has("eventLoop") ? [new EventLoopDelaySampler({ intervalMs })] : []),
      ...(this.#gpu ? [this.#gpu] : []),
    ];
  }

  /** Whether the GPU series exist (nvidia-smi answered at start). */
  get gpuAvailable(): boolean {
    return this.#gpu?.available ?? false;
  }

  /**
   * Creates every gauge that needs no child process before it returns; the promise
   * settles once the GPU probe has answered.
   */
  async start(meter: Meter): Promise<void> {
    await Promise.all(this.#samplers.map((sampler) => sampler.start(meter)));
  }

  /** Stops every sampler's timer, observer and child process; idempotent. */
  stop(): void {
    for (const sampler of this.#samplers) sampler.stop();
  }
}
