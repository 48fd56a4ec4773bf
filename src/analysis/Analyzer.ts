// The live analyzer: observations from the metric stream become events appended to the
// log, are folded into state, and the alerts decided from them are appended too and
// handed to listeners (the OTel emitter, stderr). IO is the log and the listeners.

import { VERSION } from "../version.js";
import type {
  AlertEvent,
  AnalyzerEvent,
  ObservationEvent,
  RecordedEvent,
} from "./AnalyzerEvent.js";
import { evolve, initialState, type AnalyzerState } from "./AnalyzerState.js";
import { decide } from "./decide.js";
import type { EventLog } from "./EventLog.js";
import type { RulesConfig } from "./RulesConfig.js";

export type AlertListener = (alert: RecordedEvent<AlertEvent>) => void;

export interface AnalyzerOptions {
  rules: RulesConfig;
  sessionId: string;
  intervalMs: number;
  log?: EventLog;
  model?: string;
  executionProvider?: string;
  now?: () => number;
}

export class Analyzer {
  #state: AnalyzerState;
  #seq = 0;
  readonly #log: EventLog | undefined;
  readonly #listeners: AlertListener[] = [];
  readonly #now: () => number;
  #ended = false;

  constructor(options: AnalyzerOptions) {
    this.#state = initialState(options.rules);
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.#record(
      {
        type: "SessionStarted",
        data: {
          sessionId: options.sessionId,
          version: VERSION,
          rules: options.rules,
          intervalMs: options.intervalMs,
          ...(options.model ? { model: options.model } : {}),
          ...(options.executionProvider ? { executionProvider: options.executionProvider } : {}),
        },
      },
      this.#now(),
    );
  }

  get state(): Readonly<AnalyzerState> {
    return this.#state;
  }

  onAlert(listener: AlertListener): void {
    this.#listeners.push(listener);
  }

  /** Folds one collection's observations, all stamped with the collection time. */
  observe(observations: readonly ObservationEvent[], time: number): void {
    if (this.#ended) return;
    for (const observation of observations) {
      const event = this.#record(observation, time);
      for (const alert of decide(this.#state, event)) {
        const recorded = this.#record(alert, time) as RecordedEvent<AlertEvent>;
        for (const listener of this.#listeners) listener(recorded);
      }
    }
  }

  /** Records something the session saw that is not a metric (a capture restart). */
  note(event: Extract<AnalyzerEvent, { type: "CaptureRestarted" }>): void {
    if (!this.#ended) this.#record(event, this.#now());
  }

  end(reason: string): void {
    if (this.#ended) return;
    this.#record({ type: "SessionEnded", data: { reason } }, this.#now());
    this.#ended = true;
    this.#log?.close();
  }

  #record(event: AnalyzerEvent, time: number): RecordedEvent {
    const recorded: RecordedEvent = { ...event, seq: ++this.#seq, time };
    this.#log?.append(recorded);
    this.#state = evolve(this.#state, recorded);
    return recorded;
  }
}
