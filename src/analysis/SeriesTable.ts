// The one place that knows which metric feeds which series, and how: a gauge's value, or a
// histogram's delta; several devices reporting at one instant reduce to their largest. The
// metric reader records exactly these metrics, the rules judge them and the read model
// shows them.

import {
  ATTR_STAGE,
  METRIC_EXTERNAL_MEMORY,
  METRIC_GPU_MEMORY_LIMIT,
  METRIC_GPU_MEMORY_USAGE,
  METRIC_GPU_UTILIZATION,
  METRIC_HEAP_AFTER_GC,
  METRIC_MEMORY_LIMIT,
  METRIC_NATIVE_MEMORY,
  METRIC_PROCESS_CPU_UTILIZATION,
  METRIC_PROCESS_GPU_MEMORY_USAGE,
  METRIC_PROCESS_MEMORY_USAGE,
  METRIC_STAGE_DURATION,
  METRIC_UTTERANCE_LATENCY,
  METRIC_V8_HEAP_USED,
} from "../semconv.js";

export type GaugeSeries =
  | "cpu"
  | "memory"
  | "heap"
  | "heapAfterGc"
  | "nativeMemory"
  | "externalMemory"
  | "memoryLimit"
  | "processGpu"
  | "deviceGpu"
  | "gpuLimit"
  | "gpuUtilization";
export type HistogramSeries = "latency" | "stage";
export type SeriesKey = GaugeSeries | HistogramSeries;

export type SeriesSpec =
  | { kind: "gauge"; key: GaugeSeries; perInstant: "max" | "last" }
  | { kind: "histogram"; key: HistogramSeries; groupBy?: string };

export type SeriesTable = ReadonlyMap<string, SeriesSpec>;

const GAUGES: readonly [string, GaugeSeries, "max" | "last"][] = [
  [METRIC_PROCESS_CPU_UTILIZATION, "cpu", "last"],
  [METRIC_PROCESS_MEMORY_USAGE, "memory", "last"],
  [METRIC_V8_HEAP_USED, "heap", "last"],
  [METRIC_HEAP_AFTER_GC, "heapAfterGc", "last"],
  [METRIC_NATIVE_MEMORY, "nativeMemory", "last"],
  [METRIC_EXTERNAL_MEMORY, "externalMemory", "last"],
  [METRIC_MEMORY_LIMIT, "memoryLimit", "last"],
  [METRIC_PROCESS_GPU_MEMORY_USAGE, "processGpu", "max"],
  [METRIC_GPU_MEMORY_USAGE, "deviceGpu", "max"],
  [METRIC_GPU_MEMORY_LIMIT, "gpuLimit", "max"],
  [METRIC_GPU_UTILIZATION, "gpuUtilization", "max"],
];

const tables = new Map<string, SeriesTable>();

/**
 * The table for a session; `latencyMetric` is the histogram judged as utterance latency
 * (a pipeline with its own turn-latency histogram can name it).
 */
export function seriesTable(latencyMetric: string = METRIC_UTTERANCE_LATENCY): SeriesTable {
  let table = tables.get(latencyMetric);
  if (!table) {
    const entries = new Map<string, SeriesSpec>(
      GAUGES.map(([metric, key, perInstant]) => [metric, { kind: "gauge", key, perInstant }]),
    );
    entries.set(METRIC_STAGE_DURATION, { kind: "histogram", key: "stage", groupBy: ATTR_STAGE });
    entries.set(latencyMetric, { kind: "histogram", key: "latency" });
    table = entries;
    tables.set(latencyMetric, table);
  }
  return table;
}
