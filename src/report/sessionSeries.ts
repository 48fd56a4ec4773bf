// Time series of one session, read from its event log, for charts and comparisons:
// per-interval utterance latency (mean and P95), per-stage mean durations, CPU, memory,
// GPU memory, and the rule thresholds the session ran with.

import {
  ATTR_STAGE,
  METRIC_GPU_MEMORY_USAGE,
  METRIC_PROCESS_CPU_UTILIZATION,
  METRIC_PROCESS_GPU_MEMORY_USAGE,
  METRIC_PROCESS_MEMORY_USAGE,
  METRIC_STAGE_DURATION,
  METRIC_UTTERANCE_LATENCY,
} from "../semconv.js";
import type { RecordedEvent } from "../analysis/AnalyzerEvent.js";
import { histogramQuantile } from "../analysis/histogramQuantile.js";
import { DEFAULT_RULES, type RulesConfig } from "../analysis/RulesConfig.js";

export interface Point {
  t: number; // Unix seconds
  v: number;
}

export interface SessionSeries {
  rules: RulesConfig;
  latencyMean: Point[];
  latencyP95: Point[];
  /** Per stage: mean duration of the units of work in each interval, seconds. */
  stages: Record<string, Point[]>;
  cpu: Point[];
  memory: Point[];
  gpuMemory: Point[];
}

export function sessionSeries(events: readonly RecordedEvent[]): SessionSeries {
  const series: SessionSeries = {
    rules: DEFAULT_RULES,
    latencyMean: [],
    latencyP95: [],
    stages: {},
    cpu: [],
    memory: [],
    gpuMemory: [],
  };
  for (const event of events) {
    const t = event.time / 1000;
    if (event.type === "SessionStarted") series.rules = event.data.rules;
    else if (event.type === "GaugeObserved") {
      const { metric, value } = event.data;
      if (metric === METRIC_PROCESS_CPU_UTILIZATION) series.cpu.push({ t, v: value });
      else if (metric === METRIC_PROCESS_MEMORY_USAGE) series.memory.push({ t, v: value });
      else if (metric === METRIC_PROCESS_GPU_MEMORY_USAGE || metric === METRIC_GPU_MEMORY_USAGE) {
        const last = series.gpuMemory[series.gpuMemory.length - 1];
        if (last && last.t === t) last.v = Math.max(last.v, value);
        else series.gpuMemory.push({ t, v: value });
      }
    } else if (event.type === "HistogramObserved" && event.data.count > 0) {
      const mean = event.data.sum / event.data.count;
      if (event.data.metric === METRIC_UTTERANCE_LATENCY) {
        series.latencyMean.push({ t, v: mean });
        series.latencyP95.push({
          t,
          v: histogramQuantile(0.95, event.data.buckets, event.data.max),
        });
      } else if (event.data.metric === METRIC_STAGE_DURATION) {
        const stage = String(event.data.attributes?.[ATTR_STAGE] ?? "unknown");
        (series.stages[stage] ??= []).push({ t, v: mean });
      }
    }
  }
  return series;
}
