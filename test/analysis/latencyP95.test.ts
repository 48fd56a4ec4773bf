// The P95 the analyzer judges is the real P95: the analysis reader asks the SDK for base-2
// exponential histograms, the log records them, and the quantile read back from the log is
// within 2 % of the exact (nearest-rank) P95 of the same values, at every latency scale.

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createAnalysisReader } from "../../src/analysis/AnalysisMetricExporter.js";
import { analyzeLog } from "../../src/analysis/analyzeLog.js";
import { Analyzer } from "../../src/analysis/Analyzer.js";
import { EventLog } from "../../src/analysis/EventLog.js";
import { DEFAULT_RULES } from "../../src/analysis/RulesConfig.js";
import { DURATION_BUCKETS_S, METRIC_UTTERANCE_LATENCY } from "../../src/semconv.js";
import { AUDIO_DIR, MODEL_DIR, runCli } from "../support/runCli.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-p95-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const nearestRankP95 = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.ceil(0.95 * values.length) - 1]!;

let n = 0;
/** Records `batches` of latencies through a real SDK and the analysis reader into a log. */
async function recordLatencies(batches: readonly (readonly number[])[]): Promise<string> {
  const file = path.join(tmp, `session-${++n}.ndjson`);
  const log = await EventLog.open(file);
  let time = 1_700_000_000_000;
  const analyzer = new Analyzer({
    rules: DEFAULT_RULES,
    sessionId: "p95",
    intervalMs: 5000,
    log,
    now: () => time,
  });
  const reader = createAnalysisReader({
    intervalMs: 3_600_000,
    onObservations: (observations) => analyzer.observe(observations, (time += 5000)),
  });
  const provider = new MeterProvider({ readers: [reader] });
  // The same advice the pipeline gives: Prometheus keeps explicit buckets, the analysis
  // reader must still get exponential ones.
  const histogram = provider.getMeter("test").createHistogram(METRIC_UTTERANCE_LATENCY, {
    unit: "s",
    advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
  });
  for (const batch of batches) {
    for (const value of batch) histogram.record(value);
    await reader.forceFlush();
  }
  await provider.shutdown();
  analyzer.end("test");
  return file;
}

describe("latency P95 from the log", () => {
  it("is within 2 % of the exact P95 from 10 ms to 10 s", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: Math.log(0.01), max: Math.log(10), noNaN: true }),
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        fc.integer({ min: 20, max: 400 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer(),
        async (logCentre, spread, count, intervals, seed) => {
          let state = seed >>> 0 || 1;
          const random = (): number => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
          const values = Array.from({ length: count }, () =>
            Math.min(10, Math.max(0.01, Math.exp(logCentre + spread * (random() * 2 - 1)))),
          );
          const batches = Array.from({ length: intervals }, (_, i) =>
            values.filter((_, j) => j % intervals === i),
          );
          const { summary } = await analyzeLog(await recordLatencies(batches));
          const exact = nearestRankP95(values);
          expect(summary.latency.count).toBe(count);
          expect(Math.abs(summary.latency.p95! / exact - 1)).toBeLessThanOrEqual(0.02);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("matches the P95 of transcribe --json's own latencies end to end", async () => {
    const events = path.join(tmp, "dictation.ndjson");
    const run = await runCli([
      "transcribe",
      path.join(AUDIO_DIR, "session-dictation.wav"),
      "--model",
      MODEL_DIR,
      "--json",
      "--events",
      events,
      "--analysis-interval",
      "500",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const latencies = run.stdout
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { latency_ms: number }).latency_ms / 1000);
    const { summary } = await analyzeLog(events);
    expect(summary.latency.count).toBe(latencies.length);
    expect(Math.abs(summary.latency.p95! / nearestRankP95(latencies) - 1)).toBeLessThanOrEqual(
      0.02,
    );
  });
});
