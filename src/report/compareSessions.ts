// Compares two sessions stage by stage. Quantiles come from the merged histograms; the
// regression verdict from a Mann–Whitney U test on the per-interval mean durations (normal
// approximation), which needs no assumption about their distribution. Below a minimum
// number of intervals on either side the verdict is "too little data".

import { cumulativeStdNormalProbability, median, wilcoxonRankSum } from "simple-statistics";
import type { Point, Quantiles, SessionSeries, Summary } from "../analysis/SessionView.js";

export type Verdict = "regression" | "improvement" | "no significant change" | "too little data";

export interface MetricComparison {
  name: string;
  a: Quantiles;
  b: Quantiles;
  /** Relative change of P95, B over A (0.1 = 10 % slower). */
  p95Change: number | null;
  samples: [number, number];
  pValue: number | null;
  verdict: Verdict;
}

export interface SessionComparison {
  metrics: MetricComparison[];
  cpuMean: [number | null, number | null];
  memoryGrowth: [number | null, number | null];
  alerts: [number, number];
  regressions: string[];
}

export const MIN_SAMPLES = 8;
const SIGNIFICANCE = 0.01;
const MIN_EFFECT = 0.1;

export function compareSessions(
  a: { series: SessionSeries; summary: Summary },
  b: { series: SessionSeries; summary: Summary },
): SessionComparison {
  const metrics: MetricComparison[] = [
    compareMetric(
      "utterance latency",
      a.summary.latency,
      b.summary.latency,
      a.series.latencyMean,
      b.series.latencyMean,
    ),
  ];
  const stages = new Set([...Object.keys(a.summary.stages), ...Object.keys(b.summary.stages)]);
  const none: Quantiles = { count: 0, p50: null, p95: null, p99: null };
  for (const stage of [...stages].sort()) {
    metrics.push(
      compareMetric(
        `stage ${stage}`,
        a.summary.stages[stage] ?? none,
        b.summary.stages[stage] ?? none,
        a.series.stages[stage] ?? [],
        b.series.stages[stage] ?? [],
      ),
    );
  }
  return {
    metrics,
    cpuMean: [a.summary.cpu.mean, b.summary.cpu.mean],
    memoryGrowth: [a.summary.memory.growthBytesPerSecond, b.summary.memory.growthBytesPerSecond],
    alerts: [a.summary.alerts.length, b.summary.alerts.length],
    regressions: metrics.filter((m) => m.verdict === "regression").map((m) => m.name),
  };
}

function compareMetric(
  name: string,
  qa: Quantiles,
  qb: Quantiles,
  sa: readonly Point[],
  sb: readonly Point[],
): MetricComparison {
  const x = sa.map((p) => p.v);
  const y = sb.map((p) => p.v);
  const p95Change = qa.p95 && qb.p95 !== null ? qb.p95 / qa.p95 - 1 : null;
  const base = { name, a: qa, b: qb, p95Change, samples: [x.length, y.length] as [number, number] };
  if (x.length < MIN_SAMPLES || y.length < MIN_SAMPLES)
    return { ...base, pValue: null, verdict: "too little data" };
  const pValue = mannWhitneyP(x, y);
  const effect = median(y) / median(x) - 1;
  const verdict: Verdict =
    pValue < SIGNIFICANCE && Math.abs(effect) >= MIN_EFFECT
      ? effect > 0
        ? "regression"
        : "improvement"
      : "no significant change";
  return { ...base, pValue, verdict };
}

/** Two-sided p-value of the Mann–Whitney U test, normal approximation. */
function mannWhitneyP(x: number[], y: number[]): number {
  const n1 = x.length;
  const n2 = y.length;
  const u = wilcoxonRankSum(x, y) - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const sd = Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12);
  const z = Math.abs((u - mean) / sd);
  return Math.min(1, 2 * (1 - cumulativeStdNormalProbability(z)));
}
