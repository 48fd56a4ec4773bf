// The live analyzer: observations from the metric stream are recorded through the fold,
// appended to the log, and the alerts they make due go to the listeners (the OTel emitter,
// stderr). IO is the log and the listeners; the clock is only read for events that do not
// come from a collection (session start and end, capture restarts).

import { VERSION } from "../version.js";
import type {
  AlertEvent,
  AnalyzerEvent,
  ObservationEvent,
  RecordedEvent,
} from "./AnalyzerEvent.js";
import { AnalysisFold } from "./AnalysisFold.js";
import type { AnalyzerState } from "./AnalyzerState.js";
import type { EventLog } from "./EventLog.js";
import type { RulesConfig } from "./RulesConfig.js";

export type AlertListener = (alert: RecordedEvent<AlertEvent>) => void;

export interface AnalyzerOptions {
  rules: RulesConfig;
  sessionId: string;
  intervalMs: number;
  log?: EventLog | undefined;
  /** The histogram judged as utterance latency, when not voxtrace.utterance.latency. */
  latencyMetric?: string | undefined;
  model?: string | undefined;
  executionProvider?: string | undefined;
  now?: () => number;
}

export class Analyzer {
  readonly #fold = new AnalysisFold();
  readonly #log: EventLog | undefined;
  readonly #listeners: AlertListener[] = [];
  readonly #now: () => number;
  readonly #sink: (event: RecordedEvent) => void;
  #ended = false;

  constructor(options: AnalyzerOptions) {
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.#sink = (event) => {
      this.#log?.append(event);
      if (event.type === "AlertFired" || event.type === "AlertResolved")
        for (const listener of this.#listeners) listener(event);
    };
    this.#record({
      type: "SessionStarted",
      data: {
        sessionId: options.sessionId,
        version: VERSION,
        rules: options.rules,
        intervalMs: options.intervalMs,
        ...(options.latencyMetric ? { latencyMetric: options.latencyMetric } : {}),
        ...(options.model ? { model: options.model } : {}),
        ...(options.executionProvider ? { executionProvider: options.executionProvider } : {}),
      },
    });
  }

  get state(): Readonly<AnalyzerState> {
    return this.#fold.state;
  }

  onAlert(listener: AlertListener): void {
    this.#listeners.push(listener);
  }

  /** Folds one collection's observations, all stamped with the collection time. */
  observe(observations: readonly ObservationEvent[], time: number): void {
    if (this.#ended) return;
    for (const observation of observations) this.#fold.record(observation, time, this.#sink);
  }

  /** Records something the session saw that is not a metric (a capture restart). */
  note(event: Extract<AnalyzerEvent, { type: "CaptureRestarted" }>): void {
    if (!this.#ended) this.#record(event);
  }

  end(reason: string): void {
    if (this.#ended) return;
    this.#record({ type: "SessionEnded", data: { reason } });
    this.#ended = true;
    this.#log?.close();
  }

  #record(event: AnalyzerEvent): void {
    this.#fold.record(event, this.#now(), this.#sink);
  }
}
