// The memory_leak rule on a corpus it was never tuned on (bench/support/heapCorpus.js): a
// collector that sizes its cycles by the heap that survives them, as V8's does, garbage at
// a rate that wanders with the load, and RSS that gives back part of what a collection
// frees only over minutes. Replayed through the analyzer (the rule and its alert
// lifecycle), two ways: RSS alone (a log or an OTLP stream from a process that reports
// nothing else), and with the heap after GC and native memory a process reports from inside
// (voxtrace's own samplers). The peers judge RSS, as they would in Prometheus. Tables:
// alerts per 7 leak-free days per regime, and per leak (in the JS heap or in native
// memory) the delay from its start to the first alert and from its stop to the alert
// resolving. Every seed here is a judging seed.

import { Analyzer } from "../dist/analysis/Analyzer.js";
import { applyRuleOverrides } from "../dist/analysis/RulesConfig.js";
import {
  METRIC_HEAP_AFTER_GC,
  METRIC_NATIVE_MEMORY,
  METRIC_PROCESS_MEMORY_USAGE,
} from "../dist/semconv.js";
import { memoryLeakAlerts } from "./support/replayMemory.js";
import { HEAP_LEAK_RATES, HEAP_REGIMES, HEAP_SEEDS, heapLeakTrace } from "./support/heapCorpus.js";
import { LEAK_TARGET_MS } from "./support/leakCorpus.js";
import { PEERS } from "./support/leakPeers.js";

const ANALYSIS = {
  Analyzer,
  rules: applyRuleOverrides([]),
  metrics: {
    rss: METRIC_PROCESS_MEMORY_USAGE,
    heapAfterGc: METRIC_HEAP_AFTER_GC,
    native: METRIC_NATIVE_MEMORY,
  },
};

const DAYS = 7;
/** Leak-free seed-weeks per process kind: the analyzer replays a week in about a second. */
const WEEKS = HEAP_SEEDS.slice(0, 30);

/** A peer's alerts over `trace` (RSS), as memoryLeakAlerts gives them. */
function peerAlerts(make, { t, v }) {
  const detect = make();
  const alerts = [];
  let was = false;
  for (let i = 0; i < t.length; i++) {
    const { firing } = detect(t[i], v[i]);
    if (firing && !was) alerts.push([t[i], Infinity]);
    if (!firing && was) alerts.at(-1)[1] = t[i];
    was = firing;
  }
  return alerts;
}

const DETECTORS = {
  "voxtrace, RSS alone": (trace) => memoryLeakAlerts(ANALYSIS, trace, false),
  "voxtrace, with heap after GC and native memory": (trace) =>
    memoryLeakAlerts(ANALYSIS, trace, true),
  ...Object.fromEntries(
    Object.entries(PEERS).map(([name, make]) => [name, (trace) => peerAlerts(make, trace)]),
  ),
};
const names = Object.keys(DETECTORS);
const header = (first) =>
  `| ${first} | ${names.join(" | ")} |\n|---|${names.map(() => "---:").join("|")}|`;
const started = performance.now();

console.log(
  `Leak-free processes: alerts per 7 days, mean over ${WEEKS.length} seeds (seed-weeks with any)`,
);
console.log(header("process"));
for (const [regime, make] of Object.entries(HEAP_REGIMES)) {
  const counts = names.map(() => []);
  for (const seed of WEEKS) {
    const trace = make(seed, DAYS);
    names.forEach((name, k) => counts[k].push(DETECTORS[name](trace).length));
  }
  const cells = counts.map((c) => {
    const mean = c.reduce((a, b) => a + b, 0) / c.length;
    return `${mean.toFixed(2)} (${c.filter((n) => n > 0).length})`;
  });
  console.log(`| ${regime} | ${cells.join(" | ")} |`);
}

const fmt = (ms) =>
  ms === Infinity
    ? "never"
    : ms < 120_000
      ? `${Math.round(ms / 1000)} s`
      : ms < 7_200_000
        ? `${(ms / 60_000).toFixed(1)} min`
        : `${(ms / 3_600_000).toFixed(1)} h`;
const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(p * values.length) - 1)];

console.log(
  `\nSteady leaks on ${HEAP_SEEDS.length} seeds per cell: median / 90th percentile delay from the leak's start to the first alert (missed: none before the leak stopped), [alerts before it started], and the 90th percentile time from its stop to the alert resolving`,
);
console.log(header("leak (target)"));
for (const kind of ["js", "native"]) {
  for (const rate of HEAP_LEAK_RATES) {
    const rows = names.map(() => ({ delays: [], resolved: [], before: 0 }));
    for (const seed of HEAP_SEEDS) {
      const trace = heapLeakTrace(seed, rate, kind);
      const { start, stop } = trace.leak;
      names.forEach((name, k) => {
        const alerts = DETECTORS[name](trace);
        const row = rows[k];
        row.before += alerts.filter(([fired]) => fired < start).length;
        const first = alerts.find(([fired]) => fired >= start);
        row.delays.push(first && first[0] < stop ? first[0] - start : Infinity);
        const last = alerts.at(-1);
        if (last && last[0] < stop + 30 * 60_000) row.resolved.push(Math.max(0, last[1] - stop));
      });
    }
    const cells = rows.map(({ delays, resolved, before }) => {
      const missed = delays.filter((d) => d === Infinity).length;
      const resolvedText =
        resolved.length > 0 ? `, resolved ${fmt(percentile(resolved, 0.9))}` : "";
      return `${fmt(percentile(delays, 0.5))} / ${fmt(percentile(delays, 0.9))}${missed ? ` (${missed} missed)` : ""} [${before}]${resolvedText}`;
    });
    const what = kind === "js" ? "JS heap" : "native";
    console.log(`| ${rate} MB/s ${what} (${fmt(LEAK_TARGET_MS[rate])}) | ${cells.join(" | ")} |`);
  }
}
console.log(`bench time ${Math.round((performance.now() - started) / 1000)} s`);
