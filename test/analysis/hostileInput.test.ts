// Values from outside the process that cannot be right: rule settings given on the command
// line and fields of a log on disk. Each is refused where it enters, with exit 2 and one
// line, before any work: never recorded, never printed as it is, never a crash.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { serializeEvent } from "../../src/analysis/AnalyzerEvent.js";
import { applyRuleOverrides, DEFAULT_RULES, RULE_NAMES } from "../../src/analysis/RulesConfig.js";
import { VoxtraceError } from "../../src/errors.js";
import { runCli } from "../support/runCli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-hostile-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("--set values", () => {
  it.each([
    "cpu.threshold=1e309",
    "cpu.threshold=4GB",
    "cpu.threshold=2",
    "cpu.threshold=0",
    "latency_p95.threshold=1e400s",
    "gpu_memory.threshold=4 parsecs",
    "memory_leak.min_samples=2.5",
    "cpu.resolve_ratio=0",
    "cpu.resolve_ratio=1.5",
    "cpu.window=0",
    "cpu.window=40d",
    "cpu.__proto__=1",
    "cpu.constructor=1",
    "__proto__.threshold=1",
    "cpu.threshold=",
  ])("refuses %s as a usage error", (set) => {
    const error = (() => {
      try {
        applyRuleOverrides([set]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(VoxtraceError);
    expect((error as VoxtraceError).code).toBe("usage");
    expect((error as Error).message).not.toContain("\n");
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it("takes each rule's threshold in its unit", () => {
    const rules = applyRuleOverrides([
      "latency_p95.threshold=1500ms",
      "gpu_memory.threshold=8GB",
      "memory_leak.threshold=0.05MB/s",
      "cpu.threshold=0.6",
    ]);
    expect(rules.latency_p95.threshold).toBe(1.5);
    expect(rules.gpu_memory.threshold).toBe(8e9);
    expect(rules.memory_leak.threshold).toBe(0.05e6);
    expect(rules.cpu.threshold).toBe(0.6);
    expect(applyRuleOverrides({ "latency_p95.threshold": "1.5s", "cpu.threshold": 0.6 })).toEqual({
      ...DEFAULT_RULES,
      latency_p95: { ...DEFAULT_RULES.latency_p95, threshold: 1.5 },
      cpu: { ...DEFAULT_RULES.cpu, threshold: 0.6 },
    });
  });

  it("either applies any RULE.FIELD=VALUE it accepts as a finite, in-range number or refuses it", () => {
    const fields = Object.keys(DEFAULT_RULES.cpu);
    fc.assert(
      fc.property(
        fc.constantFrom(...RULE_NAMES),
        fc.constantFrom(...fields, "__proto__", "toString"),
        fc.oneof(
          fc.double().map(String),
          fc.integer().map(String),
          fc.string({ maxLength: 8 }),
          fc.constantFrom("1e309", "-1", "NaN", "Infinity", "4GB", "0.5s", "2m", "1e-400"),
        ),
        (rule, field, value) => {
          try {
            const rules = applyRuleOverrides([`${rule}.${field}=${value}`]);
            const set = (rules[rule] as unknown as Record<string, number>)[field]!;
            expect(Number.isFinite(set)).toBe(true);
            expect(set).toBeGreaterThanOrEqual(0);
          } catch (error) {
            expect(error).toBeInstanceOf(VoxtraceError);
            expect((error as VoxtraceError).code).toBe("usage");
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("stops voxtrace analyze with exit 2 before reading the log", async () => {
    const result = await runCli([
      "analyze",
      path.join(tmp, "missing.ndjson"),
      "--set",
      "cpu.threshold=1e309",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/cpu\.threshold=1e309/);
  });
});

const started = serializeEvent({
  seq: 1,
  time: 1_700_000_000_000,
  type: "SessionStarted",
  data: { sessionId: "s", version: "0", rules: DEFAULT_RULES, intervalMs: 5000 },
});
const stage = (name: string, seq: number): string =>
  JSON.stringify({
    seq,
    time: 1_700_000_000_000 + seq * 5000,
    type: "HistogramObserved",
    data: {
      metric: "voxtrace.stage.duration",
      attributes: { "voxtrace.stage": name },
      count: 1,
      sum: 0.01,
      buckets: { kind: "explicit", boundaries: [0.005, 0.05], counts: [0, 1, 0] },
    },
  });

describe("hostile log fields", () => {
  it("reports and compares stages named __proto__ and constructor as plain names", async () => {
    const file = path.join(tmp, "proto.ndjson");
    writeFileSync(
      file,
      [started, stage("__proto__", 2), stage("constructor", 3)].join("\n") + "\n",
    );
    const analyzed = await runCli(["analyze", file, "--json"]);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const stages = (JSON.parse(analyzed.stdout) as { summary: { stages: object } }).summary.stages;
    expect(Object.keys(stages).sort()).toEqual(["__proto__", "constructor"]);
    const compared = await runCli(["compare", file, file]);
    expect(compared.code, compared.stderr).toBe(0);
    expect(compared.stdout).toMatch(/stage __proto__/);
    const report = await runCli(["report", file, "--out", path.join(tmp, "proto.html")]);
    expect(report.code, report.stderr).toBe(0);
  });

  it.each([
    [
      "a time past what a Date holds",
      '{"seq":2,"time":1e300,"type":"SessionEnded","data":{"reason":"x"}}',
    ],
    [
      "an infinite count",
      '{"seq":2,"time":1,"type":"HistogramObserved","data":{"metric":"m","count":1e999,"sum":1,"buckets":{"kind":"explicit","boundaries":[],"counts":[1]}}}',
    ],
    [
      "a negative bucket count",
      '{"seq":2,"time":1,"type":"HistogramObserved","data":{"metric":"m","count":1,"sum":1,"buckets":{"kind":"explicit","boundaries":[1],"counts":[-5,6]}}}',
    ],
    [
      "a fractional count",
      '{"seq":2,"time":1,"type":"HistogramObserved","data":{"metric":"m","count":0.5,"sum":1,"buckets":{"kind":"explicit","boundaries":[],"counts":[0.5]}}}',
    ],
    ["a recorded threshold of 1e309", started.replace('"threshold":0.5', '"threshold":1e309')],
  ])("refuses %s with exit 2 naming the line", async (_what, line) => {
    const file = path.join(tmp, `bad-${Math.random().toString(36).slice(2)}.ndjson`);
    const lines = line.startsWith('{"seq":1')
      ? [line, stage("vad", 2)]
      : [started, line, stage("vad", 3)];
    writeFileSync(file, lines.join("\n") + "\n");
    for (const command of [
      ["analyze", file],
      ["report", file, "--out", `${file}.html`],
      ["compare", file, file],
    ]) {
      const result = await runCli(command);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(new RegExp(`${path.basename(file)}:\\d+: `));
    }
  });
});
