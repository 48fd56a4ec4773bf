import { describe, expect, it } from "vitest";
import type { HistogramMetricData } from "@opentelemetry/sdk-metrics";
import { GcSampler } from "../../src/instrumentation/samplers/GcSampler.js";
import { forceGc } from "../support/forceGc.js";
import { inMemoryMeter, type MetricsSnapshot } from "../support/inMemoryTelemetry.js";

function gcHistogram(snapshot: MetricsSnapshot) {
  const metric = snapshot.get("v8js.gc.duration") as HistogramMetricData | undefined;
  return new Map(
    (metric?.dataPoints ?? []).map((p) => [p.attributes["v8js.gc.type"] as string, p.value]),
  );
}

/** Many short-lived objects: enough for the young generation to be scavenged. */
function churn(): void {
  // Stored in a ring so the allocations escape and cannot be optimised away.
  const ring = new Array<{ i: number }>(1024);
  for (let i = 0; i < 2e6; i++) ring[i & 1023] = { i };
}

describe("GcSampler", () => {
  it("records each collection's duration in seconds by v8js.gc.type", async () => {
    const { meter, collect, shutdown } = inMemoryMeter();
    const sampler = new GcSampler();
    await sampler.start(meter);
    churn();
    const started = performance.now();
    await forceGc();
    const wallSeconds = (performance.now() - started) / 1000;
    const byType = gcHistogram(await collect());
    sampler.stop();
    await shutdown();
    expect(
      [...byType.keys()].every((t) => ["major", "minor", "incremental", "weakcb"].includes(t)),
    ).toBe(true);
    const major = byType.get("major")!;
    const minor = byType.get("minor")!;
    expect(major.count).toBeGreaterThanOrEqual(1);
    expect(minor.count).toBeGreaterThanOrEqual(1);
    // Seconds, not milliseconds: the forced collection took no longer than the call.
    expect(major.max).toBeGreaterThan(0);
    expect(major.max).toBeLessThanOrEqual(wallSeconds);
  });

  it("records nothing once stopped", async () => {
    const { meter, collect, shutdown } = inMemoryMeter();
    const sampler = new GcSampler();
    await sampler.start(meter);
    await forceGc();
    const majors = gcHistogram(await collect()).get("major")!.count;
    sampler.stop();
    sampler.stop();
    await forceGc();
    await forceGc();
    const after = gcHistogram(await collect()).get("major")!.count;
    await shutdown();
    expect(majors).toBeGreaterThanOrEqual(1);
    expect(after).toBe(majors);
  });
});
