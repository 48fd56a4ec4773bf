// Writes a synthetic session log through the real Analyzer and EventLog: per 5 s interval,
// CPU, memory and GPU gauges and latency/stage histogram deltas drawn from a seeded RNG.

import { Analyzer } from "../../src/analysis/Analyzer.js";
import type { ExplicitBuckets, ObservationEvent } from "../../src/analysis/AnalyzerEvent.js";
import { EventLog } from "../../src/analysis/EventLog.js";
import { DEFAULT_RULES } from "../../src/analysis/RulesConfig.js";
import { DURATION_BUCKETS_S } from "../../src/semconv.js";

export interface SyntheticOptions {
  intervals: number;
  seed: number;
  /** Multiplies the STT stage's durations (2 = twice as slow). */
  sttScale?: number;
  leakBytesPerSecond?: number;
}

function histogram(
  metric: string,
  values: number[],
  attributes?: Record<string, string>,
): ObservationEvent {
  const counts = new Array<number>(DURATION_BUCKETS_S.length + 1).fill(0);
  for (const v of values) {
    const i = DURATION_BUCKETS_S.findIndex((b) => v <= b);
    counts[i === -1 ? DURATION_BUCKETS_S.length : i]!++;
  }
  const buckets: ExplicitBuckets = { kind: "explicit", boundaries: DURATION_BUCKETS_S, counts };
  return {
    type: "HistogramObserved",
    data: {
      metric,
      ...(attributes ? { attributes } : {}),
      count: values.length,
      sum: values.reduce((a, b) => a + b, 0),
      max: Math.max(...values),
      buckets,
    },
  };
}

export async function makeSyntheticLog(file: string, options: SyntheticOptions): Promise<void> {
  let state = options.seed >>> 0;
  const random = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const log = await EventLog.open(file);
  const start = 1_700_000_000_000;
  const analyzer = new Analyzer({
    rules: DEFAULT_RULES,
    sessionId: `synthetic-${options.seed}`,
    intervalMs: 5000,
    log,
    now: () => start,
  });
  for (let i = 0; i < options.intervals; i++) {
    const t = start + i * 5000;
    const stt = Array.from({ length: 3 }, () => (0.02 + 0.01 * random()) * (options.sttScale ?? 1));
    const vad = Array.from({ length: 6 }, () => 0.003 + 0.002 * random());
    analyzer.observe(
      [
        {
          type: "GaugeObserved",
          data: { metric: "process.cpu.utilization", value: 0.1 + 0.05 * random() },
        },
        {
          type: "GaugeObserved",
          data: {
            metric: "process.memory.usage",
            value: 2e8 + 2e7 * random() + (options.leakBytesPerSecond ?? 0) * i * 5,
          },
        },
        {
          type: "GaugeObserved",
          data: {
            metric: "process.gpu.memory.usage",
            value: 1.5e9 + 1e8 * random(),
            attributes: { "hw.id": "0" },
          },
        },
        histogram("voxtrace.stage.duration", stt, { "voxtrace.stage": "stt" }),
        histogram("voxtrace.stage.duration", vad, { "voxtrace.stage": "vad" }),
        histogram("voxtrace.utterance.latency", [
          0.1 + stt.reduce((a, b) => a + b, 0) + 0.02 * random(),
        ]),
      ],
      t,
    );
  }
  analyzer.end("completed");
}
