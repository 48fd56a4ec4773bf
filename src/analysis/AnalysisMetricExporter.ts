// The analyzer's window on the metric stream: a push exporter under a periodic reader in
// the same MeterProvider as the user's other readers. It asks for delta temporality and for
// base-2 exponential histograms for itself (Prometheus and OTLP keep their explicit buckets),
// and turns each point of a metric in the series table into an observation event, keeping
// only the attributes the table groups by. Everything else is left out: the log stays small
// and holds nothing the user did not mean us to keep.

import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  InstrumentType,
  PeriodicExportingMetricReader,
  type AggregationOption,
  type DataPoint,
  type ExponentialHistogram,
  type Histogram,
  type PushMetricExporter,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import { ATTR_HW_ID } from "../semconv.js";
import type { Attributes, Buckets, ObservationEvent } from "./AnalyzerEvent.js";
import { seriesTable, type SeriesTable } from "./SeriesTable.js";

export type ObservationSink = (observations: ObservationEvent[], timeMs: number) => void;

/** Buckets per delta: at scale 5 (1.1 % wide), 320 cover 10 ms to 10 s and more. */
const EXPONENTIAL_MAX_SIZE = 320;

export interface AnalysisMetricExporterOptions {
  onObservations: ObservationSink;
  /** The histogram judged as utterance latency. */
  latencyMetric?: string | undefined;
  /** Called once when the SDK shuts the reader down, after its last collection. */
  onShutdown?: () => void;
  now?: () => number;
}

export class AnalysisMetricExporter implements PushMetricExporter {
  readonly #onObservations: ObservationSink;
  readonly #table: SeriesTable;
  readonly #now: () => number;
  readonly #onShutdown: (() => void) | undefined;
  #shutdown = false;

  constructor(options: AnalysisMetricExporterOptions) {
    this.#onObservations = options.onObservations;
    this.#table = seriesTable(options.latencyMetric);
    this.#now = options.now ?? Date.now;
    this.#onShutdown = options.onShutdown;
  }

  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.DELTA;
  }

  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return instrumentType === InstrumentType.HISTOGRAM
      ? {
          type: AggregationType.EXPONENTIAL_HISTOGRAM,
          options: { maxSize: EXPONENTIAL_MAX_SIZE, recordMinMax: true },
        }
      : { type: AggregationType.DEFAULT };
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    if (this.#shutdown) return resultCallback({ code: ExportResultCode.FAILED });
    try {
      const observations: ObservationEvent[] = [];
      for (const scope of metrics.scopeMetrics) {
        for (const metric of scope.metrics) this.#observe(metric, observations);
      }
      if (observations.length > 0) this.#onObservations(observations, this.#now());
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  #observe(
    metric: ResourceMetrics["scopeMetrics"][number]["metrics"][number],
    into: ObservationEvent[],
  ): void {
    const name = metric.descriptor.name;
    const spec = this.#table.get(name);
    if (!spec) return;
    if (spec.kind === "gauge") {
      if (metric.dataPointType !== DataPointType.GAUGE) return;
      for (const point of metric.dataPoints) {
        into.push({
          type: "GaugeObserved",
          data: { metric: name, value: point.value, ...keep(point.attributes, ATTR_HW_ID) },
        });
      }
      return;
    }
    const attributes = (raw: Record<string, unknown>): { attributes?: Attributes } =>
      spec.groupBy ? keep(raw, spec.groupBy) : {};
    const exponential = metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM;
    // A view the user set on the provider wins over our selector: explicit buckets still work.
    if (!exponential && metric.dataPointType !== DataPointType.HISTOGRAM) return;
    for (const point of metric.dataPoints as DataPoint<Histogram | ExponentialHistogram>[]) {
      const h = point.value;
      if (h.count === 0) continue;
      into.push({
        type: "HistogramObserved",
        data: {
          metric: name,
          ...attributes(point.attributes),
          count: h.count,
          sum: h.sum ?? 0,
          ...(h.min !== undefined ? { min: h.min } : {}),
          ...(h.max !== undefined ? { max: h.max } : {}),
          buckets: "scale" in h ? exponentialBuckets(h) : explicitBuckets(h),
        },
      });
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    if (!this.#shutdown) {
      this.#shutdown = true;
      this.#onShutdown?.();
    }
    return Promise.resolve();
  }
}

function exponentialBuckets(h: ExponentialHistogram): Buckets {
  return {
    kind: "exponential",
    scale: h.scale,
    zeroCount: h.zeroCount,
    positive: { offset: h.positive.offset, counts: h.positive.bucketCounts },
    negative: { offset: h.negative.offset, counts: h.negative.bucketCounts },
  };
}

function explicitBuckets(h: Histogram): Buckets {
  return { kind: "explicit", boundaries: h.buckets.boundaries, counts: h.buckets.counts };
}

/** The one attribute a series groups by, when it is there and a plain value. */
function keep(raw: Record<string, unknown>, key: string): { attributes?: Attributes } {
  const value = raw[key];
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? { attributes: { [key]: value } }
    : {};
}

export function createAnalysisReader(
  options: AnalysisMetricExporterOptions & { intervalMs?: number },
): PeriodicExportingMetricReader {
  const intervalMs = options.intervalMs ?? 5000;
  return new PeriodicExportingMetricReader({
    exporter: new AnalysisMetricExporter(options),
    exportIntervalMillis: intervalMs,
    exportTimeoutMillis: Math.min(intervalMs, 30_000),
  });
}
