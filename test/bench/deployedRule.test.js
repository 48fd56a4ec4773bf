// The leak bench's simulation of the deployed Prometheus rule (bench/support/
// deployedRule.js) against Prometheus itself: corpus traces on a 15 s scrape go through
// `promtool test rules` with the repo's rule file, and the alert must fire exactly when the
// simulation says, so the bench's "deployed rule" figures are the rule's.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { DEPLOYED_RULE, deployedRule } from "../../bench/support/deployedRule.js";
import { leakTrace, REGIMES } from "../../bench/support/leakCorpus.js";
import { REPO } from "../support/runCli.js";
import { requireTool, run } from "../deploy/tools.js";

const SCRAPE_MS = 15_000;
const MIN = 60_000;
const SPAN_MS = 150 * MIN;
const CHECK_EVERY_MS = 2 * MIN;

/** `span` of a trace from `from`, as a 15 s scrape sees it: the latest sample at each. */
function scraped(trace, from) {
  const values = [];
  let i = 0;
  for (let at = from; at <= from + SPAN_MS; at += SCRAPE_MS) {
    while (i + 1 < trace.t.length && trace.t[i + 1] <= at) i++;
    values.push(Math.round(trace.v[i]));
  }
  return values;
}

/** Whether the simulated rule fires, at each check time (ms from the first scrape). */
function simulate(values) {
  const rule = deployedRule({ scrapeMs: SCRAPE_MS, evalMs: SCRAPE_MS });
  const firing = new Map();
  values.forEach((bytes, k) => {
    const t = k * SCRAPE_MS;
    const on = rule(t, bytes);
    if (t % CHECK_EVERY_MS === 0) firing.set(t, on);
  });
  return firing;
}

const leak = (seed, rateMBps, gcClass, shape = "steady", metric = "process_memory_usage") => {
  const trace = leakTrace(seed, { rateMBps, shape, gcClass });
  return { trace, from: Math.max(0, trace.leak.start - 40 * MIN), metric };
};
// Leak-free stretches around the moments the rule's earlier form fired on (tuning seeds).
const quiet = (regime, seed, hour) => ({
  trace: REGIMES[regime](seed, 1),
  from: hour * 3_600_000,
  metric: "process_memory_usage",
});
const CASES = {
  fast_gc_1mbps: leak(2001, 1, "gc 3-30 s"),
  slow_gc_5mbps: leak(2002, 5, "gc 5-10 min"),
  irregular_02mbps_steps: leak(2003, 0.2, "gc irregular", "stepwise"),
  gc_1_5min_005mbps: leak(2004, 0.05, "gc 1-5 min"),
  // The rule judges each memory series alike; this one as the heap after GC.
  smooth_02mbps: leak(2005, 0.2, "smooth", "steady", "voxtrace_memory_heap_after_gc"),
  one_off_steps: quiet("one-off steps", 2003, 0),
  load: quiet("load comes and goes", 2003, 2),
};

const RULES = path.join(REPO, "deploy", "prometheus", "rules", "voxtrace.rules.yml");
const dir = mkdtempSync(path.join(tmpdir(), "voxtrace-rule-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the bench's simulation of the deployed leak rule", () => {
  it("has the rule file's settings", () => {
    const rules = parse(readFileSync(RULES, "utf8")).groups.flatMap((g) => g.rules);
    const pace = rules.find((r) => r.record === "voxtrace:memory_floor:leak_pace").expr;
    const alert = rules.find((r) => r.alert === "VoxtraceMemoryLeak");
    const minutes = (ms) => `${ms / MIN}m`;
    for (const { gapMs, steps, allowance } of DEPLOYED_RULE.staircases) {
      const span = gapMs * steps;
      expect(pace).toContain(
        `offset ${minutes(span)}) / ${span / 1000} > ${allowance / 1e6}e6 / ${span / 1000}`,
      );
      for (let k = 1; k < steps; k++) expect(pace).toContain(`offset ${minutes(k * gapMs)}\n`);
    }
    const steps = DEPLOYED_RULE.staircases.reduce((sum, s) => sum + s.steps, 0);
    expect(pace.split(`> ${DEPLOYED_RULE.likeShare} * (`).length - 1).toBe(steps);
    expect(alert.for).toBe(minutes(DEPLOYED_RULE.forMs));
    expect(alert.keep_firing_for).toBe(minutes(DEPLOYED_RULE.keepFiringMs));
  });

  it("fires and resolves exactly when Prometheus does, on corpus traces", async () => {
    const series = [];
    const tests = [];
    const expected = {};
    for (const [instance, { trace, from, metric }] of Object.entries(CASES)) {
      const values = scraped(trace, from);
      series.push({
        series: `${metric}{instance="${instance}"}`,
        values: values.join(" "),
      });
      const firing = simulate(values);
      expected[instance] = [...firing.values()].filter(Boolean).length;
      for (const [t, on] of firing) {
        tests.push({
          expr: `count(ALERTS{alertname="VoxtraceMemoryLeak",alertstate="firing",instance="${instance}"}) or vector(0)`,
          eval_time: `${t / 1000}s`,
          exp_samples: [{ labels: "{}", value: on ? 1 : 0 }],
        });
      }
    }
    // The cases must show the rule both firing and quiet, or agreeing proves little.
    expect(expected.fast_gc_1mbps).toBeGreaterThan(10);
    expect(expected.slow_gc_5mbps).toBeGreaterThan(10);
    expect(expected.smooth_02mbps).toBeGreaterThan(10);
    expect(expected.one_off_steps).toBe(0);
    expect(expected.load).toBe(0);
    const file = path.join(dir, "agreement.test.yml");
    writeFileSync(
      file,
      stringify({
        rule_files: [RULES],
        evaluation_interval: "15s",
        tests: [{ interval: "15s", input_series: series, promql_expr_test: tests }],
      }),
    );
    const result = await run(requireTool("promtool"), ["test", "rules", file]);
    expect(result.code, (result.stdout + result.stderr).slice(0, 4000)).toBe(0);
  }, 120_000);
});
