// The record → step → record loop, once: each event gets the next position, is folded in,
// and the alerts it makes due are recorded right after it and folded in too. The live
// analyzer and replay both drive one of these, so their sequence numbers agree by
// construction.

import type { AlertEvent, AnalyzerEvent, RecordedEvent } from "./AnalyzerEvent.js";
import { initialState, type AnalyzerState } from "./AnalyzerState.js";
import { step } from "./step.js";

export type RecordedSink = (event: RecordedEvent) => void;

export class AnalysisFold {
  readonly state: AnalyzerState = initialState();
  #seq = 0;

  /** Events recorded so far. */
  get length(): number {
    return this.#seq;
  }

  /**
   * Records `event` at `time` and the alerts it causes, handing each to `sink` in order.
   * A recorded event whose position is already the next one is kept as it is (replay).
   */
  record(event: AnalyzerEvent | RecordedEvent, time: number, sink: RecordedSink): void {
    const seq = ++this.#seq;
    const recorded =
      "seq" in event && event.seq === seq && event.time === time ? event : { ...event, seq, time };
    sink(recorded);
    const due = step(this.state, recorded);
    for (const alert of due) {
      const recordedAlert = { ...alert, seq: ++this.#seq, time } as RecordedEvent<AlertEvent>;
      sink(recordedAlert);
      step(this.state, recordedAlert);
    }
  }
}
