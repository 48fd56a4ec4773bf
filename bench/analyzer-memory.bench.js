// Analyzer memory over 10 million events: the fold keeps bounded windows, so the heap
// after each million events should stay flat. Baseline: the heap before the first event.

import { Analyzer } from "../dist/analysis/Analyzer.js";
import { DEFAULT_RULES } from "../dist/analysis/RulesConfig.js";

const TOTAL = 10_000_000;
const analyzer = new Analyzer({
  rules: DEFAULT_RULES,
  sessionId: "bench",
  intervalMs: 5000,
  now: () => 0,
});
const cpu = { type: "GaugeObserved", data: { metric: "process.cpu.utilization", value: 0.2 } };
const heap = { type: "GaugeObserved", data: { metric: "v8js.memory.heap.used", value: 5e7 } };
const gpu = { type: "GaugeObserved", data: { metric: "process.gpu.memory.usage", value: 1e9 } };
const memory = (v) => ({
  type: "GaugeObserved",
  data: { metric: "process.memory.usage", value: v },
});
const heapMb = () => {
  global.gc?.();
  return process.memoryUsage().heapUsed / 1e6;
};

const baseline = heapMb();
console.log(`| events | heap used (MB) | vs before (MB) |`);
console.log("|---:|---:|---:|");
console.log(`| 0 | ${baseline.toFixed(1)} | 0.0 |`);
const started = performance.now();
let events = 0;
for (let t = 0; events < TOTAL; t += 5000) {
  // One interval: 10 observations, memory once (the leak rule is the costliest).
  analyzer.observe(
    [cpu, heap, gpu, gpu, gpu, gpu, gpu, gpu, gpu, memory(3e8 + (t % 30_000) * 1000)],
    t,
  );
  events += 10;
  if (events % 1_000_000 === 0) {
    const now = heapMb();
    console.log(
      `| ${events.toLocaleString("en")} | ${now.toFixed(1)} | ${(now - baseline).toFixed(1)} |`,
    );
  }
}
console.log(
  `${((TOTAL / (performance.now() - started)) * 1000).toFixed(0)} events/s folded (no log file)`,
);
