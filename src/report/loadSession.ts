// Reads a session's event log once for report and compare: its events, the alerts
// replayed from them, the summary and the time series. A torn tail becomes a warning.

import { detectLeak } from "../analysis/LeakDetector.js";
import type { AlertEvent, RecordedEvent } from "../analysis/AnalyzerEvent.js";
import { readEventLog } from "../analysis/readEventLog.js";
import { replay } from "../analysis/replay.js";
import { summarize, type Summary } from "../analysis/summarize.js";
import { sessionSeries, type SessionSeries } from "./sessionSeries.js";

export interface LoadedSession {
  file: string;
  alerts: RecordedEvent<AlertEvent>[];
  summary: Summary;
  series: SessionSeries;
  leakVerdict: string;
}

export async function loadSession(
  file: string,
  warn: (line: string) => void,
): Promise<LoadedSession> {
  const { events, damage } = await readEventLog(file);
  if (damage) warn(`${damage.file}:${damage.line}: ${damage.message}`);
  const { alerts } = replay(events);
  const series = sessionSeries(events);
  const leak = detectLeak(series.memory.map((p) => ({ t: p.t * 1000, v: p.v })));
  const leakVerdict = alerts.some((a) => a.data.rule === "memory_leak")
    ? "leak alert raised"
    : `${leak.leaking ? "leaking" : "no leak found"} (${leak.reason})`;
  return { file, alerts, summary: summarize(events, alerts), series, leakVerdict };
}
