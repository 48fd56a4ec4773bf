import os from "node:os";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { afterEach, describe, expect, it } from "vitest";
import { ProcessCpuSampler } from "../../src/instrumentation/samplers/ProcessCpuSampler.js";
import { startResourceSamplers } from "../../src/instrumentation/samplers/startResourceSamplers.js";

const originalPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = originalPath;
});

function inMemoryMeter() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const collect = async () => {
    await reader.forceFlush();
    const last = exporter.getMetrics().at(-1);
    const metrics = last?.scopeMetrics.flatMap((sm) => sm.metrics) ?? [];
    return new Map(metrics.map((m) => [m.descriptor.name, m.dataPoints[0]?.value as number]));
  };
  return { meter: provider.getMeter("test"), collect, shutdown: () => provider.shutdown() };
}

const burn = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("startResourceSamplers", () => {
  it("reports process, V8, event-loop and system series and, with no GPU, no GPU series", async () => {
    process.env.PATH = "/nonexistent";
    const lines: string[] = [];
    const { meter, collect, shutdown } = inMemoryMeter();
    const samplers = await startResourceSamplers({
      meter,
      intervalMs: 50,
      gpu: { info: (line) => lines.push(line) },
    });
    burn(30);
    await sleep(150);
    const values = await collect();
    samplers.stop();
    samplers.stop();
    await shutdown();
    expect(samplers.gpuAvailable).toBe(false);
    expect(lines).toHaveLength(1);
    expect(values.get("process.memory.usage")).toBeGreaterThan(10 * 1024 * 1024);
    expect(values.get("v8js.memory.heap.used")).toBeGreaterThan(1024 * 1024);
    expect(values.get("v8js.memory.heap.used")).toBeLessThan(values.get("process.memory.usage")!);
    for (const name of [
      "process.cpu.utilization",
      "system.cpu.utilization",
      "nodejs.eventloop.delay.p99",
    ]) {
      expect(values.get(name), name).toBeGreaterThanOrEqual(0);
    }
    expect(values.get("process.cpu.utilization")).toBeLessThanOrEqual(1);
    expect(values.get("system.cpu.utilization")).toBeLessThanOrEqual(1);
    expect([...values.keys()].filter((name) => name.includes("gpu"))).toEqual([]);
  });

  it("starts no GPU sampler when told gpu: false, and prints nothing", async () => {
    const lines: string[] = [];
    const { meter, shutdown } = inMemoryMeter();
    const stderrWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk: string) => (lines.push(chunk), true);
    try {
      const samplers = await startResourceSamplers({ meter, gpu: false });
      samplers.stop();
    } finally {
      process.stderr.write = stderrWrite;
    }
    await shutdown();
    expect(lines).toEqual([]);
  });
});

describe("ProcessCpuSampler", () => {
  it("reports CPU time over wall time as a fraction of all cores, absent before one interval", async () => {
    const { meter, collect, shutdown } = inMemoryMeter();
    const sampler = new ProcessCpuSampler({ intervalMs: 3_600_000 });
    await sampler.start(meter);
    expect((await collect()).has("process.cpu.utilization")).toBe(false);
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    burn(100);
    sampler.sample();
    const cpuUs = process.cpuUsage(cpuBefore);
    const wallUs = (performance.now() - wallBefore) * 1000;
    const value = (await collect()).get("process.cpu.utilization")!;
    sampler.stop();
    await shutdown();
    // One thread busy for the whole interval: about 1/cores of the machine, never more than all.
    const cores = os.availableParallelism();
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThanOrEqual(((cpuUs.user + cpuUs.system) / wallUs / cores) * 1.5);
    expect(value).toBeLessThanOrEqual(1);
  });
});
