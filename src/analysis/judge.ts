// Each rule's judgement of the current windows: the value it watches, whether the firing
// condition holds, and whether the resolving (hysteresis) condition holds.

import type { AnalyzerState } from "./AnalyzerState.js";
import { histogramQuantile } from "./histogramQuantile.js";
import { DEFAULT_LEAK_DETECTOR_CONFIG, detectLeak } from "./LeakDetector.js";
import type { RuleName } from "./RulesConfig.js";

export interface Judgement {
  value: number;
  holds: boolean;
  clears: boolean;
  /** Human description of the value for messages. */
  describe: string;
}

export function judge(rule: RuleName, state: AnalyzerState): Judgement | undefined {
  const config = state.rules[rule];
  // Start-up is not judged (see RuleConfig.warmup).
  const warmEnd = state.startedAt + config.warmup;
  if (state.time < warmEnd) return undefined;
  const above = (value: number): Pick<Judgement, "holds" | "clears"> => ({
    holds: value > config.threshold,
    clears: value < config.threshold * config.resolve_ratio,
  });
  switch (rule) {
    case "gpu_memory": {
      const series = state.processGpu.length > 0 ? state.processGpu : state.deviceGpu;
      const last = series[series.length - 1];
      if (!last) return undefined;
      const which = series === state.processGpu ? "process GPU memory" : "device GPU memory";
      return {
        value: last.v,
        ...above(last.v),
        describe: `${which} ${(last.v / 1e9).toFixed(2)} GB`,
      };
    }
    case "cpu": {
      const window = state.cpu.filter((s) => s.t > state.time - config.window);
      if (window.length < config.min_samples) return undefined;
      const mean = window.reduce((a, s) => a + s.v, 0) / window.length;
      return {
        value: mean,
        ...above(mean),
        describe: `mean process CPU ${mean.toFixed(2)} of all cores`,
      };
    }
    case "latency_p95": {
      const merged = state.latencyTotal;
      let max: number | undefined;
      for (const delta of state.latency) {
        if (delta.max !== undefined) max = Math.max(max ?? 0, delta.max);
      }
      const count = merged ? merged.counts.reduce((a, b) => a + b, 0) : 0;
      if (!merged || count < config.min_samples) return undefined;
      const p95 = histogramQuantile(0.95, merged, max);
      return {
        value: p95,
        ...above(p95),
        describe: `utterance latency P95 ${p95.toFixed(2)} s over ${count} utterances`,
      };
    }
    case "memory_leak": {
      const memory =
        state.memory.length > 0 && state.memory[0]!.t < warmEnd
          ? state.memory.filter((sample) => sample.t >= warmEnd)
          : state.memory;
      if (memory.length < config.min_samples) return undefined;
      const windows = DEFAULT_LEAK_DETECTOR_CONFIG.windows.map((w) =>
        w.ms >= config.window ? { ms: config.window, minSlope: config.threshold } : w,
      );
      // A window shorter than the GC horizon would see only the envelope's lag.
      const gcHorizonMs = Math.min(DEFAULT_LEAK_DETECTOR_CONFIG.gcHorizonMs, config.window / 2);
      const verdict = detectLeak(memory, {
        ...DEFAULT_LEAK_DETECTOR_CONFIG,
        windows,
        gcHorizonMs,
      });
      return {
        value: verdict.slopeBytesPerSecond,
        holds: verdict.leaking,
        clears: !verdict.leaking,
        describe: `memory growing ${(verdict.slopeBytesPerSecond / 1e6).toFixed(3)} MB/s (${verdict.reason})`,
      };
    }
    default: {
      const unexpected: never = rule;
      throw new Error(`unknown rule ${String(unexpected)}`);
    }
  }
}
