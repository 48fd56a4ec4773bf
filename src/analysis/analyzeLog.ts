// One pass over a session's log for `analyze`, `report` and `compare`: every event is
// checked, replayed through the analyzer's fold (with other rules, if asked) and folded
// into the session view, then dropped. Memory stays flat however long the log.

import type { AlertEvent, RecordedEvent } from "./AnalyzerEvent.js";
import { forEachLogEvent, type LogDamage } from "./readEventLog.js";
import { Replay, type RulesOverride } from "./replay.js";
import { SessionView, type SessionSeries, type Summary } from "./SessionView.js";

export interface AnalyzedLog {
  file: string;
  /** The alerts derived on replay (the recorded ones, with the recorded rules). */
  alerts: RecordedEvent<AlertEvent>[];
  summary: Summary;
  /** Present when asked for (`series: true`). */
  series: SessionSeries | undefined;
  /** The leak rule's last word on memory, in plain words. */
  leakVerdict: string;
  sessions: number;
  damage: LogDamage | undefined;
}

export async function analyzeLog(
  file: string,
  options: { override?: RulesOverride; series?: boolean } = {},
): Promise<AnalyzedLog> {
  const replay = new Replay(options.override);
  const view = new SessionView({ series: options.series ?? false });
  const toView = (event: RecordedEvent): void => view.add(event);
  const damage = await forEachLogEvent(file, (event) => replay.add(event, toView));
  const leak = replay.state.alerts.memory_leak;
  const leakVerdict = view.alerts.some((a) => a.data.rule === "memory_leak")
    ? "leak alert raised"
    : leak.judgement
      ? `${leak.judgement.holds ? "leaking" : "no leak found"}: ${leak.judgement.describe()}`
      : "not judged (session shorter than the rule's warm-up and window)";
  return {
    file,
    alerts: [...view.alerts],
    summary: view.summary(replay.state),
    series: view.series,
    leakVerdict,
    sessions: replay.sessions,
    damage,
  };
}
