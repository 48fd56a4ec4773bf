// Boots the OpenTelemetry SDK for voxtrace on @opentelemetry/sdk-node: resource, the
// Prometheus endpoint, optional OTLP for traces/metrics/logs from the standard OTEL_*
// variables, and any extra metric readers (the analyzer's). Exports run in the SDK's
// batch processors and periodic readers, off the pipeline's path, with bounded queues.

import { randomUUID } from "node:crypto";
import {
  context,
  metrics,
  propagation,
  trace,
  type Meter,
  type MeterProvider,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";
import { logs, type Logger, type LoggerProvider } from "@opentelemetry/api-logs";
import type { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import type { Instrumentation } from "@opentelemetry/instrumentation";
import { detectResources, type Resource } from "@opentelemetry/resources";
import type { IMetricReader } from "@opentelemetry/sdk-metrics";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { escapeTerminal } from "../text/escapeTerminal.js";
import { VERSION } from "../version.js";
import { ExportFailureReporter } from "./ExportFailureReporter.js";
import { isTrue, otelEnvironment, withOtelEnvironment } from "./otelEnvironment.js";
import { otlpMetricReaderFromEnv } from "./otlpMetricReaderFromEnv.js";
import { INSTRUMENTATION_SCOPE, METRIC_TELEMETRY_EXPORT_FAILURES } from "../semconv.js";
import { startPrometheusEndpoint } from "./startPrometheusEndpoint.js";
import { telemetryResource } from "./telemetryResource.js";
import { createVoxtraceResourceDetector } from "./voxtraceResourceDetector.js";

export interface TelemetryConfig {
  /** Prometheus endpoint port; 0 disables it. Default 9464. */
  prometheusPort?: number;
  /** Default 127.0.0.1: nothing is exposed beyond this machine unless asked. */
  prometheusHost?: string;
  modelName?: string;
  executionProvider?: string;
  /** Default: a random UUID. */
  sessionId?: string;
  /** More readers on the same MeterProvider (the analyzer's metric stream). */
  extraMetricReaders?: IMetricReader[];
  /** Instrumentations for the SDK (the CLI's VoxtraceInstrumentation). */
  instrumentations?: Instrumentation[];
  /** Where the OTEL_* variables come from. Default process.env (never modified). */
  env?: NodeJS.ProcessEnv;
  /** Where the one export-failure line goes. Default process.stderr. */
  stderr?: NodeJS.WritableStream;
  /** Longest shutdown() waits for the last flush. Default 2000 ms. */
  shutdownTimeoutMs?: number;
}

export interface Telemetry {
  /** False when OTEL_SDK_DISABLED=true: everything below is then a no-op. */
  readonly enabled: boolean;
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: MeterProvider;
  readonly loggerProvider: LoggerProvider;
  readonly tracer: Tracer;
  readonly meter: Meter;
  readonly logger: Logger;
  readonly resource: Resource;
  readonly sessionId: string;
  /** e.g. http://127.0.0.1:9464/metrics; undefined when the endpoint is off. */
  readonly prometheusUrl: string | undefined;
  readonly failures: ExportFailureReporter;
  /** Flushes and stops everything; idempotent, returns within shutdownTimeoutMs. */
  shutdown(): Promise<void>;
}

export const DEFAULT_TELEMETRY_CONFIG = {
  prometheusPort: 9464,
  prometheusHost: "127.0.0.1",
  shutdownTimeoutMs: 2000,
} as const;

export async function startTelemetry(config: TelemetryConfig = {}): Promise<Telemetry> {
  const stderr = config.stderr ?? process.stderr;
  const otel = otelEnvironment(config.env ?? process.env, (line) => stderr.write(`${line}\n`));
  const enabled = !isTrue(otel.OTEL_SDK_DISABLED);
  const sessionId = config.sessionId ?? randomUUID();
  const host = config.prometheusHost ?? DEFAULT_TELEMETRY_CONFIG.prometheusHost;
  const port = config.prometheusPort ?? DEFAULT_TELEMETRY_CONFIG.prometheusPort;
  const prometheus: PrometheusExporter | undefined =
    enabled && port !== 0 ? await startPrometheusEndpoint(host, port) : undefined;

  const base = withOtelEnvironment(otel, () => telemetryResource({ ...config, sessionId }));
  // Host and process detectors fill some attributes asynchronously; settle them now so
  // every export sees the whole resource.
  // The host and GPU inventory takes a fraction of a second to a second (systeminformation
  // runs lspci and nvidia-smi in a worker; the CLI starts it while models load). Readers
  // wait for it before their first export, so it is settled here, within 2 s at most.
  const resource = enabled
    ? base.merge(
        detectResources({ detectors: [createVoxtraceResourceDetector({ timeoutMs: 2000 })] }),
      )
    : base;
  await resource.waitForAsyncAttributes?.();

  const failures = new ExportFailureReporter(config.stderr);
  const build = (otel: Record<string, string>): NodeSDK =>
    withOtelEnvironment(otel, () => {
      const readers: IMetricReader[] = [...(config.extraMetricReaders ?? [])];
      if (prometheus) readers.push(prometheus);
      const otlp = otlpMetricReaderFromEnv(otel);
      if (otlp) readers.push(otlp);
      const built = new NodeSDK({
        resource,
        autoDetectResources: false,
        metricReaders: readers,
        instrumentations: config.instrumentations ?? [],
      });
      built.start();
      return built;
    });
  const sdk = buildSdk(build, otel, prometheus, stderr);
  // After start: only failures from here on are export failures.
  if (enabled) failures.install();

  const meter = metrics.getMeter(INSTRUMENTATION_SCOPE, VERSION);
  meter
    .createObservableCounter(METRIC_TELEMETRY_EXPORT_FAILURES, {
      unit: "1",
      description: "Telemetry exports that failed (each is retried no further)",
    })
    .addCallback((result) => result.observe(failures.failures));

  const timeoutMs = config.shutdownTimeoutMs ?? DEFAULT_TELEMETRY_CONFIG.shutdownTimeoutMs;
  let shutdown: Promise<void> | undefined;
  return {
    enabled,
    tracerProvider: trace.getTracerProvider(),
    meterProvider: metrics.getMeterProvider(),
    loggerProvider: logs.getLoggerProvider(),
    tracer: trace.getTracer(INSTRUMENTATION_SCOPE, VERSION),
    meter,
    logger: logs.getLogger(INSTRUMENTATION_SCOPE, VERSION),
    resource,
    sessionId,
    prometheusUrl: prometheus ? `http://${host}:${port}/metrics` : undefined,
    failures,
    shutdown() {
      shutdown ??= withTimeout(
        // The last flush happens here: its failure is an export failure like any other.
        sdk.shutdown().catch((error: unknown) => failures.error("final export failed", error)),
        timeoutMs,
      ).then(() => {
        failures.uninstall();
        releaseGlobals();
      });
      return shutdown;
    },
  };
}

/**
 * Builds the SDK from `otel`; should the SDK still refuse a combination the checks let
 * through, says so in one line and builds it from our defaults instead: telemetry
 * settings never stop the work.
 */
function buildSdk(
  build: (otel: Record<string, string>) => NodeSDK,
  otel: Record<string, string>,
  prometheus: PrometheusExporter | undefined,
  stderr: NodeJS.WritableStream,
): NodeSDK {
  try {
    return build(otel);
  } catch (error) {
    const reason = escapeTerminal(error instanceof Error ? error.message : String(error));
    stderr.write(
      `voxtrace: warning: the OTEL_* settings were refused (${reason.replace(/\s+/g, " ").slice(0, 120)}); telemetry uses the defaults\n`,
    );
  }
  releaseGlobals(); // whatever the failed attempt registered
  try {
    return build(otelEnvironment({ OTEL_SDK_DISABLED: otel.OTEL_SDK_DISABLED }));
  } catch (error) {
    // Not ours to leave listening when the rest cannot start.
    void prometheus?.stopServer().catch(() => undefined);
    throw error;
  }
}

/** A later startTelemetry in the same process (a restarted daemon, tests) can register again. */
function releaseGlobals(): void {
  trace.disable();
  metrics.disable();
  logs.disable();
  propagation.disable();
  context.disable();
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
