// The analyzer's state as a fold over its events: bounded time windows of the gauges
// and latency histograms the rules read, each rule's latest judgement, and each alert's
// lifecycle. `evolve` is deterministic — time comes only from the events — so replaying a
// log rebuilds the same state. For speed over millions of events the fold updates its own
// windows in place: a state belongs to one fold and is never shared.

import type { ExplicitBuckets, RecordedEvent } from "./AnalyzerEvent.js";
import { DEFAULT_RULES, RULE_NAMES, type RuleName, type RulesConfig } from "./RulesConfig.js";
import { judge, type Judgement } from "./judge.js";
import {
  METRIC_GPU_MEMORY_USAGE,
  METRIC_PROCESS_CPU_UTILIZATION,
  METRIC_PROCESS_GPU_MEMORY_USAGE,
  METRIC_PROCESS_MEMORY_USAGE,
  METRIC_UTTERANCE_LATENCY,
} from "../semconv.js";
import { DEFAULT_LEAK_DETECTOR_CONFIG, type Sample } from "./LeakDetector.js";

export interface AlertState {
  firing: boolean;
  /** When the firing condition started to hold without a break (event time). */
  holdingSince: number | undefined;
  /** When the resolving condition started to hold while firing. */
  clearSince: number | undefined;
  judgement: Judgement | undefined;
}

export interface AnalyzerState {
  rules: RulesConfig;
  time: number;
  cpu: Sample[];
  processGpu: Sample[];
  deviceGpu: Sample[];
  memory: Sample[];
  latency: { t: number; buckets: ExplicitBuckets; max: number | undefined }[];
  /** The latency window's buckets summed, kept up to date as deltas enter and leave. */
  latencyTotal: ExplicitBuckets | undefined;
  /** Event time of the last leak judgement (it is re-judged at most every 10 s). */
  leakJudgedAt: number;
  alerts: Record<RuleName, AlertState>;
  /** Times the live capture command had to be restarted. */
  captureRestarts: number;
  /** Event time of SessionStarted: rules' warm-up counts from here. */
  startedAt: number;
}

const RULE_INPUTS: Record<string, RuleName> = {
  [METRIC_PROCESS_CPU_UTILIZATION]: "cpu",
  [METRIC_PROCESS_GPU_MEMORY_USAGE]: "gpu_memory",
  [METRIC_GPU_MEMORY_USAGE]: "gpu_memory",
  [METRIC_PROCESS_MEMORY_USAGE]: "memory_leak",
  [METRIC_UTTERANCE_LATENCY]: "latency_p95",
};

export function initialState(rules: RulesConfig = DEFAULT_RULES): AnalyzerState {
  const alerts = Object.fromEntries(
    RULE_NAMES.map((r) => [
      r,
      { firing: false, holdingSince: undefined, clearSince: undefined, judgement: undefined },
    ]),
  ) as Record<RuleName, AlertState>;
  return {
    rules,
    time: 0,
    cpu: [],
    processGpu: [],
    deviceGpu: [],
    memory: [],
    latency: [],
    latencyTotal: undefined,
    leakJudgedAt: -Infinity,
    alerts,
    captureRestarts: 0,
    startedAt: -Infinity,
  };
}

/** The rule an observation feeds, if any. */
export function ruleFor(metric: string): RuleName | undefined {
  return RULE_INPUTS[metric];
}

export function evolve(state: AnalyzerState, event: RecordedEvent): AnalyzerState {
  state.time = event.time;
  switch (event.type) {
    case "SessionStarted":
      state.rules = event.data.rules;
      state.startedAt = event.time;
      return state;
    case "GaugeObserved": {
      const { metric, value } = event.data;
      const series =
        metric === METRIC_PROCESS_CPU_UTILIZATION
          ? state.cpu
          : metric === METRIC_PROCESS_GPU_MEMORY_USAGE
            ? state.processGpu
            : metric === METRIC_GPU_MEMORY_USAGE
              ? state.deviceGpu
              : metric === METRIC_PROCESS_MEMORY_USAGE
                ? state.memory
                : undefined;
      if (!series) return state;
      const last = series[series.length - 1];
      // Several devices at one instant: the rules care about the largest.
      if (last && last.t === event.time) last.v = Math.max(last.v, value);
      else series.push({ t: event.time, v: value });
      trim(series, event.time - retention(state, metric));
      return rejudge(state, RULE_INPUTS[metric]);
    }
    case "HistogramObserved":
      if (event.data.metric !== METRIC_UTTERANCE_LATENCY) return state;
      state.latency.push({ t: event.time, buckets: event.data.buckets, max: event.data.max });
      state.latencyTotal = addBuckets(state.latencyTotal, event.data.buckets, 1);
      while (
        state.latency.length > 0 &&
        state.latency[0]!.t <= event.time - state.rules.latency_p95.window
      ) {
        const expired = state.latency.shift()!;
        state.latencyTotal = addBuckets(state.latencyTotal, expired.buckets, -1);
      }
      return rejudge(state, "latency_p95");
    case "AlertFired": {
      const alert = state.alerts[event.data.rule];
      alert.firing = true;
      alert.clearSince = undefined;
      return state;
    }
    case "AlertResolved": {
      const alert = state.alerts[event.data.rule];
      alert.firing = false;
      alert.holdingSince = undefined;
      alert.clearSince = undefined;
      return state;
    }
    case "CaptureRestarted":
      state.captureRestarts += 1;
      return state;
    case "SessionEnded":
      return state;
    default: {
      const unexpected: never = event;
      throw new Error(`unknown event ${JSON.stringify(unexpected)}`);
    }
  }
}

/** Memory arrives every interval; its trend changes slowly, and judging it is the costliest. */
const LEAK_JUDGE_EVERY_MS = 10_000;

function rejudge(state: AnalyzerState, rule: RuleName | undefined): AnalyzerState {
  if (!rule) return state;
  if (rule === "memory_leak") {
    if (state.time - state.leakJudgedAt < LEAK_JUDGE_EVERY_MS) return state;
    state.leakJudgedAt = state.time;
  }
  const judgement = judge(rule, state);
  const alert = state.alerts[rule];
  alert.judgement = judgement;
  if (!judgement) return state;
  if (judgement.holds) alert.holdingSince ??= state.time;
  else if (!alert.firing) alert.holdingSince = undefined;
  if (alert.firing && judgement.clears) alert.clearSince ??= state.time;
  else alert.clearSince = undefined;
  return state;
}

function retention(state: AnalyzerState, metric: string): number {
  if (metric === METRIC_PROCESS_MEMORY_USAGE) {
    const longest = Math.max(
      ...DEFAULT_LEAK_DETECTOR_CONFIG.windows.map((w) => w.ms),
      state.rules.memory_leak.window,
    );
    return longest + DEFAULT_LEAK_DETECTOR_CONFIG.gcHorizonMs;
  }
  return metric === METRIC_PROCESS_CPU_UTILIZATION
    ? state.rules.cpu.window
    : state.rules.gpu_memory.window;
}

/** Adds (sign 1) or removes (sign -1) a delta; a new bucket layout starts the sum afresh. */
function addBuckets(
  total: ExplicitBuckets | undefined,
  delta: ExplicitBuckets,
  sign: 1 | -1,
): ExplicitBuckets | undefined {
  if (!total || total.boundaries.length !== delta.boundaries.length) {
    return sign === 1
      ? { kind: "explicit", boundaries: [...delta.boundaries], counts: [...delta.counts] }
      : total;
  }
  for (let i = 0; i < total.counts.length; i++)
    total.counts[i] = (total.counts[i] ?? 0) + sign * (delta.counts[i] ?? 0);
  return total;
}

function trim(series: Sample[], before: number): void {
  let drop = 0;
  while (drop < series.length && series[drop]!.t <= before) drop++;
  if (drop > 0) series.splice(0, drop);
}
