// One line on how the session is doing, read from the analyzer's state: used for the
// periodic status report of long runs and the summary at exit.

import type { AnalyzerState } from "./AnalyzerState.js";
import { RULE_NAMES } from "./RulesConfig.js";

export function statusLine(state: Readonly<AnalyzerState>): string {
  const memory = state.latest.memory?.v;
  const cpu = state.alerts.cpu.judgement?.value ?? state.latest.cpu?.v;
  const p95 = state.alerts.latency_p95.judgement?.value;
  const leak = state.alerts.memory_leak.judgement?.value;
  const active = RULE_NAMES.filter((rule) => state.alerts[rule].firing);
  return [
    `memory ${memory === undefined ? "-" : `${(memory / 1e6).toFixed(0)} MB`}`,
    `growth ${leak === undefined ? "-" : `${(leak / 1e6).toFixed(3)} MB/s`}`,
    `CPU ${cpu === undefined ? "-" : cpu.toFixed(2)} of all cores (last ${state.rules.cpu.window / 1000} s)`,
    `latency P95 ${p95 === undefined || Number.isNaN(p95) ? "- (too few utterances)" : `${p95.toFixed(2)} s`}`,
    `alerts ${active.length === 0 ? "none" : active.join(", ")}`,
    ...(state.captureRestarts > 0 ? [`capture restarts ${state.captureRestarts}`] : []),
  ].join(", ");
}
