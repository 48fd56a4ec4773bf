import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GpuSampler } from "../../src/instrumentation/samplers/GpuSampler.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-gpu-"));
const originalPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = originalPath;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fake nvidia-smi printing fixed CSV, the true system boundary for GPU metrics. */
function installFakeNvidiaSmi(): void {
  const script = `#!/bin/sh
case "$*" in
  *query-gpu*) echo "0, NVIDIA Fake A100, GPU-aaaa, 5120, 40960, 37" ;;
  *query-compute-apps*) echo "${process.pid}, GPU-aaaa, 4608"; echo "99999, GPU-aaaa, 256" ;;
esac
`;
  writeFileSync(path.join(tmp, "nvidia-smi"), script);
  chmodSync(path.join(tmp, "nvidia-smi"), 0o755);
  process.env.PATH = `${tmp}:${originalPath ?? ""}`;
}

async function collect(sampler: GpuSampler) {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  await sampler.start(provider.getMeter("test"));
  await reader.forceFlush();
  sampler.stop();
  await provider.shutdown();
  return exporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
}

describe("GpuSampler", () => {
  it("reports the values nvidia-smi prints, in bytes and fractions", async () => {
    installFakeNvidiaSmi();
    const metrics = await collect(new GpuSampler({ info: () => {} }));
    const value = (name: string) => metrics.find((m) => m.descriptor.name === name)?.dataPoints[0];
    expect(value("hw.gpu.memory.usage")?.value).toBe(5120 * 1024 * 1024);
    expect(value("hw.gpu.memory.usage")?.attributes).toEqual({
      "hw.id": "0",
      "hw.name": "NVIDIA Fake A100",
    });
    expect(value("hw.gpu.memory.limit")?.value).toBe(40960 * 1024 * 1024);
    expect(value("hw.gpu.utilization")?.value).toBeCloseTo(0.37);
    expect(value("process.gpu.memory.usage")?.value).toBe(4608 * 1024 * 1024);
  });

  it("without nvidia-smi leaves the GPU series absent and says so once", async () => {
    process.env.PATH = "/nonexistent";
    const lines: string[] = [];
    const sampler = new GpuSampler({ info: (line) => lines.push(line) });
    const metrics = await collect(sampler);
    expect(metrics.filter((m) => m.descriptor.name.includes("gpu"))).toEqual([]);
    expect(sampler.available).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/no GPU metrics \(nvidia-smi not on PATH\)/);
  });
});
