// An OTLP metric reader when OTEL_METRICS_EXPORTER asks for one (sdk-node only builds
// readers from the environment when none are given, and we always give Prometheus's).
// The protocol follows OTEL_EXPORTER_OTLP_METRICS_PROTOCOL / OTEL_EXPORTER_OTLP_PROTOCOL.

import { OTLPMetricExporter as GrpcExporter } from "@opentelemetry/exporter-metrics-otlp-grpc";
import { OTLPMetricExporter as HttpJsonExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as ProtoExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { PeriodicExportingMetricReader, type IMetricReader } from "@opentelemetry/sdk-metrics";

export function otlpMetricReaderFromEnv(env: NodeJS.ProcessEnv): IMetricReader | undefined {
  const exporters = (env.OTEL_METRICS_EXPORTER ?? "").split(",").map((s) => s.trim());
  const wanted =
    exporters.includes("otlp") ||
    (!env.OTEL_METRICS_EXPORTER &&
      Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT));
  if (!wanted) return undefined;
  const protocol =
    env.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf";
  const exporter =
    protocol === "grpc"
      ? new GrpcExporter()
      : protocol === "http/json"
        ? new HttpJsonExporter()
        : new ProtoExporter();
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL) || 60_000;
  // As sdk-node does: a timeout past the interval is clamped rather than refused.
  const timeout = Math.min(Number(env.OTEL_METRIC_EXPORT_TIMEOUT) || 30_000, interval);
  return new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: interval,
    exportTimeoutMillis: timeout,
  });
}
