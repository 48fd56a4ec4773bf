import { PassThrough } from "node:stream";
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from "@opentelemetry/sdk-logs";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { AlertEmitter } from "../../src/analysis/AlertEmitter.js";
import type { AlertEvent, RecordedEvent } from "../../src/analysis/AnalyzerEvent.js";

describe("AlertEmitter", () => {
  it("delivers an alert as a log event, a span, the active gauge, a counter and one stderr line", async () => {
    const logs = new InMemoryLogRecordExporter();
    const loggerProvider = new LoggerProvider({
      processors: [new SimpleLogRecordProcessor({ exporter: logs })],
    });
    const spans = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(spans)],
    });
    const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({
      exporter: metrics,
      exportIntervalMillis: 3_600_000,
    });
    const meterProvider = new MeterProvider({ readers: [reader] });
    const stderr = new PassThrough();
    let text = "";
    stderr.on("data", (d: Buffer) => (text += d.toString()));
    const emitter = new AlertEmitter({
      logger: loggerProvider.getLogger("t"),
      tracer: tracerProvider.getTracer("t"),
      meter: meterProvider.getMeter("t"),
      stderr,
    });
    const alert: RecordedEvent<AlertEvent> = {
      seq: 42,
      time: 1_700_000_000_000,
      type: "AlertFired",
      data: {
        rule: "cpu",
        value: 0.73,
        threshold: 0.5,
        windowMs: 60_000,
        forMs: 0,
        causeSeq: 41,
        message: "cpu fired: mean process CPU 0.73 of all cores > 0.5",
      },
    };
    emitter.emit(alert);
    await reader.forceFlush();

    const record = logs.getFinishedLogRecords()[0]!;
    expect(record.eventName).toBe("voxtrace.alert.fired");
    expect(record.attributes["voxtrace.alert.rule"]).toBe("cpu");
    expect(record.attributes["voxtrace.alert.cause_seq"]).toBe(41);
    const span = spans.getFinishedSpans()[0]!;
    expect(span.name).toBe("voxtrace.alert.fired");
    expect(span.events[0]?.name).toBe("voxtrace.alert.fired");
    const all = metrics.getMetrics().flatMap((m) => m.scopeMetrics.flatMap((s) => s.metrics));
    const active = all.find((m) => m.descriptor.name === "voxtrace.alerts.active")!;
    expect(
      active.dataPoints.find((p) => p.attributes["voxtrace.alert.rule"] === "cpu")?.value,
    ).toBe(1);
    expect(
      active.dataPoints.find((p) => p.attributes["voxtrace.alert.rule"] === "gpu_memory")?.value,
    ).toBe(0);
    expect(
      all.find((m) => m.descriptor.name === "voxtrace.alerts.fired")?.dataPoints[0]?.value,
    ).toBe(1);
    expect(text.trim().split("\n")).toEqual([
      "voxtrace: ALERT cpu fired: mean process CPU 0.73 of all cores > 0.5 (seq 42)",
    ]);
  });
});
