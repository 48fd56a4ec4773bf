// All rules by name: one observation reaches each rule that lists its series.

import type { RuleName } from "../RulesConfig.js";
import { cpuRule } from "./cpu.js";
import { gpuMemoryRule } from "./gpuMemory.js";
import { latencyP95Rule } from "./latencyP95.js";
import { memoryLeakRule } from "./memoryLeak.js";
import type { Rule } from "./Rule.js";

export const RULES: Readonly<Record<RuleName, Rule<never>>> = {
  gpu_memory: gpuMemoryRule as Rule<never>,
  cpu: cpuRule as Rule<never>,
  latency_p95: latencyP95Rule as Rule<never>,
  memory_leak: memoryLeakRule as Rule<never>,
};
