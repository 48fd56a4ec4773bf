// nodejs.eventloop.delay.p99: the 99th percentile of event-loop delay over each
// interval, from perf_hooks' monitorEventLoopDelay. A busy loop here means stalls in
// the pipeline's audio handling.

import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import type { Meter } from "@opentelemetry/api";
import { METRIC_EVENT_LOOP_DELAY } from "../../semconv.js";
import {
  DEFAULT_SAMPLER_INTERVAL_MS,
  every,
  type ResourceSampler,
  type SamplerConfig,
} from "./ResourceSampler.js";

export class EventLoopDelaySampler implements ResourceSampler {
  readonly #intervalMs: number;
  #histogram: IntervalHistogram | undefined;
  #p99Seconds: number | undefined;
  #stop: (() => void) | undefined;

  constructor(config: SamplerConfig = {}) {
    this.#intervalMs = config.intervalMs ?? DEFAULT_SAMPLER_INTERVAL_MS;
  }

  get p99Seconds(): number | undefined {
    return this.#p99Seconds;
  }

  start(meter: Meter): Promise<void> {
    if (this.#stop) return Promise.resolve();
    this.#histogram = monitorEventLoopDelay({ resolution: 20 });
    this.#histogram.enable();
    meter
      .createObservableGauge(METRIC_EVENT_LOOP_DELAY, {
        unit: "s",
        description: "Event-loop delay, 99th percentile over the last interval",
      })
      .addCallback((result) => {
        if (this.#p99Seconds !== undefined) result.observe(this.#p99Seconds);
      });
    this.#stop = every(this.#intervalMs, () => this.sample());
    return Promise.resolve();
  }

  sample(): void {
    const histogram = this.#histogram;
    if (!histogram || histogram.count === 0) return;
    this.#p99Seconds = histogram.percentile(99) / 1e9;
    histogram.reset();
  }

  stop(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.#histogram?.disable();
    this.#histogram = undefined;
  }
}
