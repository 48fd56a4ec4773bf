// A session's summary from events held in memory, folded as analyzeLog folds a file.

import type { RecordedEvent } from "../../src/analysis/AnalyzerEvent.js";
import { Replay } from "../../src/analysis/replay.js";
import { SessionView, type Summary } from "../../src/analysis/SessionView.js";

export function summarizeEvents(events: Iterable<RecordedEvent>): Summary {
  const replay = new Replay();
  const view = new SessionView();
  for (const event of events) replay.add(event, (e) => view.add(e));
  return view.summary(replay.state);
}
