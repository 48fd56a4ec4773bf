import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { otelEnvironment } from "../../src/instrumentation/otelEnvironment.js";
import { ExportFailureReporter } from "../../src/instrumentation/ExportFailureReporter.js";
import { globalErrorHandler } from "@opentelemetry/core";
import { VoxtraceError } from "../../src/errors.js";
import { OtelPipelineObserver } from "../../src/instrumentation/OtelPipelineObserver.js";
import { startTelemetry, type Telemetry } from "../../src/instrumentation/startTelemetry.js";
import { freePort } from "../support/freePort.js";

let running: Telemetry | undefined;
afterEach(async () => {
  await running?.shutdown();
  running = undefined;
});

/** Captures what startTelemetry writes to its stderr. */
function captureStderr(): { stream: PassThrough; lines: () => string[] } {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { stream, lines: () => text.split("\n").filter((l) => l.length > 0) };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs a few utterances' worth of stage work through the observer. */
async function recordWork(telemetry: Telemetry, utterances: number): Promise<void> {
  const observer = new OtelPipelineObserver({ tracer: telemetry.tracer, meter: telemetry.meter });
  for (let index = 0; index < utterances; index++) {
    observer.utteranceStarted(index, index);
    await observer.work("stt", "stt.chunk", index, { "voxtrace.stt.chunk.index": 0 }, () =>
      Promise.resolve(),
    );
    observer.utteranceDelivered(
      { index, start: index, end: index + 1, text: "a b", tokens: 2, latencyMs: 30, finalizeMs: 9 },
      1,
      0.1,
    );
  }
}

const settledWithin = (promise: Promise<void>, ms: number): Promise<boolean> =>
  Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref()),
  ]);

describe("startTelemetry", () => {
  it("serves our metrics on the Prometheus endpoint without unit suffixes", async () => {
    const port = await freePort();
    running = await startTelemetry({ prometheusPort: port, env: {}, modelName: "tiny" });
    await recordWork(running, 2);
    expect(running.prometheusUrl).toBe(`http://127.0.0.1:${port}/metrics`);
    const body = await (await fetch(running.prometheusUrl!)).text();
    expect(body).toMatch(/^voxtrace_stage_duration_count\{.*voxtrace_stage="stt".*\} 2$/m);
    expect(body).toMatch(/^voxtrace_stage_duration_bucket\{.*le="0.001".*\} \d+$/m);
    expect(body).toMatch(/^voxtrace_utterance_latency_count\{.*\} 2$/m);
    expect(body).toMatch(/^voxtrace_utterances_total\{.*\} 2$/m);
    expect(body).toMatch(/^voxtrace_telemetry_export_failures_total\{.*\} 0$/m);
    expect(body).not.toMatch(/_seconds/);
    expect(body).toMatch(/^target_info\{.*service_name="voxtrace".*\} 1$/m);
    expect(body).toMatch(/voxtrace_model_name="tiny"/);
  });

  it("listens on 127.0.0.1 only unless asked otherwise", async () => {
    const port = await freePort();
    running = await startTelemetry({ prometheusPort: port, env: {} });
    // The kernel's own table of listening sockets (state 0A), not what our code reports.
    const listeners = ["/proc/net/tcp", "/proc/net/tcp6"]
      .flatMap((table) => readFileSync(table, "utf8").split("\n").slice(1))
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f[3] === "0A" && Number.parseInt(f[1]!.split(":")[1]!, 16) === port)
      .map((f) => f[1]!.split(":")[0]);
    expect(listeners).toEqual(["0100007F"]); // 127.0.0.1, little-endian hex
  });

  it("refuses a busy Prometheus port with a VoxtraceError naming it", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const error = await startTelemetry({ prometheusPort: port, env: {} }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VoxtraceError);
      expect((error as VoxtraceError).code).toBe("unavailable");
      expect((error as VoxtraceError).message).toBe(
        `127.0.0.1:${port} is in use - pass --prometheus-port N or 0 to disable, or --prometheus-host ADDR`,
      );
    } finally {
      blocker.close();
    }
    // Nothing was left registered: a second start on a free port works.
    running = await startTelemetry({ prometheusPort: 0, env: {} });
    expect(running.enabled).toBe(true);
  });

  it("builds the resource from our facts, the detectors and the OTEL_* variables", async () => {
    running = await startTelemetry({
      prometheusPort: 0,
      sessionId: "s-1",
      modelName: "tiny",
      executionProvider: "cpu",
      env: { OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=test,team=asr" },
    });
    const attributes = running.resource.attributes;
    expect(attributes["service.name"]).toBe("voxtrace");
    expect(attributes["service.version"]).toMatch(/^\d+\.\d+\.\d+/);
    expect(attributes["voxtrace.session.id"]).toBe("s-1");
    expect(attributes["voxtrace.model.name"]).toBe("tiny");
    expect(attributes["voxtrace.execution_provider"]).toBe("cpu");
    expect(attributes["host.name"]).toBeTypeOf("string");
    expect(attributes["process.pid"]).toBe(process.pid);
    expect(attributes["deployment.environment"]).toBe("test");
    await running.shutdown();

    running = await startTelemetry({ prometheusPort: 0, env: { OTEL_SERVICE_NAME: "dictation" } });
    expect(running.resource.attributes["service.name"]).toBe("dictation");
  });

  it("leaves process.env as it found it", async () => {
    const before = JSON.stringify(process.env);
    running = await startTelemetry({ prometheusPort: 0 });
    expect(JSON.stringify(process.env)).toBe(before);
  });

  it("does nothing, not even the endpoint, when OTEL_SDK_DISABLED=true", async () => {
    running = await startTelemetry({ prometheusPort: 9464, env: { OTEL_SDK_DISABLED: "true" } });
    expect(running.enabled).toBe(false);
    expect(running.prometheusUrl).toBeUndefined();
    await recordWork(running, 1);
  });

  it("sends traces and metrics as OTLP http/json to OTEL_EXPORTER_OTLP_ENDPOINT", async () => {
    const received: { path: string; body: string }[] = [];
    const collector = http.createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        received.push({ path: request.url ?? "", body });
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const { port } = collector.address() as AddressInfo;
    try {
      running = await startTelemetry({
        prometheusPort: 0,
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
          OTEL_METRICS_EXPORTER: "otlp",
        },
      });
      await recordWork(running, 1);
      await running.shutdown();
      const traces = received.filter((r) => r.path === "/v1/traces").map((r) => r.body);
      const metrics = received.filter((r) => r.path === "/v1/metrics").map((r) => r.body);
      expect(traces.join()).toContain('"name":"utterance"');
      expect(metrics.join()).toContain('"name":"voxtrace.stage.duration"');
      expect(running.failures.failures).toBe(0);
    } finally {
      collector.close();
    }
  });
});

describe("startTelemetry with a broken OTLP endpoint", () => {
  it("keeps recording against a closed port, reports the failure once and counts every one", async () => {
    const stderr = captureStderr();
    const port = await freePort();
    running = await startTelemetry({
      prometheusPort: 0,
      stderr: stderr.stream,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
        OTEL_BSP_SCHEDULE_DELAY: "20",
        OTEL_EXPORTER_OTLP_TIMEOUT: "500",
      },
    });
    const telemetry = running;
    await recordWork(telemetry, 3);
    await until(() => telemetry.failures.failures >= 1, "a first failed export");
    await recordWork(telemetry, 3);
    await until(() => telemetry.failures.failures >= 2, "a second failed export");
    expect(await settledWithin(telemetry.shutdown(), 10_000)).toBe(true);
    const reports = stderr.lines().filter((l) => l.includes("telemetry export failed"));
    expect(reports).toHaveLength(1);
    expect(stderr.lines()).toHaveLength(1);
  });

  it("returns from shutdown within its bound while the endpoint accepts and never answers", async () => {
    const sockets = new Set<net.Socket>();
    const hanging = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    const { port } = hanging.address() as AddressInfo;
    const stderr = captureStderr();
    try {
      running = await startTelemetry({
        prometheusPort: 0,
        stderr: stderr.stream,
        shutdownTimeoutMs: 500,
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
          OTEL_METRICS_EXPORTER: "otlp",
          OTEL_BSP_SCHEDULE_DELAY: "20",
          // Far longer than the test: only shutdown's own bound can end the wait.
          OTEL_EXPORTER_OTLP_TIMEOUT: "600000",
          OTEL_METRIC_EXPORT_TIMEOUT: "600000",
        },
      });
      const telemetry = running;
      await recordWork(telemetry, 3);
      await until(() => sockets.size > 0, "the exporter to connect");
      // Stage work is never held up by the export in flight.
      expect(await settledWithin(recordWork(telemetry, 50), 10_000)).toBe(true);
      expect(await settledWithin(telemetry.shutdown(), 10_000)).toBe(true);
      expect(await settledWithin(telemetry.shutdown(), 10)).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      hanging.close();
    }
  });

  it("reports a hanging endpoint's timeouts once", async () => {
    const sockets = new Set<net.Socket>();
    const hanging = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    const { port } = hanging.address() as AddressInfo;
    const stderr = captureStderr();
    try {
      running = await startTelemetry({
        prometheusPort: 0,
        stderr: stderr.stream,
        env: {
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
          OTEL_BSP_SCHEDULE_DELAY: "20",
          OTEL_EXPORTER_OTLP_TIMEOUT: "200",
        },
      });
      const telemetry = running;
      await recordWork(telemetry, 3);
      await until(() => telemetry.failures.failures >= 1, "a first timed-out export");
      await recordWork(telemetry, 3);
      await until(() => telemetry.failures.failures >= 2, "a second timed-out export");
      await telemetry.shutdown();
      expect(stderr.lines().filter((l) => l.includes("telemetry export failed"))).toHaveLength(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      hanging.close();
    }
  });
});

describe("startTelemetry with bad OTEL_* values", () => {
  it("warns once in one line per bad value and starts with the defaults", async () => {
    const stderr = captureStderr();
    running = await startTelemetry({
      prometheusPort: 0,
      stderr: stderr.stream,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
        OTEL_METRIC_EXPORT_INTERVAL: "-5",
        OTEL_METRIC_EXPORT_TIMEOUT: "-1",
      },
    });
    await recordWork(running, 1);
    expect(stderr.lines()).toEqual([
      "voxtrace: warning: OTEL_METRIC_EXPORT_INTERVAL='-5' is not milliseconds from 1; using the default",
      "voxtrace: warning: OTEL_METRIC_EXPORT_TIMEOUT='-1' is not milliseconds from 1; using the default",
    ]);
  });

  const OTEL_KEYS = [
    "OTEL_METRIC_EXPORT_INTERVAL",
    "OTEL_METRIC_EXPORT_TIMEOUT",
    "OTEL_BSP_SCHEDULE_DELAY",
    "OTEL_BSP_MAX_QUEUE_SIZE",
    "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
    "OTEL_BLRP_EXPORT_TIMEOUT",
    "OTEL_EXPORTER_OTLP_TIMEOUT",
    "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_METRICS_EXPORTER",
    "OTEL_TRACES_EXPORTER",
    "OTEL_LOGS_EXPORTER",
    "OTEL_TRACES_SAMPLER",
    "OTEL_TRACES_SAMPLER_ARG",
    "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    "OTEL_RESOURCE_ATTRIBUTES",
    "OTEL_SERVICE_NAME",
    "OTEL_EXPORTER_OTLP_HEADERS",
  ];
  const otelValue = fc.oneof(
    fc.integer({ min: -1e12, max: 1e12 }).map(String),
    fc.double().map(String),
    fc.constantFrom("", " ", "0", "1", "60000", "1e3", "0x10", "Infinity", "NaN", "-0"),
    fc.constantFrom("grpc", "http/json", "http/protobuf", "otlp", "none", "console", "prometheus"),
    fc.constantFrom("otlp,console", "bogus", "always_on", "traceidratio", "0.5", "2"),
    fc.constantFrom("http://127.0.0.1:9", "https://x", "localhost:4318", "ftp://x", "http://"),
    fc.string({ unit: "binary", maxLength: 30 }),
  );
  const otelEnv = fc.dictionary(fc.constantFrom(...OTEL_KEYS), otelValue, { maxKeys: 6 });
  // eslint-disable-next-line no-control-regex -- the characters under test
  const CONTROL = new RegExp("[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]");

  it("keeps only values the SDK accepts, warning in one line for each other one", () => {
    fc.assert(
      fc.property(otelEnv, (env) => {
        const warnings: string[] = [];
        const otel = otelEnvironment(env, (line) => warnings.push(line));
        // Each value is kept as given, or named in a warning (blank ones count as unset).
        for (const [key, value] of Object.entries(env)) {
          const warned = warnings.filter((w) => w.includes(` ${key}=`)).length;
          if (value.trim() === "") expect(warned, key).toBe(0);
          else expect(warned, key).toBe(otel[key] === value ? 0 : 1);
        }
        for (const line of warnings) {
          expect(line).toMatch(
            /^voxtrace: warning: OTEL_[A-Z_]+='[^\n]*' is not [^\n]+; using the default$/,
          );
          expect(line).not.toMatch(CONTROL);
        }
        for (const key of ["OTEL_METRIC_EXPORT_INTERVAL", "OTEL_METRIC_EXPORT_TIMEOUT"]) {
          const value = otel[key]?.trim();
          if (value) expect(Number(value) >= 1 && Number(value) <= 2 ** 31 - 1).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("starts under any OTEL_* values, with one-line warnings at most", async () => {
    await fc.assert(
      fc.asyncProperty(otelEnv, async (env) => {
        const stderr = captureStderr();
        const telemetry = await startTelemetry({
          prometheusPort: 0,
          stderr: stderr.stream,
          env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9", ...env },
          shutdownTimeoutMs: 200,
        });
        try {
          await recordWork(telemetry, 1);
        } finally {
          await telemetry.shutdown();
        }
        for (const line of stderr.lines()) {
          expect(line).toMatch(/^voxtrace: warning: /);
          expect(line).not.toMatch(CONTROL);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});

describe("ExportFailureReporter", () => {
  /** The one line a reporter prints for `report`. */
  function lineFor(report: (reporter: ExportFailureReporter) => void): string[] {
    const stderr = captureStderr();
    const reporter = new ExportFailureReporter(stderr.stream);
    reporter.install();
    try {
      report(reporter);
    } finally {
      reporter.uninstall();
    }
    return stderr.lines();
  }

  it("shows the SDK error handler's JSON as the error's message alone, without its stack", () => {
    const error = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4318"), {
      code: "ECONNREFUSED",
    });
    const lines = lineFor(() => globalErrorHandler(error));
    expect(lines).toEqual([
      "voxtrace: warning: telemetry export failed (connect ECONNREFUSED 127.0.0.1:4318 [ECONNREFUSED]); transcription goes on, further failures are counted in voxtrace.telemetry.export.failures",
    ]);
  });

  it("prints one escaped, bounded line without a stack for anything the SDK logs", () => {
    // eslint-disable-next-line no-control-regex -- the characters under test
    const CONTROL = new RegExp("[\\u0000-\\u001f\\u007f-\\u009f]");
    const arg = fc.oneof(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.string({ unit: "binary", maxLength: 100 }).map((m) => new Error(m)),
      fc
        .string({ unit: "binary", maxLength: 100 })
        .map((m) => JSON.stringify({ stack: `Error: ${m}\n    at f (x.js:1:1)`, message: m })),
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(null, undefined, 0, {}),
    );
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.array(arg, { maxLength: 3 }),
        (message, args) => {
          const lines = lineFor((reporter) => reporter.error(message, ...args));
          expect(lines).toHaveLength(1);
          const detail =
            /^voxtrace: warning: telemetry export failed \((.*)\); transcription goes on/.exec(
              lines[0]!,
            )?.[1];
          expect(detail).toBeDefined();
          expect(detail!.length).toBeLessThanOrEqual(160);
          expect(lines[0]).not.toMatch(CONTROL);
          expect(lines[0]).not.toMatch(/"stack"|\bat f \(x\.js/);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
