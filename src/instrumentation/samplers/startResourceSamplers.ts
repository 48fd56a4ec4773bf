// Starts the process, system and GPU samplers on a meter and returns one handle to stop
// them all.

import { metrics, type Meter } from "@opentelemetry/api";
import { VERSION } from "../../version.js";
import { INSTRUMENTATION_SCOPE } from "../../semconv.js";
import { EventLoopDelaySampler } from "./EventLoopDelaySampler.js";
import { GpuSampler, type GpuSamplerConfig } from "./GpuSampler.js";
import { ProcessCpuSampler } from "./ProcessCpuSampler.js";
import { ProcessMemorySampler } from "./ProcessMemorySampler.js";
import { DEFAULT_SAMPLER_INTERVAL_MS, type ResourceSampler } from "./ResourceSampler.js";
import { SystemCpuSampler } from "./SystemCpuSampler.js";

export interface ResourceSamplersConfig {
  /** Default: the global meter provider's voxtrace meter. */
  meter?: Meter;
  /** Refresh interval of the CPU and event-loop readings. Default 1000 ms. */
  intervalMs?: number;
  /** GPU sampling options, or false for none. */
  gpu?: GpuSamplerConfig | false;
}

export interface ResourceSamplers {
  /** Whether the GPU series exist (nvidia-smi answered at start). */
  readonly gpuAvailable: boolean;
  /** Stops every sampler's timer and child process; idempotent. */
  stop(): void;
}

export async function startResourceSamplers(
  config: ResourceSamplersConfig = {},
): Promise<ResourceSamplers> {
  const meter = config.meter ?? metrics.getMeter(INSTRUMENTATION_SCOPE, VERSION);
  const intervalMs = config.intervalMs ?? DEFAULT_SAMPLER_INTERVAL_MS;
  const gpu = config.gpu === false ? undefined : new GpuSampler(config.gpu);
  const samplers: ResourceSampler[] = [
    new ProcessCpuSampler({ intervalMs }),
    new ProcessMemorySampler(),
    new EventLoopDelaySampler({ intervalMs }),
    new SystemCpuSampler({ intervalMs }),
    ...(gpu ? [gpu] : []),
  ];
  await Promise.all(samplers.map((sampler) => sampler.start(meter)));
  return {
    gpuAvailable: gpu?.available ?? false,
    stop: () => samplers.forEach((sampler) => sampler.stop()),
  };
}
