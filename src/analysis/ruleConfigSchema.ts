// The bounds of each rule setting, as one zod schema per rule: the log's SessionStarted is
// checked against it, and so is every `--set` value before any work starts. A value outside
// them (1e309, a negative window, a fractional sample count) could never be meant, and once
// recorded it would make the log unreadable.

import { z } from "zod";

export const RULE_NAMES = ["gpu_memory", "cpu", "latency_p95", "memory_leak"] as const;
export type RuleName = (typeof RULE_NAMES)[number];

const DAY_MS = 86_400_000;
const duration = z
  .number()
  .finite()
  .min(0)
  .max(30 * DAY_MS);

/** Largest sensible threshold per rule, in the rule's unit (bytes, fraction, seconds, bytes/s). */
export const THRESHOLD_MAX: Readonly<Record<RuleName, number>> = {
  gpu_memory: 1e15,
  cpu: 1,
  latency_p95: 3600,
  memory_leak: 1e12,
};

export function ruleConfigSchema(rule: RuleName) {
  return z.object({
    threshold: z.number().finite().gt(0).max(THRESHOLD_MAX[rule]),
    for: duration,
    window: duration.gt(0),
    min_samples: z.number().int().min(1).max(1e6),
    resolve_ratio: z.number().gt(0).max(1),
    resolve_for: duration,
    // Logs written before rules had a warm-up replay as they ran: without one.
    warmup: duration.default(0),
  });
}
