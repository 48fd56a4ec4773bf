// Writes a session log through the real Analyzer and EventLog whose strings are chosen by
// the test: stage names (histogram attribute values, shown in reports and comparisons),
// metric names and a capture-restart command and reason.

import { Analyzer } from "../../src/analysis/Analyzer.js";
import type { ObservationEvent } from "../../src/analysis/AnalyzerEvent.js";
import { EventLog } from "../../src/analysis/EventLog.js";
import { DEFAULT_RULES } from "../../src/analysis/RulesConfig.js";
import { DURATION_BUCKETS_S } from "../../src/semconv.js";

export async function writeHostileLog(
  file: string,
  strings: { stages: readonly string[]; other?: string; intervals?: number },
): Promise<void> {
  const log = await EventLog.open(file);
  const start = 1_700_000_000_000;
  const analyzer = new Analyzer({
    rules: DEFAULT_RULES,
    sessionId: strings.other ?? "hostile",
    intervalMs: 5000,
    log,
    now: () => start,
  });
  const counts = new Array<number>(DURATION_BUCKETS_S.length + 1).fill(0);
  counts[3] = 2;
  const buckets = { kind: "explicit" as const, boundaries: DURATION_BUCKETS_S, counts };
  for (let i = 0; i < (strings.intervals ?? 20); i++) {
    const observations: ObservationEvent[] = [
      {
        type: "GaugeObserved",
        data: { metric: "process.cpu.utilization", value: 0.1 + (i % 3) / 10 },
      },
      { type: "GaugeObserved", data: { metric: "process.memory.usage", value: 2e8 + i * 1e6 } },
      { type: "GaugeObserved", data: { metric: strings.other ?? "x", value: 1 } },
      ...strings.stages.map((stage, k): ObservationEvent => ({
        type: "HistogramObserved",
        data: {
          metric: "voxtrace.stage.duration",
          attributes: { "voxtrace.stage": stage },
          count: 2,
          sum: 0.01 * (k + 1) * (1 + (i % 4)),
          max: 0.02,
          buckets,
        },
      })),
      {
        type: "HistogramObserved",
        data: {
          metric: "voxtrace.utterance.latency",
          count: 2,
          sum: 0.2 + i / 100,
          max: 0.2,
          buckets,
        },
      },
    ];
    analyzer.observe(observations, start + i * 5000);
  }
  if (strings.other !== undefined)
    analyzer.note({
      type: "CaptureRestarted",
      data: { command: strings.other, reason: strings.other, attempt: 1, delayMs: 10 },
    });
  analyzer.end(strings.other ?? "completed");
}
