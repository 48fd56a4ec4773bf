import { describe, expect, it } from "vitest";
import type { RecordedEvent } from "../../src/analysis/AnalyzerEvent.js";
import { summarizeEvents } from "../support/summarizeEvents.js";
import { METRIC_PROCESS_CPU_UTILIZATION, METRIC_PROCESS_MEMORY_USAGE } from "../../src/semconv.js";

describe("SessionView", () => {
  it("summarizes 11 days of 5 s CPU and memory samples (200k each) without overflowing the stack", () => {
    const events: RecordedEvent[] = [];
    for (let i = 0; i < 200_000; i++) {
      const time = 1_700_000_000_000 + i * 5000;
      const base = { time, type: "GaugeObserved" as const };
      events.push({
        ...base,
        seq: 2 * i + 1,
        data: { metric: METRIC_PROCESS_CPU_UTILIZATION, value: (i % 10) / 10 },
      });
      events.push({
        ...base,
        seq: 2 * i + 2,
        data: { metric: METRIC_PROCESS_MEMORY_USAGE, value: 1e8 + i },
      });
    }
    const summary = summarizeEvents(events);
    expect(summary.cpu.max).toBe(0.9);
    expect(summary.memory.peak).toBe(1e8 + 199_999);
  });
});
