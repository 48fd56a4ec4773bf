// The small interface every resource sampler implements; startResourceSamplers drives
// a list of them. Gauges report the sampler's last reading: anything that takes time
// (a child process, a delta over an interval) happens on the sampler's own unref'd
// timer, never inside the SDK's collect callback.

import type { Meter } from "@opentelemetry/api";

export interface ResourceSampler {
  /** Takes a first reading, creates the sampler's gauges on `meter`, starts its timer. */
  start(meter: Meter): Promise<void>;
  /** Stops its timer and any child process; idempotent. */
  stop(): void;
}

export interface SamplerConfig {
  /** How often the cached reading is refreshed. Default 1000 ms. */
  intervalMs?: number;
}

export const DEFAULT_SAMPLER_INTERVAL_MS = 1000;

/** An unref'd repeating timer, so a sampler never keeps the process alive. */
export function every(ms: number, tick: () => void): () => void {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
}
