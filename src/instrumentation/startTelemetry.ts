// Boots the OpenTelemetry SDK for voxtrace on @opentelemetry/sdk-node: resource, the
// Prometheus endpoint, optional OTLP for traces/metrics/logs from the standard OTEL_*
// variables, and any extra metric readers (the analyzer's). Exports run in the
// background and never block the pipeline.

import net from "node:net";
import os from "node:os";
import { randomUUID } from "node:crypto";
import { logs, type Logger } from "@opentelemetry/api-logs";
import { metrics, trace, type Meter, type Tracer } from "@opentelemetry/api";
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import { AggregationType, type IMetricReader, type ViewOptions } from "@opentelemetry/sdk-metrics";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { VoxtraceError } from "../errors.js";
import { VERSION } from "../version.js";
import { ExportFailureReporter } from "./ExportFailureReporter.js";
import { otlpMetricReaderFromEnv } from "./otlpMetricReaderFromEnv.js";
import {
  ATTR_EXECUTION_PROVIDER,
  ATTR_MODEL_NAME,
  ATTR_SESSION_ID,
  DURATION_BUCKETS_S,
  INSTRUMENTATION_SCOPE,
  METRIC_STAGE_DURATION,
  METRIC_TELEMETRY_EXPORT_FAILURES,
  METRIC_UTTERANCE_LATENCY,
} from "./semconv.js";

export interface TelemetryConfig {
  /** 0 disables the endpoint. Default 9464. */
  prometheusPort?: number;
  /** Default 127.0.0.1: nothing is exposed beyond this machine unless asked. */
  prometheusHost?: string;
  modelName?: string;
  executionProvider?: string;
  sessionId?: string;
  extraMetricReaders?: IMetricReader[];
  env?: NodeJS.ProcessEnv;
  stderr?: NodeJS.WritableStream;
}

export interface Telemetry {
  readonly enabled: boolean;
  readonly tracer: Tracer;
  readonly meter: Meter;
  readonly logger: Logger;
  readonly resource: Resource;
  readonly sessionId: string;
  readonly prometheusUrl: string | undefined;
  readonly failures: ExportFailureReporter;
  shutdown(): Promise<void>;
}

const SHUTDOWN_TIMEOUT_MS = 2000;

export async function startTelemetry(config: TelemetryConfig = {}): Promise<Telemetry> {
  const env = config.env ?? process.env;
  const sessionId = config.sessionId ?? randomUUID();
  const port = config.prometheusPort ?? 9464;
  const host = config.prometheusHost ?? "127.0.0.1";
  applyQuietDefaults(env);
  const failures = new ExportFailureReporter(config.stderr);
  failures.install();

  const readers: IMetricReader[] = [...(config.extraMetricReaders ?? [])];
  let prometheus: PrometheusExporter | undefined;
  if (port !== 0) {
    await assertPortFree(host, port);
    prometheus = new PrometheusExporter({ host, port, preventServerStart: true });
    readers.push(prometheus);
  }
  const otlpMetrics = otlpMetricReaderFromEnv(env);
  if (otlpMetrics) readers.push(otlpMetrics);

  const resource = resourceFromAttributes({
    "service.name": env.OTEL_SERVICE_NAME ?? "voxtrace",
    "service.version": VERSION,
    "host.name": os.hostname(),
    [ATTR_SESSION_ID]: sessionId,
    ...(config.modelName ? { [ATTR_MODEL_NAME]: config.modelName } : {}),
    ...(config.executionProvider ? { [ATTR_EXECUTION_PROVIDER]: config.executionProvider } : {}),
  });
  const views: ViewOptions[] = [METRIC_STAGE_DURATION, METRIC_UTTERANCE_LATENCY].map((name) => ({
    instrumentName: name,
    aggregation: {
      type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
      options: { boundaries: DURATION_BUCKETS_S },
    },
  }));
  const sdk = new NodeSDK({ resource, metricReaders: readers, views, instrumentations: [] });
  sdk.start();
  const enabled = !isTrue(env.OTEL_SDK_DISABLED);
  if (prometheus && enabled) await prometheus.startServer();

  const meter = metrics.getMeter(INSTRUMENTATION_SCOPE, VERSION);
  meter
    .createObservableCounter(METRIC_TELEMETRY_EXPORT_FAILURES, {
      description: "Telemetry exports that failed",
    })
    .addCallback((result) => result.observe(failures.failures));

  let shutdown: Promise<void> | undefined;
  return {
    enabled,
    tracer: trace.getTracer(INSTRUMENTATION_SCOPE, VERSION),
    meter,
    logger: logs.getLogger(INSTRUMENTATION_SCOPE, VERSION),
    resource,
    sessionId,
    prometheusUrl: prometheus && enabled ? `http://${host}:${port}/metrics` : undefined,
    failures,
    shutdown() {
      shutdown ??= Promise.race([
        // The last flush happens here: its failure is an export failure like any other.
        sdk.shutdown().catch((error: unknown) => failures.error("final export failed", error)),
        new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_TIMEOUT_MS).unref()),
      ]).then(() => {
        failures.uninstall();
        if (failures.failures > 1) {
          (config.stderr ?? process.stderr).write(
            `voxtrace: ${failures.failures} telemetry exports failed in all\n`,
          );
        }
      });
      return shutdown;
    },
  };
}

/**
 * sdk-node exports traces and logs over OTLP to localhost:4318 unless told otherwise.
 * With no OTLP endpoint configured that would only produce connection errors, so the
 * default here is "none" until an endpoint or an exporter variable is set.
 */
function applyQuietDefaults(env: NodeJS.ProcessEnv): void {
  const endpoint = (signal: string): boolean =>
    Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]);
  if (!env.OTEL_TRACES_EXPORTER && !endpoint("TRACES")) env.OTEL_TRACES_EXPORTER = "none";
  if (!env.OTEL_LOGS_EXPORTER && !endpoint("LOGS")) env.OTEL_LOGS_EXPORTER = "none";
}

function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === "true";
}

function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new VoxtraceError(
          "unavailable",
          `${host}:${port} is ${error.code === "EADDRINUSE" ? "in use" : `not available (${error.code ?? error.message})`} - pass --prometheus-port N, or 0 to disable the metrics endpoint`,
        ),
      );
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
