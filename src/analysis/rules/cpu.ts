// cpu: the process's mean CPU share (of all cores) over the window is above the threshold.

import { above, trimWindow, type Rule } from "./Rule.js";

interface Sample {
  t: number;
  v: number;
}

export const cpuRule: Rule<Sample[]> = {
  name: "cpu",
  inputs: ["cpu"],
  init: () => [],
  observe(window, input, { time, config, warmEnd }) {
    if (input.kind !== "gauge") return undefined;
    window.push({ t: input.t, v: input.v });
    trimWindow(window, time - config.window);
    if (time < warmEnd || window.length < config.min_samples) return undefined;
    let sum = 0;
    for (const sample of window) sum += sample.v;
    const mean = sum / window.length;
    return above(mean, config, () => `mean process CPU ${mean.toFixed(2)} of all cores`);
  },
  formatThreshold: (threshold) => `${threshold} of all cores`,
};
