// Starts the process, V8, event-loop, system and GPU samplers on a meter and returns one
// handle to stop them all.

import { metrics, type Meter } from "@opentelemetry/api";
import { VERSION } from "../../version.js";
import { INSTRUMENTATION_SCOPE } from "../../semconv.js";
import { ResourceSamplerSet, type ResourceSamplerSetConfig } from "./ResourceSamplerSet.js";

export interface ResourceSamplersConfig extends ResourceSamplerSetConfig {
  /** Default: the global meter provider's voxtrace meter. */
  meter?: Meter;
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
  const samplers = new ResourceSamplerSet(config);
  await samplers.start(config.meter ?? metrics.getMeter(INSTRUMENTATION_SCOPE, VERSION));
  return samplers;
}
