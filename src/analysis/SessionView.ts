// What `analyze`, `report` and `compare` show of a session, folded from its log one event at
// a time without keeping the events: latency and per-stage quantiles, CPU, memory and its
// growth (the leak rule's own estimate, with the session's rules), GPU peak, the alert
// timeline, and optionally the per-interval series the charts draw.

import type { AlertEvent, Buckets, RecordedEvent } from "./AnalyzerEvent.js";
import type { AnalyzerState } from "./AnalyzerState.js";
import { addBuckets, bucketsCount, bucketsQuantile } from "./HistogramWindow.js";
import { DEFAULT_RULES, type RulesConfig } from "./RulesConfig.js";
import { seriesTable, type SeriesTable } from "./SeriesTable.js";

export interface Quantiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface Summary {
  durationSeconds: number;
  utterances: number;
  latency: Quantiles;
  stages: Record<string, Quantiles>;
  cpu: { mean: number | null; max: number | null };
  memory: {
    first: number | null;
    last: number | null;
    peak: number | null;
    /** The memory_leak rule's growth estimate at the end of the session, bytes/s. */
    growthBytesPerSecond: number | null;
  };
  gpuPeakBytes: number | null;
  alerts: {
    time: number;
    type: AlertEvent["type"];
    rule: string;
    value: number;
    threshold: number;
  }[];
}

export interface Point {
  t: number; // Unix seconds
  v: number;
}

export interface SessionSeries {
  rules: RulesConfig;
  latencyMean: Point[];
  latencyP95: Point[];
  /** Per stage: mean duration of the units of work in each interval, seconds. */
  stages: Record<string, Point[]>;
  cpu: Point[];
  memory: Point[];
  gpuMemory: Point[];
}

interface Merged {
  buckets: Buckets | undefined;
  min: number | undefined;
  max: number | undefined;
}

/** Records from outside become keys: no prototype, so `__proto__` is just a name. */
const dictionary = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

export class SessionView {
  readonly #series: SessionSeries | undefined;
  #table: SeriesTable = seriesTable();
  #first: number | undefined;
  #last: number | undefined;
  readonly #latency: Merged = { buckets: undefined, min: undefined, max: undefined };
  readonly #stages = new Map<string, Merged>();
  #cpuSum = 0;
  #cpuCount = 0;
  #cpuMax: number | undefined;
  readonly #memory = {
    first: null as number | null,
    last: null as number | null,
    peak: null as number | null,
  };
  #gpuPeak: number | null = null;
  readonly #alerts: RecordedEvent<AlertEvent>[] = [];

  constructor(options: { series?: boolean } = {}) {
    this.#series = options.series
      ? {
          rules: DEFAULT_RULES,
          latencyMean: [],
          latencyP95: [],
          stages: dictionary(),
          cpu: [],
          memory: [],
          gpuMemory: [],
        }
      : undefined;
  }

  add(event: RecordedEvent): void {
    this.#first ??= event.time;
    this.#last = event.time;
    switch (event.type) {
      case "SessionStarted":
        this.#table = seriesTable(event.data.latencyMetric);
        if (this.#series) this.#series.rules = event.data.rules;
        return;
      case "GaugeObserved":
        return this.#gauge(event.data.metric, event.data.value, event.time / 1000);
      case "HistogramObserved":
        return this.#histogram(event);
      case "AlertFired":
      case "AlertResolved":
        this.#alerts.push(event);
        return;
      case "CaptureRestarted":
      case "SessionEnded":
        return;
      default: {
        const unexpected: never = event;
        throw new Error(`unknown event ${JSON.stringify(unexpected)}`);
      }
    }
  }

  #gauge(metric: string, value: number, t: number): void {
    const spec = this.#table.get(metric);
    if (spec?.kind !== "gauge") return;
    const series = this.#series;
    switch (spec.key) {
      case "cpu":
        this.#cpuSum += value;
        this.#cpuCount++;
        this.#cpuMax = Math.max(this.#cpuMax ?? value, value);
        series?.cpu.push({ t, v: value });
        return;
      case "memory":
        this.#memory.first ??= value;
        this.#memory.last = value;
        this.#memory.peak = Math.max(this.#memory.peak ?? value, value);
        series?.memory.push({ t, v: value });
        return;
      case "processGpu":
      case "deviceGpu": {
        this.#gpuPeak = Math.max(this.#gpuPeak ?? value, value);
        const points = series?.gpuMemory;
        const last = points?.[points.length - 1];
        if (last && last.t === t) last.v = Math.max(last.v, value);
        else points?.push({ t, v: value });
        return;
      }
      default:
        return;
    }
  }

  #histogram(event: RecordedEvent<Extract<RecordedEvent, { type: "HistogramObserved" }>>): void {
    const { data } = event;
    const spec = this.#table.get(data.metric);
    if (spec?.kind !== "histogram" || data.count === 0) return;
    const t = event.time / 1000;
    const mean = data.sum / data.count;
    if (spec.key === "latency") {
      merge(this.#latency, data);
      this.#series?.latencyMean.push({ t, v: mean });
      this.#series?.latencyP95.push({
        t,
        v: bucketsQuantile(0.95, data.buckets, data.min, data.max),
      });
      return;
    }
    const stage = String(data.attributes?.[spec.groupBy ?? ""] ?? "unknown");
    let merged = this.#stages.get(stage);
    if (!merged)
      this.#stages.set(stage, (merged = { buckets: undefined, min: undefined, max: undefined }));
    merge(merged, data);
    if (this.#series) (this.#series.stages[stage] ??= []).push({ t, v: mean });
  }

  /** The summary; `state` is the replay's final state, for the leak rule's growth estimate. */
  summary(state: Readonly<AnalyzerState>): Summary {
    const latency = quantiles(this.#latency);
    const stages = dictionary<Quantiles>();
    for (const [stage, merged] of this.#stages) stages[stage] = quantiles(merged);
    return {
      durationSeconds: ((this.#last ?? 0) - (this.#first ?? 0)) / 1000,
      utterances: latency.count,
      latency,
      stages,
      cpu: {
        mean: this.#cpuCount > 0 ? this.#cpuSum / this.#cpuCount : null,
        max: this.#cpuMax ?? null,
      },
      memory: {
        ...this.#memory,
        growthBytesPerSecond: state.alerts.memory_leak.judgement?.value ?? null,
      },
      gpuPeakBytes: this.#gpuPeak,
      alerts: this.#alerts.map((a) => ({
        time: a.time,
        type: a.type,
        rule: a.data.rule,
        value: a.data.value,
        threshold: a.data.threshold,
      })),
    };
  }

  get alerts(): readonly RecordedEvent<AlertEvent>[] {
    return this.#alerts;
  }

  get series(): SessionSeries | undefined {
    return this.#series;
  }
}

function merge(
  into: Merged,
  data: { buckets: Buckets; min?: number | undefined; max?: number | undefined },
): void {
  into.buckets = addBuckets(into.buckets, data.buckets);
  if (data.min !== undefined) into.min = Math.min(into.min ?? data.min, data.min);
  if (data.max !== undefined) into.max = Math.max(into.max ?? data.max, data.max);
}

function quantiles(merged: Merged): Quantiles {
  const { buckets, min, max } = merged;
  const count = buckets ? bucketsCount(buckets) : 0;
  const q = (p: number): number | null =>
    buckets && count > 0 ? bucketsQuantile(p, buckets, min, max) : null;
  return { count, p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}
