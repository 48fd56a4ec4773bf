// Checks that a parsed log line has the shape the fold expects. The log is read from disk,
// so anything can be in it; without this check a well-formed JSON line with a wrong field
// (`"data":null`, an unknown rule, buckets that are not arrays) crashed replay with a
// TypeError instead of a bad_input error naming the line.

import { RULE_NAMES } from "./RulesConfig.js";

const RULE_FIELDS = ["threshold", "for", "window", "min_samples", "resolve_ratio", "resolve_for"];

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isFinite = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value);
const isNumberList = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every(isFinite);

/** Undefined when `value` is a usable recorded event, else what is wrong with it. */
export function checkRecordedEvent(value: unknown): string | undefined {
  if (!isObject(value)) return "not a JSON object";
  const { seq, time, type, data } = value;
  if (!Number.isSafeInteger(seq) || (seq as number) < 1) return "seq is not a positive integer";
  if (!isFinite(time)) return "time is not a number";
  if (typeof type !== "string") return "type is not a string";
  if (!isObject(data)) return "data is not an object";
  switch (type) {
    case "SessionStarted":
      return checkRules(data.rules);
    case "GaugeObserved":
      if (typeof data.metric !== "string") return "GaugeObserved without a metric name";
      return isFinite(data.value) ? undefined : "GaugeObserved value is not a number";
    case "HistogramObserved":
      return checkHistogram(data);
    case "AlertFired":
    case "AlertResolved":
      if (!(RULE_NAMES as readonly string[]).includes(data.rule as string))
        return `${type} for an unknown rule`;
      return isFinite(data.value) && isFinite(data.threshold)
        ? undefined
        : `${type} value or threshold is not a number`;
    case "CaptureRestarted":
      return typeof data.command === "string" &&
        typeof data.reason === "string" &&
        isFinite(data.attempt) &&
        isFinite(data.delayMs)
        ? undefined
        : "CaptureRestarted without command, reason, attempt or delay";
    case "SessionEnded":
      return undefined;
    default:
      return `unknown event type '${type.slice(0, 40)}'`;
  }
}

function checkRules(rules: unknown): string | undefined {
  if (!isObject(rules)) return "SessionStarted without rules";
  for (const name of RULE_NAMES) {
    const rule = rules[name];
    if (!isObject(rule) || !RULE_FIELDS.every((field) => isFinite(rule[field])))
      return `SessionStarted rule ${name} is incomplete`;
    // Logs written before `warmup` existed lack it; readEventLog fills in 0.
    if (rule.warmup !== undefined && !isFinite(rule.warmup))
      return `SessionStarted rule ${name} has a bad warmup`;
  }
  return undefined;
}

function checkHistogram(data: Fields): string | undefined {
  if (typeof data.metric !== "string") return "HistogramObserved without a metric name";
  if (!isFinite(data.count) || !isFinite(data.sum)) return "HistogramObserved count or sum";
  if (data.max !== undefined && !isFinite(data.max)) return "HistogramObserved max";
  const buckets = data.buckets;
  if (
    !isObject(buckets) ||
    !isNumberList(buckets.boundaries) ||
    !isNumberList(buckets.counts) ||
    buckets.counts.length !== buckets.boundaries.length + 1
  ) {
    return "HistogramObserved buckets are malformed";
  }
  return undefined;
}
