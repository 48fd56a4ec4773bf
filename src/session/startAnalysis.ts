// Wires the analyzer into a run: the event log file, the metric reader that feeds it,
// and the emitter that delivers its alerts. Returns the reader for the SDK and a
// function that ends the session once the SDK has made its last collection.

import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import type { IMetricReader } from "@opentelemetry/sdk-metrics";
import { AlertEmitter } from "../analysis/AlertEmitter.js";
import { createAnalysisReader } from "../analysis/AnalysisMetricExporter.js";
import { Analyzer } from "../analysis/Analyzer.js";
import { EventLog } from "../analysis/EventLog.js";
import type { RulesConfig } from "../analysis/RulesConfig.js";
import type { Telemetry } from "../instrumentation/startTelemetry.js";

export interface AnalysisConfig {
  /** Event log path; default: one file per session in the XDG state directory. */
  eventsPath: string | undefined;
  rules: RulesConfig;
  intervalMs: number;
}

export interface AnalysisSession {
  readonly sessionId: string;
  readonly logPath: string;
  readonly analyzer: Analyzer;
  readonly reader: IMetricReader;
  /** Sends alerts to OTel and stderr; call once telemetry has started. */
  connect(telemetry: Telemetry, stderr: NodeJS.WritableStream): void;
  end(reason: string): void;
}

export function defaultEventsPath(sessionId: string, env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || path.join(os.homedir(), ".local", "state");
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return path.join(state, "voxtrace", "sessions", `${stamp}-${sessionId.slice(0, 8)}.ndjson`);
}

export async function startAnalysis(
  config: AnalysisConfig,
  meta: { model: string; executionProvider: string },
): Promise<AnalysisSession> {
  const sessionId = randomUUID();
  const logPath = config.eventsPath ?? defaultEventsPath(sessionId);
  const log = await EventLog.open(logPath);
  const analyzer = new Analyzer({
    rules: config.rules,
    sessionId,
    intervalMs: config.intervalMs,
    log,
    model: meta.model,
    executionProvider: meta.executionProvider,
  });
  const reader = createAnalysisReader({
    intervalMs: config.intervalMs,
    onObservations: (observations, time) => analyzer.observe(observations, time),
  });
  return {
    sessionId,
    logPath,
    analyzer,
    reader,
    connect(telemetry, stderr) {
      const emitter = new AlertEmitter({
        meter: telemetry.meter,
        logger: telemetry.logger,
        tracer: telemetry.tracer,
        stderr,
      });
      analyzer.onAlert((alert) => emitter.emit(alert));
    },
    end: (reason) => analyzer.end(reason),
  };
}
