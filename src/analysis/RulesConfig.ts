// Alert rule settings: defaults, and `--set RULE.FIELD=VALUE` overrides (the same syntax
// on transcribe, listen and analyze). Durations accept 500ms/30s/5m/1h (bare numbers are
// seconds); sizes accept 512MB/4GB (decimal: 1 MB = 1e6 bytes).

import { VoxtraceError } from "../errors.js";

export const RULE_NAMES = ["gpu_memory", "cpu", "latency_p95", "memory_leak"] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export interface RuleConfig {
  /** The value the condition compares against (bytes, fraction, seconds, bytes/s). */
  threshold: number;
  /** How long the condition must hold before the alert fires, ms. */
  for: number;
  /** The window the value is computed over, ms. */
  window: number;
  /** Fewest samples in the window for the rule to judge at all. */
  min_samples: number;
  /** Resolve only when the value falls below threshold × resolve_ratio (hysteresis). */
  resolve_ratio: number;
  /** ...and stays there this long, ms. */
  resolve_for: number;
  /**
   * Observations from the first `warmup` ms of a session are not judged, ms. Start-up
   * (model arenas, JIT, first utterances) grows memory quickly and then stops; that is
   * not a leak. Logs written before this field existed replay with 0.
   */
  warmup: number;
}

export type RulesConfig = Record<RuleName, RuleConfig>;

export const DEFAULT_RULES: Readonly<RulesConfig> = {
  gpu_memory: {
    threshold: 4e9,
    for: 30_000,
    window: 30_000,
    min_samples: 1,
    resolve_ratio: 0.9,
    resolve_for: 30_000,
    warmup: 0,
  },
  cpu: {
    threshold: 0.5,
    for: 0,
    window: 60_000,
    min_samples: 6,
    resolve_ratio: 0.9,
    resolve_for: 60_000,
    warmup: 0,
  },
  latency_p95: {
    threshold: 2,
    for: 0,
    window: 300_000,
    min_samples: 20,
    resolve_ratio: 0.9,
    resolve_for: 60_000,
    warmup: 0,
  },
  // threshold: the smallest growth (bytes/s) the longest window reports; see LeakDetector.
  memory_leak: {
    threshold: 0.03e6,
    for: 0,
    window: 1_800_000,
    min_samples: 6,
    resolve_ratio: 1,
    resolve_for: 300_000,
    warmup: 120_000,
  },
};

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIZES: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9 };

export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`'${text}' is not a duration (e.g. 500ms, 30s, 5m)`);
  return Number(match[1]) * UNITS[match[2] ?? "s"]!;
}

function parseNumberOrSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?(?:e-?\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  if (!match) throw new Error(`'${text}' is not a number (sizes like 4GB are accepted)`);
  return Number(match[1]) * SIZES[(match[2] ?? "b").toLowerCase()]!;
}

const DURATION_FIELDS = new Set(["for", "window", "resolve_for", "warmup"]);

/** Applies `RULE.FIELD=VALUE` settings to a copy of `base`. */
export function applyRuleOverrides(
  sets: readonly string[],
  base: Readonly<RulesConfig> = DEFAULT_RULES,
): RulesConfig {
  const rules = structuredClone(base) as RulesConfig;
  for (const set of sets) {
    const match = /^([a-z_0-9]+)\.([a-z_]+)=(.+)$/.exec(set.trim());
    const fail = (why: string): never => {
      throw new VoxtraceError("usage", `--set ${set}: ${why}`);
    };
    if (!match) fail("expected RULE.FIELD=VALUE, e.g. latency_p95.threshold=1.5");
    const [, rule = "", field = "", value = ""] = match!;
    if (!(RULE_NAMES as readonly string[]).includes(rule))
      fail(`unknown rule '${rule}' (rules: ${RULE_NAMES.join(", ")})`);
    const config = rules[rule as RuleName];
    if (!(field in config))
      fail(`unknown field '${field}' (fields: ${Object.keys(config).join(", ")})`);
    try {
      const parsed = DURATION_FIELDS.has(field) ? parseDuration(value) : parseNumberOrSize(value);
      (config as unknown as Record<string, number>)[field] = parsed;
    } catch (error) {
      fail((error as Error).message);
    }
  }
  return rules;
}
