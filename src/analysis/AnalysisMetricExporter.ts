// The analyzer's window on the metric stream: a push exporter under a periodic reader in
// the same MeterProvider as Prometheus. It asks for delta temporality for itself (the
// Prometheus reader keeps cumulative), and turns each point the rules and the summary
// need into an observation event. Everything else is left out, which keeps the log small.

import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import {
  AggregationTemporality,
  DataPointType,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import {
  METRIC_GPU_MEMORY_LIMIT,
  METRIC_GPU_MEMORY_USAGE,
  METRIC_GPU_UTILIZATION,
  METRIC_PROCESS_CPU_UTILIZATION,
  METRIC_PROCESS_GPU_MEMORY_USAGE,
  METRIC_PROCESS_MEMORY_USAGE,
  METRIC_STAGE_DURATION,
  METRIC_UTTERANCE_LATENCY,
  METRIC_V8_HEAP_USED,
} from "../semconv.js";
import type { Attributes, ObservationEvent } from "./AnalyzerEvent.js";

const GAUGES = new Set([
  METRIC_PROCESS_CPU_UTILIZATION,
  METRIC_PROCESS_MEMORY_USAGE,
  METRIC_V8_HEAP_USED,
  METRIC_GPU_MEMORY_USAGE,
  METRIC_GPU_MEMORY_LIMIT,
  METRIC_GPU_UTILIZATION,
  METRIC_PROCESS_GPU_MEMORY_USAGE,
]);
const HISTOGRAMS = new Set([METRIC_UTTERANCE_LATENCY, METRIC_STAGE_DURATION]);

export type ObservationSink = (observations: ObservationEvent[], timeMs: number) => void;

export class AnalysisMetricExporter implements PushMetricExporter {
  readonly #onObservations: ObservationSink;
  #shutdown = false;

  constructor(options: { onObservations: ObservationSink }) {
    this.#onObservations = options.onObservations;
  }

  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.DELTA;
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    if (this.#shutdown) return resultCallback({ code: ExportResultCode.FAILED });
    try {
      const observations: ObservationEvent[] = [];
      for (const scope of metrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          const name = metric.descriptor.name;
          if (metric.dataPointType === DataPointType.GAUGE && GAUGES.has(name)) {
            for (const point of metric.dataPoints) {
              observations.push({
                type: "GaugeObserved",
                data: { metric: name, value: point.value, ...attributes(point.attributes) },
              });
            }
          } else if (metric.dataPointType === DataPointType.HISTOGRAM && HISTOGRAMS.has(name)) {
            for (const point of metric.dataPoints) {
              const h = point.value;
              if (h.count === 0) continue;
              observations.push({
                type: "HistogramObserved",
                data: {
                  metric: name,
                  ...attributes(point.attributes),
                  count: h.count,
                  sum: h.sum ?? 0,
                  ...(h.min !== undefined ? { min: h.min } : {}),
                  ...(h.max !== undefined ? { max: h.max } : {}),
                  buckets: {
                    kind: "explicit",
                    boundaries: h.buckets.boundaries,
                    counts: h.buckets.counts,
                  },
                },
              });
            }
          }
        }
      }
      if (observations.length > 0) this.#onObservations(observations, Date.now());
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.#shutdown = true;
    return Promise.resolve();
  }
}

function attributes(raw: Record<string, unknown>): { attributes?: Attributes } {
  const entries = Object.entries(raw).filter((e): e is [string, string | number | boolean] =>
    ["string", "number", "boolean"].includes(typeof e[1]),
  );
  return entries.length > 0 ? { attributes: Object.fromEntries(entries) } : {};
}

export function createAnalysisReader(options: {
  intervalMs?: number;
  onObservations: ObservationSink;
}): PeriodicExportingMetricReader {
  const intervalMs = options.intervalMs ?? 5000;
  return new PeriodicExportingMetricReader({
    exporter: new AnalysisMetricExporter(options),
    exportIntervalMillis: intervalMs,
    exportTimeoutMillis: Math.min(intervalMs, 30_000),
  });
}
