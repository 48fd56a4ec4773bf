import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { EventLoopDelaySampler } from "../../src/instrumentation/samplers/EventLoopDelaySampler.js";
import { ProcessCpuSampler } from "../../src/instrumentation/samplers/ProcessCpuSampler.js";
import { ProcessMemorySampler } from "../../src/instrumentation/samplers/ProcessMemorySampler.js";
import { startResourceSamplers } from "../../src/instrumentation/samplers/startResourceSamplers.js";
import { SystemCpuSampler } from "../../src/instrumentation/samplers/SystemCpuSampler.js";
import { captureOutput } from "../support/captureOutput.js";
import {
  emptyPath,
  fakeNvidiaSmi,
  installFakeCommands,
  restorePath,
} from "../support/fakeCommands.js";
import { AggregationTemporality, inMemoryMeter } from "../support/inMemoryTelemetry.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-samplers-"));
afterEach(restorePath);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const burn = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("startResourceSamplers", () => {
  it("reports process, V8, event-loop and system series and, with no GPU, no GPU series", async () => {
    emptyPath();
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
    expect(values.value("process.memory.usage")).toBeGreaterThan(10 * 1024 * 1024);
    expect(values.value("v8js.memory.heap.used")).toBeGreaterThan(1024 * 1024);
    expect(values.value("v8js.memory.heap.used")).toBeLessThan(
      values.value("process.memory.usage")!,
    );
    for (const name of [
      "process.cpu.utilization",
      "system.cpu.utilization",
      "nodejs.eventloop.delay.p99",
    ]) {
      expect(values.value(name), name).toBeGreaterThanOrEqual(0);
    }
    expect(values.value("voxtrace.memory.native")).toBeGreaterThan(0);
    expect(values.value("voxtrace.memory.external")).toBeGreaterThan(0);
    expect(values.value("process.cpu.utilization")).toBeLessThanOrEqual(1);
    expect(values.value("system.cpu.utilization")).toBeLessThanOrEqual(1);
    expect(values.names().filter((name) => name.includes("gpu"))).toEqual([]);
  });

  it("starts no GPU sampler when told gpu: false or not given gpu, and prints nothing", async () => {
    // An nvidia-smi that works: any GPU sampler that ran would report from it.
    installFakeCommands(tmp, {
      "nvidia-smi": fakeNvidiaSmi(["0, NVIDIA Fake A100, GPU-aaaa, 5120, 40960, 37"]),
    });
    const gpuSeries = (names: string[]) => names.filter((n) => /gpu/.test(n));
    const { meter, collect, shutdown } = inMemoryMeter(AggregationTemporality.DELTA);
    const { result, printed } = await captureOutput(async () => {
      const off = await startResourceSamplers({ meter, gpu: false });
      const withoutOff = gpuSeries((await collect()).names());
      off.stop();
      const left = await startResourceSamplers({ meter, samplers: ["cpu", "memory"] });
      const withoutLeft = gpuSeries((await collect()).names());
      left.stop();
      const on = await startResourceSamplers({ meter, samplers: ["gpu"] });
      const withGpu = gpuSeries((await collect()).names());
      on.stop();
      return { off, left, on, withoutOff, withoutLeft, withGpu };
    });
    await shutdown();
    expect(printed).toEqual([]);
    expect(result.withoutOff).toEqual([]);
    expect(result.withoutLeft).toEqual([]);
    expect([result.off.gpuAvailable, result.left.gpuAvailable]).toEqual([false, false]);
    // The same fake, with the GPU sampler asked for: the series exist.
    expect(result.on.gpuAvailable).toBe(true);
    expect(result.withGpu.sort()).toEqual([
      "hw.gpu.memory.limit",
      "hw.gpu.memory.usage",
      "hw.gpu.utilization",
    ]);
  });
});

describe("startResourceSamplers with a choice of samplers", () => {
  it("starts only the samplers asked for", async () => {
    const { meter, collect, shutdown } = inMemoryMeter();
    const samplers = await startResourceSamplers({ meter, samplers: ["memory", "heap"] });
    const seen = await collect();
    samplers.stop();
    await shutdown();
    // voxtrace.memory.heap.after_gc has no point until a major GC, so it is not listed.
    expect(seen.names().sort()).toEqual([
      "process.memory.usage",
      "v8js.memory.heap.used",
      "voxtrace.memory.external",
      "voxtrace.memory.native",
    ]);
  });
});

describe("ProcessCpuSampler", () => {
  it("reports CPU time over wall time as a fraction of all cores, absent before one interval", async () => {
    const { meter, collect, shutdown } = inMemoryMeter();
    const sampler = new ProcessCpuSampler({ intervalMs: 3_600_000 });
    await sampler.start(meter);
    expect((await collect()).value("process.cpu.utilization")).toBeUndefined();
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    burn(100);
    sampler.sample();
    const cpuUs = process.cpuUsage(cpuBefore);
    const wallUs = (performance.now() - wallBefore) * 1000;
    const value = (await collect()).value("process.cpu.utilization")!;
    sampler.stop();
    await shutdown();
    // One thread busy for the whole interval: about 1/cores of the machine, never more than all.
    const cores = os.availableParallelism();
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThanOrEqual(((cpuUs.user + cpuUs.system) / wallUs / cores) * 1.5);
    expect(value).toBeLessThanOrEqual(1);
  });
});

describe("PolledGaugeSampler", () => {
  it("closes an interval on each sample and keeps the last reading when one measured nothing", async () => {
    const { meter, collect, shutdown } = inMemoryMeter();
    const sampler = new EventLoopDelaySampler({ intervalMs: 3_600_000 });
    await sampler.start(meter);
    await sleep(60);
    sampler.sample();
    const first = sampler.p99Seconds;
    expect(first).toBeGreaterThan(0);
    expect((await collect()).value("nodejs.eventloop.delay.p99")).toBe(first);
    // Reset by the sample above and no timer tick since: nothing measured, reading kept.
    sampler.sample();
    expect(sampler.p99Seconds).toBe(first);
    sampler.stop();
    await shutdown();
  });

  it("reports nothing once stopped and a single series after a restart", async () => {
    // Delta: a series the samplers no longer observe drops out of the next collection.
    const { meter, collect, shutdown } = inMemoryMeter(AggregationTemporality.DELTA);
    const cpu = new ProcessCpuSampler({ intervalMs: 3_600_000 });
    const system = new SystemCpuSampler({ intervalMs: 3_600_000 });
    const samplers = [cpu, system, new ProcessMemorySampler()];
    for (const s of samplers) await s.start(meter);
    burn(20);
    cpu.sample();
    system.sample();
    const running = await collect();
    for (const s of samplers) s.stop();
    const stopped = await collect();
    for (const s of samplers) await s.start(meter);
    burn(20);
    cpu.sample();
    const restarted = await collect();
    for (const s of samplers) s.stop();
    await shutdown();
    const names = ["process.cpu.utilization", "system.cpu.utilization", "process.memory.usage"];
    for (const name of names) {
      expect(running.points(name), name).toHaveLength(1);
      expect(stopped.points(name), name).toBeUndefined();
    }
    expect(restarted.points("process.cpu.utilization")).toHaveLength(1);
    expect(restarted.points("process.memory.usage")).toHaveLength(1);
  });
});
