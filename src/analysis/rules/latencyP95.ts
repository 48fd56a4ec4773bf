// latency_p95: the 95th percentile of utterance latency over the window is above the
// threshold. The window's histogram deltas are kept summed as they enter and leave.

import { HistogramWindow } from "../HistogramWindow.js";
import { above, type Rule } from "./Rule.js";

export const latencyP95Rule: Rule<HistogramWindow> = {
  name: "latency_p95",
  inputs: ["latency"],
  init: () => new HistogramWindow(),
  observe(window, input, { time, config, warmEnd }) {
    if (input.kind !== "histogram") return undefined;
    window.add(input.t, input.delta);
    window.expire(time - config.window);
    const count = window.count();
    if (time < warmEnd || count < config.min_samples) return undefined;
    const p95 = window.quantile(0.95);
    return above(
      p95,
      config,
      () => `utterance latency P95 ${p95.toFixed(2)} s over ${count} utterances`,
    );
  },
  formatThreshold: (threshold) => `${threshold} s`,
};
