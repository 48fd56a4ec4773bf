// The skeleton shared by samplers whose value needs an interval (a CPU-time delta, an
// event-loop percentile): read on an unref'd timer, report the last reading at each
// collection, absent until the first interval has closed. Subclasses say only how to
// begin an interval and how to close one.

import type { Meter, ObservableResult } from "@opentelemetry/api";
import { attachGauge, type GaugeSpec } from "./attachGauge.js";
import {
  DEFAULT_SAMPLER_INTERVAL_MS,
  every,
  type ResourceSampler,
  type SamplerConfig,
} from "./ResourceSampler.js";

export abstract class PolledGaugeSampler implements ResourceSampler {
  readonly #spec: GaugeSpec;
  readonly #intervalMs: number;
  #value: number | undefined;
  #stop: (() => void) | undefined;

  protected constructor(spec: GaugeSpec, config: SamplerConfig = {}) {
    this.#spec = spec;
    this.#intervalMs = config.intervalMs ?? DEFAULT_SAMPLER_INTERVAL_MS;
  }

  /** The last interval's reading; undefined until one interval has closed. */
  protected get value(): number | undefined {
    return this.#value;
  }

  start(meter: Meter): Promise<void> {
    if (this.#stop) return Promise.resolve();
    this.begin();
    const detach = attachGauge(meter, this.#spec, (result: ObservableResult) => {
      if (this.#value !== undefined) result.observe(this.#value);
    });
    const stopTimer = every(this.#intervalMs, () => this.sample());
    this.#stop = () => {
      stopTimer();
      detach();
    };
    return Promise.resolve();
  }

  /** Closes the current interval (the timer calls this; tests may too). */
  sample(): void {
    const value = this.read();
    // An interval with nothing to measure keeps the last reading.
    if (value !== undefined) this.#value = value;
  }

  stop(): void {
    if (!this.#stop) return;
    this.#stop();
    this.#stop = undefined;
    this.end();
  }

  /** Sets the baseline the first interval is measured from. */
  protected abstract begin(): void;
  /** Closes an interval and starts the next; undefined when it measured nothing. */
  protected abstract read(): number | undefined;
  /** Releases whatever begin() acquired. */
  protected end(): void {}
}
