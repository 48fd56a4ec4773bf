// Leak detection on synthetic memory traces sampled every 5 s for 24 simulated hours:
// a GC saw-tooth of +-50 MB (30 s period) with noise, leaks from 0.05 to 2 MB/s starting
// after one hour, and leak-free traces. Three detectors side by side on the same traces:
// voxtrace's (post-GC floor envelope + Theil-Sen + trend share over 60 s/10 min/30 min),
// the seed's rule (least-squares slope > 1 MB/s over 60 s) and a Prometheus-style
// deriv(process_memory_usage[10m]) > 0.05 MB/s.

import { linearRegression } from "simple-statistics";
import { detectLeak } from "../dist/analysis/LeakDetector.js";

const STEP = 5000;
const DAY = 24 * 3600 * 1000;
const LEAK_START = 3600 * 1000;

function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function trace(leakMBps, seed) {
  const random = rng(seed);
  const phase = random() * 30_000;
  const out = [];
  for (let t = 0; t <= DAY; t += STEP) {
    const saw = (((t + phase) % 30_000) / 30_000) * 100e6 - 50e6;
    const noise = (random() - 0.5) * 10e6;
    const leak = t > LEAK_START ? ((t - LEAK_START) / 1000) * leakMBps * 1e6 : 0;
    out.push({ t, v: 400e6 + saw + noise + leak });
  }
  return out;
}

const slopeOver = (samples, end, windowMs) => {
  const pts = [];
  for (let i = end; i >= 0 && samples[i].t > samples[end].t - windowMs; i--)
    pts.push([samples[i].t / 1000, samples[i].v]);
  return pts.length >= 3 ? linearRegression(pts).m : 0;
};

const detectors = {
  voxtrace: (s, i, history) => detectLeak(history).leaking,
  "seed: LSQ slope > 1 MB/s over 60 s": (s, i) => slopeOver(s, i, 60_000) > 1e6,
  "deriv(mem[10m]) > 0.05 MB/s": (s, i) => slopeOver(s, i, 600_000) > 0.05e6,
};

const cases = [
  ...[0.05, 0.1, 0.5, 1, 2].map((rate, k) => ({ name: `leak ${rate} MB/s`, rate, seed: 11 + k })),
  ...[1, 2, 3].map((k) => ({ name: `no leak #${k}`, rate: 0, seed: 100 + k })),
];

console.log("| trace | voxtrace | seed rule | deriv rule |");
console.log("|---|---:|---:|---:|");
for (const c of cases) {
  const samples = trace(c.rate, c.seed);
  const cells = [];
  for (const detect of Object.values(detectors)) {
    let firstFire;
    let falseAlarms = 0;
    const history = [];
    let inAlarm = false;
    for (let i = 0; i < samples.length; i++) {
      history.push(samples[i]);
      // The rule keeps only what its longest window and the GC horizon need.
      while (history.length > 0 && history[0].t < samples[i].t - 1_830_000) history.shift();
      const fired = detect(samples, i, history);
      if (fired && !inAlarm) {
        if (samples[i].t < LEAK_START || c.rate === 0) falseAlarms++;
        else firstFire ??= samples[i].t;
      }
      inAlarm = fired;
      if (firstFire !== undefined && c.rate > 0) break;
    }
    cells.push(
      c.rate > 0
        ? `${firstFire === undefined ? "missed" : `${((firstFire - LEAK_START) / 1000).toFixed(0)} s`}${falseAlarms ? `, ${falseAlarms} false before` : ""}`
        : `${falseAlarms} false alarm(s)`,
    );
  }
  console.log(`| ${c.name} | ${cells.join(" | ")} |`);
}
console.log(
  "cells: delay from leak start to first alert (leaks), or alerts raised in 24 h (no leak)",
);
