// Alert rule settings: defaults, and `--set RULE.FIELD=VALUE` overrides (the same syntax
// on transcribe, listen and analyze, and in createAnalyzer's `set`). Durations accept
// 500ms/30s/5m/1h (bare numbers are seconds); sizes accept 512MB/4GB (decimal: 1 MB = 1e6
// bytes); latency thresholds are durations, leak thresholds rates (0.05MB/s), CPU a fraction.

import { VoxtraceError } from "../errors.js";
import { RULE_NAMES, ruleConfigSchema, type RuleName } from "./ruleConfigSchema.js";

export { RULE_NAMES, type RuleName };

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
  // threshold: the smallest growth (bytes/s) worth an alert; window: the longest look back.
  // No warm-up: the leak tracker tells start-up growth that flattens from a leak.
  memory_leak: {
    threshold: 5e3,
    for: 0,
    window: 11_520_000,
    min_samples: 1,
    resolve_ratio: 1,
    // A slow leak's windows drop in and out of significance with the noise: resolving after
    // 2 minutes without raised the alert again 387 times over the 300 leak traces of the
    // bench's tuning seeds, 5 minutes 104 times (10 minutes: 37, but never within 10
    // minutes of the stop). Measured before the tracker's stopped-growth check had to
    // persist (LeakTracker STALL_PERSIST), which took 5 minutes to about 60.
    resolve_for: 300_000,
    warmup: 0,
  },
};

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const SIZES: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };

/** 500ms, 30s, 5m, 1h; a bare number is seconds. Returns ms. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?(?:e[-+]?\d+)?)(ms|s|m|h)?$/i.exec(text.trim());
  if (!match) throw new Error(`'${text}' is not a duration (e.g. 500ms, 30s, 5m)`);
  return Number(match[1]) * UNITS[(match[2] ?? "s").toLowerCase()]!;
}

function parseSize(text: string, perSecond: boolean): number {
  const unit = perSecond ? "(b|kb|mb|gb|tb)(?:/s)?" : "(b|kb|mb|gb|tb)";
  const match = new RegExp(`^(\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?)\\s*${unit}?$`, "i").exec(
    text.trim(),
  );
  if (!match)
    throw new Error(`'${text}' is not a ${perSecond ? "rate (e.g. 0.05MB/s)" : "size (e.g. 4GB)"}`);
  return Number(match[1]) * SIZES[(match[2] ?? "b").toLowerCase()]!;
}

function parsePlain(text: string): number {
  if (!/^\d+(?:\.\d+)?(?:e[-+]?\d+)?$/i.test(text.trim()))
    throw new Error(`'${text}' is not a plain number`);
  return Number(text);
}

/** Each field's value syntax: the threshold speaks its rule's unit. */
function parseField(rule: RuleName, field: keyof RuleConfig, value: string): number {
  if (field === "for" || field === "window" || field === "resolve_for" || field === "warmup")
    return parseDuration(value);
  if (field !== "threshold") return parsePlain(value);
  switch (rule) {
    case "gpu_memory":
      return parseSize(value, false);
    case "memory_leak":
      return parseSize(value, true);
    case "latency_p95":
      return parseDuration(value) / 1000;
    case "cpu":
      return parsePlain(value);
    default: {
      const unexpected: never = rule;
      throw new Error(`unknown rule ${String(unexpected)}`);
    }
  }
}

/** Rule settings as `--set` takes them (`RULE.FIELD=VALUE`), or as an object of the same keys. */
export type RuleOverrides = readonly string[] | Readonly<Record<string, string | number>>;

/**
 * Applies settings to a copy of `base`. Every value is checked against the rule's bounds
 * (ruleConfigSchema) here, so a bad one fails before any work with a usage error.
 */
export function applyRuleOverrides(
  overrides: RuleOverrides,
  base: Readonly<RulesConfig> = DEFAULT_RULES,
): RulesConfig {
  const rules = structuredClone(base) as RulesConfig;
  const pairs: [string, string][] = Array.isArray(overrides)
    ? (overrides as readonly string[]).map((set) => {
        const at = set.indexOf("=");
        return at < 0 ? [set, ""] : [set.slice(0, at).trim(), set.slice(at + 1).trim()];
      })
    : Object.entries(overrides).map(([key, value]) => [key, String(value)]);
  for (const [key, value] of pairs) {
    const fail = (why: string): never => {
      throw new VoxtraceError("usage", `--set ${key}=${value}: ${why}`);
    };
    const match = /^([a-z_0-9]+)\.([a-z_]+)$/.exec(key);
    if (!match || value === "") fail("expected RULE.FIELD=VALUE, e.g. latency_p95.threshold=1.5");
    const [, rule = "", field = ""] = match!;
    if (!(RULE_NAMES as readonly string[]).includes(rule))
      fail(`unknown rule '${rule}' (rules: ${RULE_NAMES.join(", ")})`);
    const config = rules[rule as RuleName];
    // Own fields only: `__proto__` or `constructor` must not reach the prototype.
    if (!Object.hasOwn(config, field))
      fail(`unknown field '${field}' (fields: ${Object.keys(config).join(", ")})`);
    let parsed = NaN;
    try {
      parsed = parseField(rule as RuleName, field as keyof RuleConfig, value);
    } catch (error) {
      fail((error as Error).message);
    }
    const checked = ruleConfigSchema(rule as RuleName).shape[field as keyof RuleConfig].safeParse(
      parsed,
    );
    if (!checked.success) fail(`out of range (${checked.error.issues[0]?.message ?? "invalid"})`);
    config[field as keyof RuleConfig] = parsed;
  }
  return rules;
}
