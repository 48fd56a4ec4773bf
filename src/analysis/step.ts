// The analyzer's one step: fold an event into the state (evolve) and return the alerts it
// makes due (decide). The live analyzer and replay both run every event through here, so a
// replay with the recorded rules gives the recorded alerts by construction.

import { advanceAlert, recordAlert } from "./alertLifecycle.js";
import type { AlertEvent, RecordedEvent } from "./AnalyzerEvent.js";
import { initialState, type AnalyzerState } from "./AnalyzerState.js";
import { RULE_NAMES, type RuleName } from "./RulesConfig.js";
import { RULES } from "./rules/allRules.js";
import type { RuleInput } from "./rules/Rule.js";
import { seriesTable } from "./SeriesTable.js";

/** Rules by the series they read, settled once. */
const READERS = new Map<string, RuleName[]>();
for (const rule of RULE_NAMES) {
  for (const input of RULES[rule].inputs) READERS.set(input, [...(READERS.get(input) ?? []), rule]);
}
const NONE: readonly AlertEvent[] = [];

export function step(state: AnalyzerState, event: RecordedEvent): readonly AlertEvent[] {
  state.time = event.time;
  switch (event.type) {
    case "SessionStarted": {
      const fresh = initialState(event.data.rules);
      Object.assign(state, fresh, {
        time: event.time,
        startedAt: event.time,
        table: seriesTable(event.data.latencyMetric),
      });
      return NONE;
    }
    case "GaugeObserved": {
      const spec = state.table.get(event.data.metric);
      if (spec?.kind !== "gauge") return NONE;
      const latest = state.latest[spec.key];
      if (latest && latest.t === event.time && spec.perInstant === "max")
        latest.v = Math.max(latest.v, event.data.value);
      else state.latest[spec.key] = { t: event.time, v: event.data.value };
      return judge(state, event, {
        kind: "gauge",
        key: spec.key,
        t: event.time,
        v: event.data.value,
      });
    }
    case "HistogramObserved": {
      const spec = state.table.get(event.data.metric);
      if (spec?.kind !== "histogram" || spec.key !== "latency") return NONE;
      return judge(state, event, {
        kind: "histogram",
        key: "latency",
        t: event.time,
        delta: event.data,
      });
    }
    case "AlertFired":
    case "AlertResolved":
      recordAlert(state.alerts[event.data.rule], event);
      return NONE;
    case "CaptureRestarted":
      state.captureRestarts += 1;
      return NONE;
    case "SessionEnded":
      return NONE;
    default: {
      const unexpected: never = event;
      throw new Error(`unknown event ${JSON.stringify(unexpected)}`);
    }
  }
}

function judge(
  state: AnalyzerState,
  cause: RecordedEvent,
  input: RuleInput,
): readonly AlertEvent[] {
  const readers = READERS.get(input.key);
  if (!readers) return NONE;
  let emitted: AlertEvent[] | undefined;
  for (const name of readers) {
    const rule = RULES[name];
    const config = state.rules[name];
    const judgement = rule.observe(state.memos[name] as never, input, {
      time: state.time,
      config,
      warmEnd: state.startedAt + config.warmup,
    });
    const alert = advanceAlert(
      state.alerts[name],
      name,
      config,
      judgement,
      cause,
      rule.formatThreshold,
    );
    if (alert) (emitted ??= []).push(alert);
  }
  return emitted ?? NONE;
}
