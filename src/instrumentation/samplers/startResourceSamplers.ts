// Starts the process and GPU samplers on a meter and returns one handle to stop them.

import { metrics, type Meter } from "@opentelemetry/api";
import { VERSION } from "../../version.js";
import { INSTRUMENTATION_SCOPE } from "../semconv.js";
import { GpuSampler, type GpuSamplerConfig } from "./GpuSampler.js";
import { ProcessSampler } from "./ProcessSampler.js";
import type { ResourceSampler } from "./ResourceSampler.js";

export interface ResourceSamplers {
  readonly gpuAvailable: boolean;
  stop(): void;
}

export async function startResourceSamplers(
  options: { meter?: Meter; gpu?: GpuSamplerConfig } = {},
): Promise<ResourceSamplers> {
  const meter = options.meter ?? metrics.getMeter(INSTRUMENTATION_SCOPE, VERSION);
  const gpu = new GpuSampler(options.gpu);
  const samplers: ResourceSampler[] = [new ProcessSampler(), gpu];
  await Promise.all(samplers.map((sampler) => sampler.start(meter)));
  return {
    gpuAvailable: gpu.available,
    stop: () => samplers.forEach((sampler) => sampler.stop()),
  };
}
