// The analysis reader on a real MeterProvider: it records only the series table's metrics,
// as deltas, skips intervals with no data, keeps only the attribute a series groups by, and
// gets exponential histograms while another reader on the same provider keeps explicit ones.

import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { createAnalysisReader } from "../../src/analysis/AnalysisMetricExporter.js";
import type { ObservationEvent } from "../../src/analysis/AnalyzerEvent.js";
import {
  ATTR_HW_ID,
  ATTR_STAGE,
  DURATION_BUCKETS_S,
  METRIC_GPU_MEMORY_USAGE,
  METRIC_STAGE_DURATION,
  METRIC_UTTERANCE_LATENCY,
} from "../../src/semconv.js";

function setup(latencyMetric?: string) {
  const batches: ObservationEvent[][] = [];
  const reader = createAnalysisReader({
    intervalMs: 3_600_000,
    latencyMetric,
    onObservations: (observations) => void batches.push(observations),
  });
  const other = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const otherReader = new PeriodicExportingMetricReader({
    exporter: other,
    exportIntervalMillis: 3_600_000,
  });
  const provider = new MeterProvider({ readers: [reader, otherReader] });
  const meter = provider.getMeter("test");
  const advice = { advice: { explicitBucketBoundaries: DURATION_BUCKETS_S } };
  return { batches, reader, otherReader, other, provider, meter, advice };
}

describe("AnalysisMetricExporter", () => {
  it("records deltas, skips empty intervals and keeps only the grouping attribute", async () => {
    const { batches, reader, provider, meter, advice } = setup();
    const stage = meter.createHistogram(METRIC_STAGE_DURATION, { unit: "s", ...advice });
    const latency = meter.createHistogram(METRIC_UTTERANCE_LATENCY, { unit: "s", ...advice });
    const unrelated = meter.createHistogram("app.request.duration");
    let gpu = 1e9;
    meter
      .createObservableGauge(METRIC_GPU_MEMORY_USAGE)
      .addCallback((r) =>
        r.observe(gpu, { [ATTR_HW_ID]: "0", "hw.name": "user text", secret: "x" }),
      );

    stage.record(0.01, { [ATTR_STAGE]: "vad", "user.id": "alice" });
    latency.record(0.2);
    latency.record(0.4);
    unrelated.record(1);
    await reader.forceFlush();
    latency.record(0.8);
    gpu = 2e9;
    await reader.forceFlush();
    await reader.forceFlush(); // nothing recorded: no histogram observation at all
    await provider.shutdown();

    const histograms = batches.map((b) => b.filter((o) => o.type === "HistogramObserved"));
    expect(histograms.map((h) => h.length)).toEqual([2, 1, 0, 0].slice(0, batches.length));
    const first = histograms[0]!.find((o) => o.data.metric === METRIC_STAGE_DURATION)!;
    expect(first.data).toMatchObject({ count: 1, attributes: { [ATTR_STAGE]: "vad" } });
    expect(Object.keys(first.data.attributes!)).toEqual([ATTR_STAGE]);
    const second = histograms[1]![0]!;
    expect(second.data).toMatchObject({
      metric: METRIC_UTTERANCE_LATENCY,
      count: 1,
      min: 0.8,
      max: 0.8,
    });
    expect((second.data as { buckets: { kind: string } }).buckets.kind).toBe("exponential");
    expect(batches.flat().some((o) => o.data.metric === "app.request.duration")).toBe(false);
    const gauges = batches.flat().filter((o) => o.type === "GaugeObserved");
    expect(gauges.map((g) => g.data.value).slice(0, 2)).toEqual([1e9, 2e9]);
    for (const g of gauges) expect(g.data.attributes).toEqual({ [ATTR_HW_ID]: "0" });
  });

  it("leaves other readers their explicit buckets", async () => {
    const { reader, otherReader, other, provider, meter, advice } = setup();
    meter.createHistogram(METRIC_UTTERANCE_LATENCY, { unit: "s", ...advice }).record(0.3);
    await reader.forceFlush();
    await otherReader.forceFlush();
    const metric = other.getMetrics()[0]!.scopeMetrics[0]!.metrics[0]!;
    expect(metric.dataPointType).toBe(DataPointType.HISTOGRAM);
    await provider.shutdown();
  });

  it("records the histogram a user names as utterance latency", async () => {
    const { batches, reader, provider, meter } = setup("app.turn.latency");
    meter.createHistogram("app.turn.latency", { unit: "s" }).record(1.2);
    meter.createHistogram(METRIC_UTTERANCE_LATENCY, { unit: "s" }).record(9);
    await reader.forceFlush();
    await provider.shutdown();
    const metrics = batches.flat().map((o) => o.data.metric);
    expect(metrics).toContain("app.turn.latency");
    expect(metrics).not.toContain(METRIC_UTTERANCE_LATENCY);
  });
});
