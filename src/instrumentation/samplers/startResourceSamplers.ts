// Starts the chosen resource samplers on a meter and returns one handle to stop them all:
// the one owner of the sampler list, used by the CLI and by VoxtraceInstrumentation.

import { metrics, type Meter } from "@opentelemetry/api";
import { VERSION } from "../../version.js";
import { INSTRUMENTATION_SCOPE } from "../../semconv.js";
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

export interface ResourceSamplersConfig {
  /** Default: the global meter provider's voxtrace meter. */
  meter?: Meter;
  /** Refresh interval of the CPU and event-loop readings. Default 1000 ms. */
  intervalMs?: number;
  /** Which samplers run. Default all of SAMPLER_NAMES. */
  samplers?: readonly SamplerName[];
  /** GPU sampling options, or false for none (same as leaving "gpu" out of samplers). */
  gpu?: GpuSamplerConfig | false;
}

export interface ResourceSamplers {
  /** Whether the GPU series exist (nvidia-smi answered at start). */
  readonly gpuAvailable: boolean;
  /** Stops every sampler's timer, observer and child process; idempotent. */
  stop(): void;
}

export async function startResourceSamplers(
  config: ResourceSamplersConfig = {},
): Promise<ResourceSamplers> {
  const meter = config.meter ?? metrics.getMeter(INSTRUMENTATION_SCOPE, VERSION);
  const intervalMs = config.intervalMs ?? DEFAULT_SAMPLER_INTERVAL_MS;
  const enabled = new Set<SamplerName>(config.samplers ?? SAMPLER_NAMES);
  const gpu = config.gpu === false || !enabled.has("gpu") ? undefined : new GpuSampler(config.gpu);
  const samplers: ResourceSampler[] = [
    ...(enabled.has("cpu")
      ? [new ProcessCpuSampler({ intervalMs }), new SystemCpuSampler({ intervalMs })]
      : []),
    ...(enabled.has("memory") ? [new ProcessMemorySampler()] : []),
    ...(enabled.has("heap") ? [new V8HeapSampler()] : []),
    ...(enabled.has("gc") ? [new GcSampler()] : []),
    ...(enabled.has("eventLoop") ? [new EventLoopDelaySampler({ intervalMs })] : []),
    ...(gpu ? [gpu] : []),
  ];
  await Promise.all(samplers.map((sampler) => sampler.start(meter)));
  return {
    gpuAvailable: gpu?.available ?? false,
    stop: () => samplers.forEach((sampler) => sampler.stop()),
  };
}
