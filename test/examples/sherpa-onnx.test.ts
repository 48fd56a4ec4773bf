// The sherpa-onnx example as a user runs it: sherpa-onnx-node's Vad and OnlineRecognizer
// on the real demo model and session, observed by voxtrace inside the app's own NodeSDK,
// whose span and log exporters here keep what they receive in memory. Needs `npm run build`.

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { context, metrics, propagation, trace } from "@opentelemetry/api";
import { logs } from "@opentelemetry/api-logs";
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { wordErrorRate } from "../helpers/wer.js";
import { AUDIO_DIR, REPO } from "../support/runCli.js";

interface ExampleUtterance {
  index: number;
  text: string;
  latencyMs: number;
}
interface ExampleModule {
  run(options: Record<string, unknown>): Promise<{
    utterances: ExampleUtterance[];
    eventsPath: string | undefined;
    alertsFired: string[];
  }>;
}
interface LoggedEvent {
  type: string;
  data: {
    metric?: string;
    attributes?: Record<string, string>;
    count?: number;
    rule?: string;
    value?: number;
  };
}

const EXAMPLE = path.join(REPO, "examples/sherpa-onnx.mjs");
const manifest = JSON.parse(readFileSync(path.join(AUDIO_DIR, "manifest.json"), "utf8")) as {
  files: Record<string, { text: string; utterances: number }>;
};
const session = manifest.files["session-dictation.wav"]!;
const spoken = session.text.split(" | ");

// The app's exporters as a backend would hold them: the in-memory ones forget everything
// when the SDK shuts them down, and the example shuts its SDK down before it returns.
class KeptSpans extends InMemorySpanExporter {
  override shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
class KeptLogs extends InMemoryLogRecordExporter {
  override shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

async function runExample(delayMs: number) {
  const example = (await import(EXAMPLE)) as ExampleModule;
  const spans = new KeptSpans();
  const logRecords = new KeptLogs();
  const eventsPath = path.join(mkdtempSync(path.join(os.tmpdir(), "voxtrace-sherpa-")), "s.ndjson");
  const typed: string[] = [];
  try {
    const result = await example.run({
      delayMs,
      eventsPath,
      spanProcessors: [new SimpleSpanProcessor(spans)],
      logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logRecords })],
      out: { write: (line: string) => typed.push(line) },
    });
    const events = readFileSync(eventsPath, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as LoggedEvent);
    return {
      result,
      spans: spans.getFinishedSpans(),
      logs: logRecords.getFinishedLogRecords(),
      events,
      typed,
    };
  } finally {
    // The example's SDK leaves its providers registered, as an app's would; the next run
    // in this process registers its own.
    trace.disable();
    metrics.disable();
    logs.disable();
    propagation.disable();
    context.disable();
  }
}

const histogramCount = (events: LoggedEvent[], metric: string, stage?: string) =>
  events
    .filter(
      (e) =>
        e.type === "HistogramObserved" &&
        e.data.metric === metric &&
        (stage === undefined || e.data.attributes?.["voxtrace.stage"] === stage),
    )
    .reduce((sum, e) => sum + (e.data.count ?? 0), 0);

const latencyAlerts = (events: LoggedEvent[]) =>
  events.filter((e) => e.type === "AlertFired" && e.data.rule === "latency_p95");

describe("examples/sherpa-onnx.mjs", () => {
  it("makes one trace per utterance with vad, stt and inject child spans, and transcribes the session", async () => {
    const { result, spans, events, typed } = await runExample(0);

    expect(result.utterances).toHaveLength(session.utterances);
    expect(typed).toHaveLength(session.utterances);
    const wer =
      result.utterances.reduce((sum, u, i) => sum + wordErrorRate(spoken[i]!, u.text), 0) /
      spoken.length;
    expect(wer).toBeLessThanOrEqual(0.6);

    const roots = spans.filter((s) => s.name === "utterance");
    expect(roots).toHaveLength(session.utterances);
    expect(new Set(roots.map((s) => s.spanContext().traceId)).size).toBe(session.utterances);
    for (const root of roots) {
      expect(root.parentSpanContext).toBeUndefined();
      const children = spans.filter(
        (s: ReadableSpan) => s.parentSpanContext?.spanId === root.spanContext().spanId,
      );
      const names = children.map((s) => s.name);
      expect(names).toContain("vad.frames");
      expect(names).toContain("stt.chunk");
      expect(names.filter((n) => n === "stt.final")).toHaveLength(1);
      expect(names.filter((n) => n === "inject")).toHaveLength(1);
      expect(children.every((s) => s.spanContext().traceId === root.spanContext().traceId)).toBe(
        true,
      );
    }

    for (const stage of ["vad", "stt", "inject"])
      expect(histogramCount(events, "voxtrace.stage.duration", stage)).toBeGreaterThan(0);
    expect(histogramCount(events, "voxtrace.utterance.latency")).toBe(session.utterances);
    expect(events.at(-1)?.type).toBe("SessionEnded");
  });

  it("fires latency_p95 through the app's own log exporter when the decode loop is slowed", async () => {
    const { result, logs: records, events } = await runExample(700);

    expect(result.utterances.every((u) => u.latencyMs >= 700)).toBe(true);
    const alerts = latencyAlerts(events);
    expect(alerts).toHaveLength(1);
    // The P95 it reports is the drill's: the added 0.7 s (less a histogram bucket's
    // error) and more, in seconds.
    expect(alerts[0]!.data.value).toBeGreaterThanOrEqual(0.65);
    expect(alerts[0]!.data.value).toBeLessThan(10);
    expect(result.alertsFired).toContain("latency_p95");
    const fired = records.filter((r) => r.eventName === "voxtrace.alert.fired");
    expect(fired.map((r) => r.attributes["voxtrace.alert.rule"])).toContain("latency_p95");
  });

  it("exits on its own when run from the command line, with nothing left running", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "voxtrace-sherpa-cli-"));
    const env = { ...process.env };
    delete env.OTEL_EXPORTER_OTLP_ENDPOINT; // console exporters, not a collector
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>(
      (resolve) => {
        const child = execFile(
          process.execPath,
          [EXAMPLE, "--events", path.join(dir, "cli.ndjson")],
          { cwd: REPO, env, timeout: 60_000 },
          (_error, out) => resolve({ code: child.exitCode, stdout: out }),
        );
      },
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^${session.utterances} utterances; latency ms `, "m"));
  });
});
