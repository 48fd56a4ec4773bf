// P95 from the explicit-bucket histograms the analyzer merges (Prometheus-style linear
// interpolation in the bucket) against the exact P95 of the same synthetic latencies.

import { quantileSorted } from "simple-statistics";
import { histogramQuantile } from "../dist/analysis/histogramQuantile.js";
import { DURATION_BUCKETS_S } from "../dist/semconv.js";

function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
const normal = (random) =>
  Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());

const distributions = {
  "lognormal, median 80 ms": (r) => 0.08 * Math.exp(0.5 * normal(r)),
  "lognormal, median 600 ms": (r) => 0.6 * Math.exp(0.6 * normal(r)),
  "bimodal 50 ms / 2.2 s (8 %)": (r) => (r() < 0.08 ? 2.2 + 0.3 * r() : 0.05 + 0.02 * r()),
  "uniform 1.5-2.5 s": (r) => 1.5 + r(),
};

console.log("| distribution | n | exact P95 (s) | bucket P95 (s) | error |");
console.log("|---|---:|---:|---:|---:|");
for (const [name, draw] of Object.entries(distributions)) {
  const random = rng(7);
  const values = Array.from({ length: 2000 }, () => draw(random)).sort((a, b) => a - b);
  const counts = new Array(DURATION_BUCKETS_S.length + 1).fill(0);
  for (const v of values) {
    const i = DURATION_BUCKETS_S.findIndex((b) => v <= b);
    counts[i === -1 ? DURATION_BUCKETS_S.length : i]++;
  }
  const exact = quantileSorted(values, 0.95);
  const estimate = histogramQuantile(
    0.95,
    { kind: "explicit", boundaries: DURATION_BUCKETS_S, counts },
    values[values.length - 1],
  );
  console.log(
    `| ${name} | ${values.length} | ${exact.toFixed(3)} | ${estimate.toFixed(3)} | ${(((estimate - exact) / exact) * 100).toFixed(1)} % |`,
  );
}
console.log(
  `buckets (s): ${DURATION_BUCKETS_S.join(", ")}; exponential histograms are not used yet (see docs/analyzer.md)`,
);
