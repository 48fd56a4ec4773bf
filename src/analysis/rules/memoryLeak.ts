// memory_leak: memory keeps growing faster than the threshold once start-up is over.
// Judging the trend is the costliest step of the fold, and a trend changes slowly, so it
// is re-judged at most every 10 s of event time; in between the last judgement stands.

import { DEFAULT_LEAK_DETECTOR_CONFIG, detectLeak, type Sample } from "../LeakDetector.js";
import type { Judgement, Rule } from "./Rule.js";

interface Memo {
  samples: Sample[];
  judgedAt: number;
  judgement: Judgement | undefined;
}

const JUDGE_EVERY_MS = 10_000;

export const memoryLeakRule: Rule<Memo> = {
  name: "memory_leak",
  inputs: ["memory"],
  init: () => ({ samples: [], judgedAt: -Infinity, judgement: undefined }),
  observe(memo, input, { time, config, warmEnd }) {
    if (input.kind !== "gauge") return undefined;
    const samples = memo.samples;
    samples.push({ t: input.t, v: input.v });
    const keep =
      Math.max(...DEFAULT_LEAK_DETECTOR_CONFIG.windows.map((w) => w.ms), config.window) +
      DEFAULT_LEAK_DETECTOR_CONFIG.gcHorizonMs;
    let drop = 0;
    while (drop < samples.length && samples[drop]!.t <= time - keep) drop++;
    if (drop > 0) samples.splice(0, drop);
    if (time - memo.judgedAt < JUDGE_EVERY_MS) return memo.judgement;
    memo.judgedAt = time;
    memo.judgement = judge(samples, time, warmEnd, config);
    return memo.judgement;
  },
  formatThreshold: (threshold) => `${threshold / 1e6} MB/s`,
};

function judge(
  all: readonly Sample[],
  time: number,
  warmEnd: number,
  config: Parameters<Rule["observe"]>[2]["config"],
): Judgement | undefined {
  if (time < warmEnd) return undefined;
  const memory = all.length > 0 && all[0]!.t < warmEnd ? all.filter((s) => s.t >= warmEnd) : all;
  if (memory.length < config.min_samples) return undefined;
  const windows = DEFAULT_LEAK_DETECTOR_CONFIG.windows.map((w) =>
    w.ms >= config.window ? { ms: config.window, minSlope: config.threshold } : w,
  );
  // A window shorter than the GC horizon would see only the envelope's lag.
  const gcHorizonMs = Math.min(DEFAULT_LEAK_DETECTOR_CONFIG.gcHorizonMs, config.window / 2);
  const verdict = detectLeak(memory, { ...DEFAULT_LEAK_DETECTOR_CONFIG, windows, gcHorizonMs });
  return {
    value: verdict.slopeBytesPerSecond,
    holds: verdict.leaking,
    clears: !verdict.leaking,
    describe: `memory growing ${(verdict.slopeBytesPerSecond / 1e6).toFixed(3)} MB/s (${verdict.reason})`,
  };
}
