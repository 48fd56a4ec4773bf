// A user's own service: its NodeSDK with its own in-memory exporters, voxtrace's three
// plugin pieces added to it, CPU burnt past a lowered threshold. Prints what it found as
// one JSON line. Run by test/plugin/ownNodeSdk.test.ts.

import { metrics } from "@opentelemetry/api";
import { logs } from "@opentelemetry/api-logs";
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import {
  InMemoryMetricExporter,
  AggregationTemporality,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import {
  createAnalyzer,
  VoxtraceInstrumentation,
  voxtraceResourceDetector,
} from "../../dist/index.js";

const eventsPath = process.argv[2];
const burnMs = Number(process.argv[3] ?? 4000);

const analyzer = createAnalyzer({
  eventsPath,
  set: { "cpu.threshold": 0.05, "cpu.min_samples": 2, "cpu.window": "2s" },
  intervalMs: 250,
});
const spans = new InMemorySpanExporter();
const spanProcessor = new SimpleSpanProcessor(spans);
const logRecords = new InMemoryLogRecordExporter();
const appMetrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const sdk = new NodeSDK({
  serviceName: "my-dictation-service",
  instrumentations: [new VoxtraceInstrumentation({ intervalMs: 200 })],
  metricReaders: [
    analyzer.metricReader,
    new PeriodicExportingMetricReader({ exporter: appMetrics, exportIntervalMillis: 250 }),
  ],
  resourceDetectors: [voxtraceResourceDetector],
  spanProcessors: [spanProcessor],
  logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logRecords })],
});
sdk.start();
const meterProviderIsOurs = metrics.getMeterProvider();
const loggerProviderIsOurs = logs.getLoggerProvider();

// Burn CPU in slices, so the SDK's timers still run.
const until = Date.now() + burnMs;
while (Date.now() < until) {
  const slice = Date.now() + 50;
  while (Date.now() < slice) Math.sqrt(Math.random());
  await new Promise((resolve) => setTimeout(resolve, 5));
}
await new Promise((resolve) => setTimeout(resolve, 600));
const firing = analyzer.state().alerts.cpu.firing;
const metricNames = new Set(
  appMetrics
    .getMetrics()
    .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name))),
);
const resource = appMetrics.getMetrics()[0]?.resource;
await resource?.waitForAsyncAttributes?.();
// In-memory exporters forget what they hold at shutdown: read them first.
await spanProcessor.forceFlush();
const alertLogRecords = logRecords
  .getFinishedLogRecords()
  .map((r) => r.eventName)
  .filter(Boolean);
const alertSpans = spans.getFinishedSpans().map((s) => s.name);
await sdk.shutdown();
console.log(
  JSON.stringify({
    eventsPath: analyzer.eventsPath ?? null,
    firing,
    sameProviders:
      metrics.getMeterProvider() !== undefined &&
      meterProviderIsOurs === metrics.getMeterProvider() &&
      loggerProviderIsOurs === logs.getLoggerProvider(),
    alertLogRecords,
    alertSpans,
    metricNames: [...metricNames].sort(),
    resource: resource ? Object.keys(resource.attributes) : [],
  }),
);
