// The small interface every alert rule implements. A rule folds the observations of the
// series it watches into its own memory and says, after each, what it sees: the value, whether
// the firing condition holds and whether the resolving (hysteresis) condition holds. When an
// alert fires or resolves from that is decided once, for all rules, in alertLifecycle.ts.

import type { RuleConfig, RuleName } from "../RulesConfig.js";
import type { HistogramDelta } from "../HistogramWindow.js";
import type { GaugeSeries } from "../SeriesTable.js";

export interface Judgement {
  value: number;
  holds: boolean;
  clears: boolean;
  /** The value in words and in the rule's unit, for messages (built only when one is written). */
  describe: () => string;
}

export type RuleInput =
  | { kind: "gauge"; key: GaugeSeries; t: number; v: number }
  | { kind: "histogram"; key: "latency"; t: number; delta: HistogramDelta };

export interface RuleContext {
  time: number;
  config: RuleConfig;
  /** Observations before this time are start-up: recorded, not judged. */
  warmEnd: number;
}

export interface Rule<Memo = unknown> {
  readonly name: RuleName;
  /** The series whose observations reach `observe`. */
  readonly inputs: readonly string[];
  init(): Memo;
  /** Undefined: nothing to judge yet (too few samples, warming up). */
  observe(memo: Memo, input: RuleInput, context: RuleContext): Judgement | undefined;
  /** The threshold in the unit the rule speaks (GB, s, MB/s, fraction of all cores). */
  formatThreshold: (threshold: number) => string;
}

/** The judgement of a rule whose value must stay below its threshold. */
export function above(value: number, config: RuleConfig, describe: () => string): Judgement {
  return {
    value,
    holds: value > config.threshold,
    clears: value < config.threshold * config.resolve_ratio,
    describe,
  };
}

/** Drops samples at or before `before` from the front of a time-ordered window. */
export function trimWindow<T extends { t: number }>(window: T[], before: number): void {
  let drop = 0;
  while (drop < window.length && window[drop]!.t <= before) drop++;
  if (drop > 0) window.splice(0, drop);
}
