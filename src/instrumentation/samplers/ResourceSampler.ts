// The small interface every resource sampler implements; startResourceSamplers drives
// a list of them.

import type { Meter } from "@opentelemetry/api";

export interface ResourceSampler {
  /** Creates the sampler's instruments on `meter` and starts any background refresh. */
  start(meter: Meter): Promise<void>;
  /** Stops timers and child processes; idempotent. */
  stop(): void;
}
