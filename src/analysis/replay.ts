// Replay: re-derive the alerts from a log's own events. Recorded alerts are dropped and the
// rest run through the same fold as the live analyzer, so with the recorded rules the derived
// alerts equal the recorded ones byte for byte; with other rules it answers "what would have
// fired?". A log that holds several sessions (written before the event log refused to mix
// them) is judged one session at a time.

import type { AlertEvent, RecordedEvent } from "./AnalyzerEvent.js";
import { AnalysisFold } from "./AnalysisFold.js";
import type { AnalyzerState } from "./AnalyzerState.js";
import type { RulesConfig } from "./RulesConfig.js";

export type RulesOverride = (recorded: RulesConfig) => RulesConfig;

export class Replay {
  #fold = new AnalysisFold();
  readonly #override: RulesOverride | undefined;
  /** Sessions seen so far. */
  sessions = 0;

  constructor(override?: RulesOverride) {
    this.#override = override;
  }

  get state(): Readonly<AnalyzerState> {
    return this.#fold.state;
  }

  /** Folds one event from a log; `onEvent` sees it (renumbered) and every alert it causes. */
  add(event: RecordedEvent, onEvent: (event: RecordedEvent) => void): void {
    if (event.type === "AlertFired" || event.type === "AlertResolved") return;
    let input = event;
    if (event.type === "SessionStarted") {
      this.sessions++;
      if (this.#fold.length > 0) this.#fold = new AnalysisFold();
      if (this.#override)
        input = { ...event, data: { ...event.data, rules: this.#override(event.data.rules) } };
    }
    this.#fold.record(input, input.time, onEvent);
  }
}

export interface ReplayResult {
  alerts: RecordedEvent<AlertEvent>[];
  state: Readonly<AnalyzerState>;
}

/** Replays a whole log held in memory (tests, small logs); `analyzeLog` streams instead. */
export function replay(events: Iterable<RecordedEvent>, override?: RulesOverride): ReplayResult {
  const run = new Replay(override);
  const alerts: RecordedEvent<AlertEvent>[] = [];
  const keep = (event: RecordedEvent): void => {
    if (event.type === "AlertFired" || event.type === "AlertResolved") alerts.push(event);
  };
  for (const event of events) run.add(event, keep);
  return { alerts, state: run.state };
}
