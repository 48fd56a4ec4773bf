// The analyzer as a plugin piece for a user's own NodeSDK: a metric reader that feeds the
// analyzer from the app's metric stream, the event log it appends to, and alerts delivered
// through the global providers (a log record with eventName, a span event, the
// voxtrace.alerts.active gauge). Built synchronously, before the SDK starts; the log gets
// SessionEnded when the SDK shuts down or close() is called. The CLI uses this same piece.

import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import type { IMetricReader } from "@opentelemetry/sdk-metrics";
import { AlertEmitter } from "./AlertEmitter.js";
import { createAnalysisReader } from "./AnalysisMetricExporter.js";
import { Analyzer, type AlertListener } from "./Analyzer.js";
import type { AnalyzerEvent } from "./AnalyzerEvent.js";
import type { AnalyzerState } from "./AnalyzerState.js";
import { EventLog } from "./EventLog.js";
import {
  applyRuleOverrides,
  DEFAULT_RULES,
  type RuleOverrides,
  type RulesConfig,
} from "./RulesConfig.js";
import { VoxtraceError } from "../errors.js";

export interface CreateAnalyzerOptions {
  /** Where the event log goes; default one file per session under $XDG_STATE_HOME/voxtrace/sessions. */
  eventsPath?: string;
  /** Rule settings: `{"latency_p95.threshold": "1.5s"}` or `["cpu.threshold=0.6"]`, as `--set` takes them. */
  set?: RuleOverrides;
  /** Rules to start from (the CLI's, with its --set applied); default the built-in ones. */
  rules?: RulesConfig;
  /** How often the analyzer reads the metric stream, ms. Default 5000. */
  intervalMs?: number;
  /** The histogram judged as utterance latency. Default voxtrace.utterance.latency. */
  latencyMetric?: string;
  /** One line per alert goes here too; default none (a library stays quiet). */
  stderr?: NodeJS.WritableStream;
  /** Recorded in SessionStarted. */
  model?: string;
  executionProvider?: string;
  /** Where OTEL_SDK_DISABLED is read. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface VoxtraceAnalyzer {
  /** Give this to the SDK: `new NodeSDK({ metricReaders: [analyzer.metricReader] })`. */
  readonly metricReader: IMetricReader;
  /** The event log; undefined when OTEL_SDK_DISABLED turned everything off. */
  readonly eventsPath: string | undefined;
  readonly sessionId: string;
  /** The analyzer's current state: series, each rule's judgement, which alerts fire. */
  state(): Readonly<AnalyzerState>;
  onAlert(listener: AlertListener): void;
  /** Records something that is not a metric (a capture restart). */
  note(event: Extract<AnalyzerEvent, { type: "CaptureRestarted" }>): void;
  /** Makes a last collection, writes SessionEnded with `reason` and closes the log. Idempotent. */
  close(reason?: string): Promise<void>;
}

export function defaultEventsPath(sessionId: string, env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || path.join(os.homedir(), ".local", "state");
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return path.join(state, "voxtrace", "sessions", `${stamp}-${sessionId.slice(0, 8)}.ndjson`);
}

export function createAnalyzer(options: CreateAnalyzerOptions = {}): VoxtraceAnalyzer {
  const intervalMs = options.intervalMs ?? 5000;
  if (!Number.isFinite(intervalMs) || intervalMs < 100 || intervalMs > 3_600_000)
    throw new VoxtraceError(
      "usage",
      `createAnalyzer: intervalMs ${intervalMs} is not within 100..3600000`,
    );
  const rules = applyRuleOverrides(options.set ?? [], options.rules ?? DEFAULT_RULES);
  const sessionId = randomUUID();
  const disabled = /^true$/i.test((options.env ?? process.env).OTEL_SDK_DISABLED?.trim() ?? "");
  const eventsPath = disabled
    ? undefined
    : (options.eventsPath ?? defaultEventsPath(sessionId, options.env));
  const log = eventsPath ? EventLog.openSync(eventsPath) : undefined;
  const analyzer = new Analyzer({
    rules,
    sessionId,
    intervalMs,
    log,
    latencyMetric: options.latencyMetric,
    model: options.model,
    executionProvider: options.executionProvider,
  });
  // Alerts go through the globals the user's SDK registers, so the emitter is built at the
  // first collection, when the SDK has started; until then there is nothing to emit.
  let emitter: AlertEmitter | undefined;
  analyzer.onAlert((alert) => emitter?.emit(alert));
  let endReason = "shutdown";
  const reader = createAnalysisReader({
    intervalMs,
    latencyMetric: options.latencyMetric,
    onObservations: (observations, time) => {
      emitter ??= new AlertEmitter(options.stderr ? { stderr: options.stderr } : { stderr: null });
      analyzer.observe(observations, time);
    },
    onShutdown: () => analyzer.end(endReason),
  });
  let closing: Promise<void> | undefined;
  return {
    metricReader: reader,
    eventsPath,
    sessionId,
    state: () => analyzer.state,
    onAlert: (listener) => analyzer.onAlert(listener),
    note: (event) => analyzer.note(event),
    close(reason = "closed") {
      closing ??= (async () => {
        endReason = reason;
        // The last collection, then the end; the SDK still owns the reader's shutdown (a
        // reader it never started, or already stopped, has nothing more to collect).
        await reader.forceFlush().catch(() => {});
        analyzer.end(reason);
      })();
      return closing;
    },
  };
}
