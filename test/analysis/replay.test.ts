// Replay goes through the same fold as the live analyzer: with the recorded rules it gives
// the recorded alerts byte for byte, with other rules it answers "what would have fired?",
// and a log holding two sessions is judged one session at a time.

import { describe, expect, it } from "vitest";
import { Analyzer } from "../../src/analysis/Analyzer.js";
import { serializeEvent, type RecordedEvent } from "../../src/analysis/AnalyzerEvent.js";
import { replay } from "../../src/analysis/replay.js";
import { applyRuleOverrides, DEFAULT_RULES } from "../../src/analysis/RulesConfig.js";
import { METRIC_PROCESS_CPU_UTILIZATION } from "../../src/semconv.js";

/** A live session whose CPU rises above 0.5 and falls again; returns what its log holds. */
function liveSession(start: number): RecordedEvent[] {
  const log: RecordedEvent[] = [];
  let time = start;
  const analyzer = new Analyzer({
    rules: DEFAULT_RULES,
    sessionId: `s${start}`,
    intervalMs: 5000,
    log: { append: (event: RecordedEvent) => void log.push(event), close: () => {} } as never,
    now: () => time,
  });
  for (let i = 0; i < 80; i++) {
    time = start + i * 5000;
    const cpu = i >= 10 && i < 40 ? 0.9 : 0.1;
    analyzer.observe(
      [{ type: "GaugeObserved", data: { metric: METRIC_PROCESS_CPU_UTILIZATION, value: cpu } }],
      time,
    );
  }
  analyzer.end("completed");
  return log;
}

const alertsOf = (events: RecordedEvent[]): string[] =>
  events.filter((e) => e.type === "AlertFired" || e.type === "AlertResolved").map(serializeEvent);

describe("replay", () => {
  it("gives the live session's alerts byte for byte", () => {
    const log = liveSession(1_700_000_000_000);
    expect(alertsOf(log)).toHaveLength(2);
    expect(replay(log).alerts.map(serializeEvent)).toEqual(alertsOf(log));
  });

  it("answers what other thresholds would have fired", () => {
    const log = liveSession(1_700_000_000_000);
    const never = replay(log, (rules) => applyRuleOverrides(["cpu.threshold=0.95"], rules));
    expect(never.alerts).toEqual([]);
    const always = replay(log, (rules) => applyRuleOverrides(["cpu.threshold=0.05"], rules));
    expect(always.alerts.map((a) => a.type)).toEqual(["AlertFired"]);
  });

  it("judges each session of a log that holds two on its own", () => {
    const first = liveSession(1_700_000_000_000);
    const second = liveSession(1_700_001_000_000);
    const replayed = replay([...first, ...second]).alerts.map(serializeEvent);
    expect(replayed).toEqual([...alertsOf(first), ...alertsOf(second)]);
  });
});
