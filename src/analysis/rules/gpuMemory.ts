// gpu_memory: GPU memory held is above the threshold. This process's own share when the
// driver reports it, else the device's use; with several devices, the largest at an instant.

import { above, trimWindow, type Rule } from "./Rule.js";

interface Sample {
  t: number;
  v: number;
}

interface Memo {
  process: Sample[];
  device: Sample[];
}

export const gpuMemoryRule: Rule<Memo> = {
  name: "gpu_memory",
  inputs: ["processGpu", "deviceGpu"],
  init: () => ({ process: [], device: [] }),
  observe(memo, input, { time, config, warmEnd }) {
    if (input.kind !== "gauge") return undefined;
    const own = input.key === "processGpu" ? memo.process : memo.device;
    const last = own[own.length - 1];
    if (last && last.t === input.t) last.v = Math.max(last.v, input.v);
    else own.push({ t: input.t, v: input.v });
    trimWindow(own, time - config.window);
    if (time < warmEnd) return undefined;
    const series = memo.process.length > 0 ? memo.process : memo.device;
    const latest = series[series.length - 1];
    if (!latest) return undefined;
    const which = series === memo.process ? "process GPU memory" : "device GPU memory";
    const held = latest.v;
    return above(held, config, () => `${which} ${(held / 1e9).toFixed(2)} GB`);
  },
  formatThreshold: (threshold) => `${threshold / 1e9} GB`,
};
