// Replay: re-derive the alerts from a log's observation events alone. With the recorded
// rules the derived alert events equal the recorded ones byte for byte (same seq, time
// and fields, because a live run appends each alert right after its cause); with other
// rules it answers "what would have fired?".

import type { AlertEvent, RecordedEvent } from "./AnalyzerEvent.js";
import { evolve, initialState, type AnalyzerState } from "./AnalyzerState.js";
import { decide } from "./decide.js";
import type { RulesConfig } from "./RulesConfig.js";

export interface ReplayResult {
  alerts: RecordedEvent<AlertEvent>[];
  state: AnalyzerState;
}

/** `override(recorded)` may change the rules a SessionStarted event carries. */
export function replay(
  events: Iterable<RecordedEvent>,
  override?: (recorded: RulesConfig) => RulesConfig,
): ReplayResult {
  let state = initialState();
  const alerts: RecordedEvent<AlertEvent>[] = [];
  // Sequence numbers as a live run with these rules would have written them.
  let shift = 0;
  for (const recorded of events) {
    if (recorded.type === "AlertFired" || recorded.type === "AlertResolved") {
      shift--;
      continue;
    }
    let event: RecordedEvent = { ...recorded, seq: recorded.seq + shift };
    if (event.type === "SessionStarted" && override) {
      event = { ...event, data: { ...event.data, rules: override(event.data.rules) } };
    }
    state = evolve(state, event);
    for (const decided of decide(state, event)) {
      shift++;
      // decide() yields at most one alert per observation: it takes the next position.
      const alert = {
        ...decided,
        seq: event.seq + 1,
        time: event.time,
      } as RecordedEvent<AlertEvent>;
      alerts.push(alert);
      state = evolve(state, alert);
    }
  }
  return { alerts, state };
}
