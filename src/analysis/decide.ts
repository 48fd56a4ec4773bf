// Alert decisions: after an observation has been folded in, each rule whose condition
// has held for its `for` fires once; a firing rule whose resolving condition has held for
// `resolve_for` resolves. Pure: state and event in, events out.

import type { AlertEvent, RecordedEvent } from "./AnalyzerEvent.js";
import { ruleFor, type AnalyzerState } from "./AnalyzerState.js";
import type { RuleName } from "./RulesConfig.js";

export function decide(state: AnalyzerState, event: RecordedEvent): AlertEvent[] {
  if (event.type !== "GaugeObserved" && event.type !== "HistogramObserved") return [];
  const rule = ruleFor(event.data.metric);
  if (!rule) return [];
  const alert = state.alerts[rule];
  const config = state.rules[rule];
  const judgement = alert.judgement;
  if (!judgement) return [];
  const data = {
    rule,
    value: judgement.value,
    threshold: config.threshold,
    windowMs: config.window,
    forMs: config.for,
    causeSeq: event.seq,
  };
  if (
    !alert.firing &&
    alert.holdingSince !== undefined &&
    event.time - alert.holdingSince >= config.for
  ) {
    return [
      {
        type: "AlertFired",
        data: {
          ...data,
          message: `${rule} fired: ${judgement.describe} > ${formatThreshold(rule, config.threshold)}`,
        },
      },
    ];
  }
  if (
    alert.firing &&
    alert.clearSince !== undefined &&
    event.time - alert.clearSince >= config.resolve_for
  ) {
    return [
      {
        type: "AlertResolved",
        data: { ...data, message: `${rule} resolved: ${judgement.describe}` },
      },
    ];
  }
  return [];
}

/** The threshold in the unit its rule speaks: bytes as GB or MB/s, seconds, fractions. */
function formatThreshold(rule: RuleName, threshold: number): string {
  switch (rule) {
    case "gpu_memory":
      return `${threshold / 1e9} GB`;
    case "memory_leak":
      return `${threshold / 1e6} MB/s`;
    case "latency_p95":
      return `${threshold} s`;
    case "cpu":
      return `${threshold} of all cores`;
    default: {
      const unexpected: never = rule;
      return String(unexpected);
    }
  }
}
