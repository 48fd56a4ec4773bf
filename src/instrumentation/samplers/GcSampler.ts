// v8js.gc.duration: one histogram record per V8 garbage collection, by v8js.gc.type
// (major, minor, incremental, weakcb). Long or frequent major collections are what a
// growing heap costs the pipeline in pauses.

import { constants } from "node:perf_hooks";
import type { Attributes, Meter } from "@opentelemetry/api";
import { ATTR_V8_GC_TYPE, METRIC_V8_GC_DURATION } from "../../semconv.js";
import { observeGc } from "./observeGc.js";
import type { ResourceSampler } from "./ResourceSampler.js";

/** Minor collections take well under a millisecond, major ones up to hundreds. */
const GC_DURATION_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** Attribute sets made once, indexed by perf_hooks' GC kind flag. */
const GC_TYPE_ATTRIBUTES = new Map<number, Attributes>([
  [constants.NODE_PERFORMANCE_GC_MAJOR, { [ATTR_V8_GC_TYPE]: "major" }],
  [constants.NODE_PERFORMANCE_GC_MINOR, { [ATTR_V8_GC_TYPE]: "minor" }],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, { [ATTR_V8_GC_TYPE]: "incremental" }],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, { [ATTR_V8_GC_TYPE]: "weakcb" }],
]);

export class GcSampler implements ResourceSampler {
  #stop: (() => void) | undefined;

  start(meter: Meter): Promise<void> {
    if (this.#stop) return Promise.resolve();
    const duration = meter.createHistogram(METRIC_V8_GC_DURATION, {
      unit: "s",
      description: "Duration of one V8 garbage collection",
      advice: { explicitBucketBoundaries: GC_DURATION_BUCKETS_S },
    });
    this.#stop = observeGc((kind, durationMs) => {
      const attributes = GC_TYPE_ATTRIBUTES.get(kind);
      if (attributes) duration.record(durationMs / 1000, attributes);
    });
    return Promise.resolve();
  }

  stop(): void {
    this.#stop?.();
    this.#stop = undefined;
  }
}
