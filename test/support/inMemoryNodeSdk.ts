// A real NodeSDK, as a user would start one, whose metrics and spans stay in memory.
// Shutting it down also releases the global providers it registered, so the next test
// in the same process can start another.

import { context, metrics, propagation, trace } from "@opentelemetry/api";
import { logs } from "@opentelemetry/api-logs";
import { NodeSDK, type NodeSDKConfiguration } from "@opentelemetry/sdk-node";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { inMemoryMetricReader } from "./inMemoryTelemetry.js";

export function startInMemoryNodeSdk(configuration: Partial<NodeSDKConfiguration> = {}) {
  const metricReader = inMemoryMetricReader();
  const spans = new InMemorySpanExporter();
  const sdk = new NodeSDK({
    // No detectors unless the test asks: they only slow a test about something else.
    resourceDetectors: [],
    ...configuration,
    metricReaders: [metricReader.reader],
    spanProcessors: [new SimpleSpanProcessor(spans)],
    // Nothing leaves the process: no OTLP log exporter from the environment's defaults.
    logRecordProcessors: [],
  });
  sdk.start();
  return {
    sdk,
    collect: metricReader.collect,
    spans: () => spans.getFinishedSpans(),
    shutdown: async () => {
      await sdk.shutdown();
      trace.disable();
      metrics.disable();
      logs.disable();
      propagation.disable();
      context.disable();
    },
  };
}
