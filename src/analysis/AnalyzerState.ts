// The analyzer's state as a fold over its events: the latest value of every series, each
// rule's own memory (its windows), each alert's lifecycle. It is changed only by `step`,
// in place for speed over millions of events: a state belongs to one fold, never shared.

import { idleAlert, type AlertState } from "./alertLifecycle.js";
import { DEFAULT_RULES, RULE_NAMES, type RuleName, type RulesConfig } from "./RulesConfig.js";
import { RULES } from "./rules/allRules.js";
import { seriesTable, type GaugeSeries, type SeriesTable } from "./SeriesTable.js";

export interface AnalyzerState {
  rules: RulesConfig;
  /** Which metric feeds which series in this session. */
  table: SeriesTable;
  time: number;
  /** Event time of SessionStarted: rules' warm-up counts from here. */
  startedAt: number;
  /** Each gauge series' latest value (the largest, when several devices report at once). */
  latest: Partial<Record<GaugeSeries, { t: number; v: number }>>;
  /** Each rule's own memory, opaque outside the rule. */
  memos: Record<RuleName, unknown>;
  alerts: Record<RuleName, AlertState>;
  /** Times the live capture command had to be restarted. */
  captureRestarts: number;
}

export function initialState(rules: RulesConfig = DEFAULT_RULES): AnalyzerState {
  const byRule = <T>(make: (rule: RuleName) => T): Record<RuleName, T> =>
    Object.fromEntries(RULE_NAMES.map((rule) => [rule, make(rule)])) as Record<RuleName, T>;
  return {
    rules,
    table: seriesTable(),
    time: 0,
    startedAt: -Infinity,
    latest: {},
    memos: byRule((rule) => RULES[rule].init()),
    alerts: byRule(() => idleAlert()),
    captureRestarts: 0,
  };
}
