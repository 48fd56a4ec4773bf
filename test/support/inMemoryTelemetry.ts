// Real OpenTelemetry SDK parts that keep what they record in memory, for tests that read
// back metrics and spans: a metric reader (also usable as a NodeSDK metricReader), a
// MeterProvider around it, and a tracer provider with an in-memory span exporter.

export { AggregationTemporality } from "@opentelemetry/sdk-metrics";
import type { Attributes } from "@opentelemetry/api";
import type { Resource } from "@opentelemetry/resources";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type MetricData,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

export interface MetricPoint {
  value: unknown;
  attributes: Attributes;
}

/** What one collection saw, looked up by instrument name. */
export class MetricsSnapshot {
  constructor(
    readonly metrics: MetricData[],
    readonly resource?: Resource,
  ) {}

  names(): string[] {
    return this.metrics.map((m) => m.descriptor.name);
  }

  get(name: string): MetricData | undefined {
    return this.metrics.find((m) => m.descriptor.name === name);
  }

  /** Every data point of `name`; undefined when the instrument reported nothing. */
  points(name: string): MetricPoint[] | undefined {
    const metric = this.get(name);
    if (!metric || metric.dataPoints.length === 0) return undefined;
    return metric.dataPoints.map((p) => ({ value: p.value, attributes: p.attributes }));
  }

  /** The first point's value, for single-series gauges and counters. */
  value(name: string): number | undefined {
    return this.points(name)?.[0]?.value as number | undefined;
  }
}

export interface InMemoryMetricReader {
  /** Give this to a MeterProvider or a NodeSDK's metricReaders. */
  reader: PeriodicExportingMetricReader;
  /** Collects now and returns what every meter reported. */
  collect: () => Promise<MetricsSnapshot>;
}

/**
 * Cumulative by default. With cumulative temporality the SDK keeps reporting a gauge
 * series that is no longer observed; ask for DELTA to see only what the last
 * collection observed.
 */
export function inMemoryMetricReader(
  temporality = AggregationTemporality.CUMULATIVE,
): InMemoryMetricReader {
  const exporter = new InMemoryMetricExporter(temporality);
  // An hour: nothing is exported on its own during a test; collect() reads directly.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  return {
    reader,
    collect: async () => {
      const { resourceMetrics } = await reader.collect();
      return new MetricsSnapshot(
        resourceMetrics.scopeMetrics.flatMap((sm) => sm.metrics),
        resourceMetrics.resource,
      );
    },
  };
}

export interface InMemoryMeter extends InMemoryMetricReader {
  provider: MeterProvider;
  meter: ReturnType<MeterProvider["getMeter"]>;
  shutdown: () => Promise<void>;
}

export function inMemoryMeter(temporality = AggregationTemporality.CUMULATIVE): InMemoryMeter {
  const metricReader = inMemoryMetricReader(temporality);
  const provider = new MeterProvider({ readers: [metricReader.reader] });
  return {
    ...metricReader,
    provider,
    meter: provider.getMeter("test"),
    shutdown: () => provider.shutdown(),
  };
}

export function inMemoryTracer() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return {
    exporter,
    provider,
    tracer: provider.getTracer("test"),
    spans: () => exporter.getFinishedSpans(),
    shutdown: () => provider.shutdown(),
  };
}
