// One alert's life, the same for every rule: it fires once when its condition has held
// for `for`, stays firing without repeating, and resolves when the resolving condition
// (hysteresis) has held for `resolve_for`. Time is the event's, never the clock's.

import type { AlertEvent, RecordedEvent } from "./AnalyzerEvent.js";
import type { RuleConfig, RuleName } from "./RulesConfig.js";
import type { Judgement } from "./rules/Rule.js";

export interface AlertState {
  firing: boolean;
  /** When the firing condition started to hold without a break (event time). */
  holdingSince: number | undefined;
  /** When the resolving condition started to hold while firing. */
  clearSince: number | undefined;
  judgement: Judgement | undefined;
}

export const idleAlert = (): AlertState => ({
  firing: false,
  holdingSince: undefined,
  clearSince: undefined,
  judgement: undefined,
});

/** Takes a rule's judgement of `cause`; returns the alert to record, if one is due. */
export function advanceAlert(
  alert: AlertState,
  rule: RuleName,
  config: RuleConfig,
  judgement: Judgement | undefined,
  cause: { seq: number; time: number },
  formatThreshold: (threshold: number) => string,
): AlertEvent | undefined {
  alert.judgement = judgement;
  if (!judgement) return undefined;
  const time = cause.time;
  if (judgement.holds) alert.holdingSince ??= time;
  else if (!alert.firing) alert.holdingSince = undefined;
  if (alert.firing && judgement.clears) alert.clearSince ??= time;
  else alert.clearSince = undefined;
  const data = (): Omit<AlertEvent["data"], "message"> => ({
    rule,
    value: judgement.value,
    threshold: config.threshold,
    windowMs: config.window,
    forMs: config.for,
    causeSeq: cause.seq,
  });
  if (
    !alert.firing &&
    alert.holdingSince !== undefined &&
    time - alert.holdingSince >= config.for
  ) {
    const message = `${rule} fired: ${judgement.describe()} > ${formatThreshold(config.threshold)}`;
    return { type: "AlertFired", data: { ...data(), message } };
  }
  if (
    alert.firing &&
    alert.clearSince !== undefined &&
    time - alert.clearSince >= config.resolve_for
  ) {
    return {
      type: "AlertResolved",
      data: { ...data(), message: `${rule} resolved: ${judgement.describe()}` },
    };
  }
  return undefined;
}

/** Folds a recorded alert into its state. */
export function recordAlert(alert: AlertState, event: RecordedEvent<AlertEvent>): void {
  if (event.type === "AlertFired") {
    alert.firing = true;
    alert.clearSince = undefined;
  } else {
    alert.firing = false;
    alert.holdingSince = undefined;
    alert.clearSince = undefined;
  }
}
