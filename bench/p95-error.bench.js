// The latency P95 the latency_p95 rule judges, against the exact P95 of the same latencies.
// Each sample is recorded through a real OpenTelemetry MeterProvider whose only reader is the
// analyzer's own (base-2 exponential histograms, at most 320 buckets), and its P95 is read
// the way the rule reads it (HistogramWindow). Beside it, the estimate from the explicit
// buckets Prometheus and older logs have (linear interpolation in the bucket, as
// histogram_quantile does). Shapes x scales x seeds; target: |error| <= 2 % everywhere.

import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { createAnalysisReader } from "../dist/analysis/AnalysisMetricExporter.js";
import { HistogramWindow } from "../dist/analysis/HistogramWindow.js";
import { histogramQuantile } from "../dist/analysis/histogramQuantile.js";
import { DURATION_BUCKETS_S, METRIC_UTTERANCE_LATENCY } from "../dist/semconv.js";

function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
const normal = (random) =>
  Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());

/** Shapes with their median at 1; each is scaled to medians from 10 ms to 10 s. */
const shapes = {
  "lognormal σ 0.5": (r) => Math.exp(0.5 * normal(r)),
  "lognormal σ 1.0": (r) => Math.exp(normal(r)),
  "bimodal (8 % at 25x)": (r) => (r() < 0.08 ? 25 * (1 + 0.3 * r()) : 0.8 + 0.4 * r()),
  "uniform 0.5-1.5": (r) => 0.5 + r(),
};
const medians = [0.01, 0.1, 1, 10];
const seeds = [1, 2, 3, 4, 5];
const SAMPLES = 2000;

/** Nearest-rank P95 of sorted values: the value 95 % of utterances are at or under. */
const exactP95 = (sorted) => sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)];

async function analyzerP95(values) {
  const events = [];
  const reader = createAnalysisReader({
    intervalMs: 3_600_000,
    onObservations: (observations) => events.push(...observations),
  });
  const provider = new MeterProvider({ readers: [reader] });
  const histogram = provider.getMeter("bench").createHistogram(METRIC_UTTERANCE_LATENCY);
  for (const v of values) histogram.record(v);
  await reader.forceFlush();
  await provider.shutdown();
  const window = new HistogramWindow();
  for (const event of events)
    if (event.data.metric === METRIC_UTTERANCE_LATENCY) window.add(0, event.data);
  return window.quantile(0.95);
}

function explicitP95(values) {
  const counts = new Array(DURATION_BUCKETS_S.length + 1).fill(0);
  for (const v of values) {
    const i = DURATION_BUCKETS_S.findIndex((b) => v <= b);
    counts[i === -1 ? DURATION_BUCKETS_S.length : i]++;
  }
  return histogramQuantile(0.95, { kind: "explicit", boundaries: DURATION_BUCKETS_S, counts });
}

const pct = (x) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(2)} %`;
console.log(
  `${SAMPLES} latencies per case, ${seeds.length} seeds; error = estimate / exact nearest-rank P95 - 1`,
);
console.log(
  "| shape | median | analyzer P95 error (worst of seeds) | explicit buckets P95 error (worst) |",
);
console.log("|---|---:|---:|---:|");
let worst = 0;
for (const [name, shape] of Object.entries(shapes)) {
  for (const median of medians) {
    let exponentialWorst = 0;
    let explicitWorst = 0;
    for (const seed of seeds) {
      const random = rng(seed * 7919 + median * 1000);
      const values = Array.from({ length: SAMPLES }, () => median * shape(random));
      const exact = exactP95([...values].sort((a, b) => a - b));
      const e = (await analyzerP95(values)) / exact - 1;
      const x = explicitP95(values) / exact - 1;
      if (Math.abs(e) > Math.abs(exponentialWorst)) exponentialWorst = e;
      if (Math.abs(x) > Math.abs(explicitWorst)) explicitWorst = x;
    }
    worst = Math.max(worst, Math.abs(exponentialWorst));
    console.log(
      `| ${name} | ${median >= 1 ? `${median} s` : `${median * 1000} ms`} | ${pct(exponentialWorst)} | ${pct(explicitWorst)} |`,
    );
  }
}
console.log(
  `worst analyzer error ${pct(worst).replace("+", "")} (target <= 2 %: ${worst <= 0.02 ? "met" : "NOT met"}); explicit buckets: ${DURATION_BUCKETS_S.join(", ")} s`,
);
