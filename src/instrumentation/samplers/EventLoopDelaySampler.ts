// nodejs.eventloop.delay.p99: the 99th percentile of event-loop delay over each
// interval, from perf_hooks' monitorEventLoopDelay. A busy loop here means stalls in
// the pipeline's audio handling.

import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import { METRIC_EVENT_LOOP_DELAY } from "../../semconv.js";
import { PolledGaugeSampler } from "./PolledGaugeSampler.js";
import type { SamplerConfig } from "./ResourceSampler.js";

export class EventLoopDelaySampler extends PolledGaugeSampler {
  #histogram: IntervalHistogram | undefined;

  constructor(config: SamplerConfig = {}) {
    super(
      {
        name: METRIC_EVENT_LOOP_DELAY,
        unit: "s",
        description: "Event-loop delay, 99th percentile over the last interval",
      },
      config,
    );
  }

  get p99Seconds(): number | undefined {
    return this.value;
  }

  protected begin(): void {
    this.#histogram = monitorEventLoopDelay({ resolution: 20 });
    this.#histogram.enable();
  }

  protected read(): number | undefined {
    const histogram = this.#histogram;
    if (!histogram || histogram.count === 0) return undefined;
    const p99Seconds = histogram.percentile(99) / 1e9;
    histogram.reset();
    return p99Seconds;
  }

  protected override end(): void {
    this.#histogram?.disable();
    this.#histogram = undefined;
  }
}
