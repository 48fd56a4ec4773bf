// A session's summary from its log: per-stage and utterance latency quantiles, CPU,
// memory and its growth rate, GPU peak, and the alerts.

// max loops: Math.max(...values) overflows the call stack past ~120k samples.
import { linearRegression, max as largest, mean } from "simple-statistics";
import {
  ATTR_STAGE,
  METRIC_GPU_MEMORY_USAGE,
  METRIC_PROCESS_CPU_UTILIZATION,
  METRIC_PROCESS_GPU_MEMORY_USAGE,
  METRIC_PROCESS_MEMORY_USAGE,
  METRIC_STAGE_DURATION,
  METRIC_UTTERANCE_LATENCY,
} from "../semconv.js";
import type { AlertEvent, ExplicitBuckets, RecordedEvent } from "./AnalyzerEvent.js";
import { histogramQuantile, mergeBuckets } from "./histogramQuantile.js";

export interface Quantiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface Summary {
  durationSeconds: number;
  utterances: number;
  latency: Quantiles;
  stages: Record<string, Quantiles>;
  cpu: { mean: number | null; max: number | null };
  memory: {
    first: number | null;
    last: number | null;
    peak: number | null;
    growthBytesPerSecond: number | null;
  };
  gpuPeakBytes: number | null;
  alerts: {
    time: number;
    type: AlertEvent["type"];
    rule: string;
    value: number;
    threshold: number;
  }[];
}

export function summarize(
  events: readonly RecordedEvent[],
  alerts: readonly RecordedEvent<AlertEvent>[],
): Summary {
  let latency: ExplicitBuckets | undefined;
  let latencyMax: number | undefined;
  const stages = new Map<string, ExplicitBuckets>();
  const cpu: number[] = [];
  const memory: [number, number][] = [];
  let gpuPeak: number | null = null;
  for (const event of events) {
    if (event.type === "HistogramObserved") {
      if (event.data.metric === METRIC_UTTERANCE_LATENCY) {
        latency = mergeBuckets(latency, event.data.buckets);
        if (event.data.max !== undefined) latencyMax = Math.max(latencyMax ?? 0, event.data.max);
      } else if (event.data.metric === METRIC_STAGE_DURATION) {
        const stage = String(event.data.attributes?.[ATTR_STAGE] ?? "unknown");
        stages.set(stage, mergeBuckets(stages.get(stage), event.data.buckets));
      }
    } else if (event.type === "GaugeObserved") {
      const { metric, value } = event.data;
      if (metric === METRIC_PROCESS_CPU_UTILIZATION) cpu.push(value);
      else if (metric === METRIC_PROCESS_MEMORY_USAGE) memory.push([event.time / 1000, value]);
      else if (metric === METRIC_PROCESS_GPU_MEMORY_USAGE || metric === METRIC_GPU_MEMORY_USAGE) {
        gpuPeak = Math.max(gpuPeak ?? 0, value);
      }
    }
  }
  const first = events[0]?.time ?? 0;
  const last = events[events.length - 1]?.time ?? first;
  const latencyQuantiles = quantiles(latency, latencyMax);
  return {
    durationSeconds: (last - first) / 1000,
    utterances: latencyQuantiles.count,
    latency: latencyQuantiles,
    stages: Object.fromEntries([...stages].map(([stage, buckets]) => [stage, quantiles(buckets)])),
    cpu: {
      mean: cpu.length ? mean(cpu) : null,
      max: cpu.length ? largest(cpu) : null,
    },
    memory: {
      first: memory[0]?.[1] ?? null,
      last: memory[memory.length - 1]?.[1] ?? null,
      peak: memory.length ? largest(memory.map((m) => m[1])) : null,
      growthBytesPerSecond: memory.length >= 2 ? linearRegression(memory).m : null,
    },
    gpuPeakBytes: gpuPeak,
    alerts: alerts.map((a) => ({
      time: a.time,
      type: a.type,
      rule: a.data.rule,
      value: a.data.value,
      threshold: a.data.threshold,
    })),
  };
}

function quantiles(buckets: ExplicitBuckets | undefined, max?: number): Quantiles {
  const count = buckets ? buckets.counts.reduce((a, b) => a + b, 0) : 0;
  const q = (p: number): number | null =>
    buckets && count > 0 ? histogramQuantile(p, buckets, max) : null;
  return { count, p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}
