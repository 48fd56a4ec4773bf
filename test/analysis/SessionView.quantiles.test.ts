// The read model's quantiles from merged deltas, explicit and exponential, and its memory
// growth: the leak rule's own estimate with the session's recorded rules, not a refit.

import { describe, expect, it } from "vitest";
import type { RecordedEvent } from "../../src/analysis/AnalyzerEvent.js";
import { DEFAULT_RULES } from "../../src/analysis/RulesConfig.js";
import { METRIC_PROCESS_MEMORY_USAGE, METRIC_UTTERANCE_LATENCY } from "../../src/semconv.js";
import { summarizeEvents } from "../support/summarizeEvents.js";

const T0 = 1_700_000_000_000;
const started = (rules = DEFAULT_RULES): RecordedEvent => ({
  seq: 1,
  time: T0,
  type: "SessionStarted",
  data: { sessionId: "s", version: "0", rules, intervalMs: 5000 },
});

describe("SessionView", () => {
  it("merges explicit deltas and interpolates inside the bucket", () => {
    const delta = (seq: number, counts: number[]): RecordedEvent => ({
      seq,
      time: T0 + seq * 5000,
      type: "HistogramObserved",
      data: {
        metric: METRIC_UTTERANCE_LATENCY,
        count: counts.reduce((a, b) => a + b, 0),
        sum: 1,
        buckets: { kind: "explicit", boundaries: [0.1, 1], counts },
      },
    });
    const summary = summarizeEvents([started(), delta(2, [5, 5, 0]), delta(3, [0, 10, 0])]);
    expect(summary.latency.count).toBe(20);
    // 5 in (0, 0.1], 15 in (0.1, 1]: the median is a third of the way into the second bucket.
    expect(summary.latency.p50).toBeCloseTo(0.1 + 0.9 * (5 / 15), 6);
  });

  it("merges exponential deltas of different scales", () => {
    const value = (scale: number, v: number) => {
      const index = Math.ceil(Math.log2(v) * 2 ** scale) - 1;
      return {
        kind: "exponential" as const,
        scale,
        zeroCount: 0,
        positive: { offset: index, counts: [1] },
        negative: { offset: 0, counts: [] },
      };
    };
    const events: RecordedEvent[] = [started()];
    const values = [0.05, 0.07, 0.1, 0.2, 0.3, 0.5, 0.8, 1.3, 2.1, 3.4];
    values.forEach((v, i) =>
      events.push({
        seq: i + 2,
        time: T0 + i * 5000,
        type: "HistogramObserved",
        data: {
          metric: METRIC_UTTERANCE_LATENCY,
          count: 1,
          sum: v,
          min: v,
          max: v,
          buckets: value(i % 2 ? 5 : 8, v),
        },
      }),
    );
    const summary = summarizeEvents(events);
    expect(summary.latency.count).toBe(10);
    expect(summary.latency.p95! / 3.4 - 1).toBeCloseTo(0, 6); // clamped to the max
    expect(Math.abs(summary.latency.p50! / 0.3 - 1)).toBeLessThan(0.025);
  });

  it("reports memory growth as the leak rule estimates it", () => {
    const events: RecordedEvent[] = [started()];
    for (let i = 0; i < 720; i++)
      events.push({
        seq: i + 2,
        time: T0 + i * 5000,
        type: "GaugeObserved",
        data: { metric: METRIC_PROCESS_MEMORY_USAGE, value: 2e8 + i * 5000 * 1000 }, // 1 MB/s for an hour
      });
    const growth = summarizeEvents(events).memory.growthBytesPerSecond!;
    expect(growth).toBeGreaterThan(0.9e6);
    expect(growth).toBeLessThan(1.1e6);
  });
});
