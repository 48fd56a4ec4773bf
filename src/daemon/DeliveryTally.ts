// A sink that keeps count of what the daemon delivered and the latency of the recent
// utterances, so `ctl status` can answer from exact figures rather than histogram
// buckets.

import { quantileSorted } from "simple-statistics";
import type { Sink } from "../pipeline/sinks/Sink.js";
import type { Utterance } from "../pipeline/Utterance.js";

/** Latencies kept for the status P95: enough for a stable figure, a fixed 2 KiB. */
const RECENT = 256;

export class DeliveryTally implements Sink {
  #count = 0;
  readonly #recent = new Float64Array(RECENT);

  get count(): number {
    return this.#count;
  }

  /** P95 of end-of-speech-to-text latency over the last utterances, in ms; null before any. */
  latencyP95Ms(): number | null {
    const n = Math.min(this.#count, RECENT);
    if (n === 0) return null;
    const sorted = Array.from(this.#recent.subarray(0, n)).sort((a, b) => a - b);
    return quantileSorted(sorted, 0.95);
  }

  open(): Promise<void> {
    return Promise.resolve();
  }

  write(utterance: Utterance): Promise<void> {
    this.#recent[this.#count % RECENT] = utterance.latencyMs;
    this.#count += 1;
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
