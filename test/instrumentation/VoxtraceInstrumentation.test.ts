import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_INSTRUMENTATION_CONFIG,
  VoxtraceInstrumentation,
} from "../../src/instrumentation/VoxtraceInstrumentation.js";
import { captureOutput } from "../support/captureOutput.js";
import {
  emptyPath,
  fakeNvidiaSmi,
  installFakeCommands,
  restorePath,
} from "../support/fakeCommands.js";
import { forceGc } from "../support/forceGc.js";
import { AggregationTemporality, inMemoryMeter } from "../support/inMemoryTelemetry.js";
import { startInMemoryNodeSdk } from "../support/inMemoryNodeSdk.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-instr-"));
afterEach(restorePath);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Timers that keep the event loop alive (unref'd ones are not listed). */
const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

describe("VoxtraceInstrumentation in a NodeSDK", () => {
  it("reports CPU, memory, heap and GC series through the SDK's meter provider", async () => {
    emptyPath();
    const timersBefore = refTimers();
    const instrumentation = new VoxtraceInstrumentation({ intervalMs: 50 });
    const { result: seen, printed } = await captureOutput(async () => {
      const sdk = startInMemoryNodeSdk({ instrumentations: [instrumentation] });
      await sleep(150);
      await forceGc();
      const collected = await sdk.collect();
      await sdk.shutdown();
      return collected;
    });
    const names = seen.names();
    for (const name of [
      "process.cpu.utilization",
      "system.cpu.utilization",
      "process.memory.usage",
      "voxtrace.memory.native",
      "voxtrace.memory.external",
      "v8js.memory.heap.used",
      "voxtrace.memory.heap.after_gc",
      "v8js.gc.duration",
      "nodejs.eventloop.delay.p99",
    ])
      expect(names, name).toContain(name);
    expect(names.filter((n) => n.includes("gpu"))).toEqual([]);
    expect(instrumentation.gpuAvailable).toBe(false);
    expect(printed).toEqual([]);
    // sdk.shutdown() leaves instrumentations enabled; their timers must not hold the process.
    expect(refTimers()).toBeLessThanOrEqual(timersBefore);
    instrumentation.disable();
  });

  it("reports through the provider it is given, stops when disabled, starts again when enabled", async () => {
    // Delta: a series nobody observes any more is absent from the next collection.
    const { collect, shutdown, provider } = inMemoryMeter(AggregationTemporality.DELTA);
    const instrumentation = new VoxtraceInstrumentation({ enabled: false, samplers: ["memory"] });
    instrumentation.setMeterProvider(provider);
    const beforeEnable = await collect();
    instrumentation.enable();
    instrumentation.enable();
    const enabled = await collect();
    instrumentation.disable();
    instrumentation.disable();
    const disabled = await collect();
    instrumentation.enable();
    const reenabled = await collect();
    instrumentation.disable();
    await shutdown();
    expect(beforeEnable.names()).toEqual([]);
    expect(enabled.points("process.memory.usage")).toHaveLength(1);
    expect(disabled.names()).toEqual([]);
    expect(reenabled.points("process.memory.usage")).toHaveLength(1);
  });

  it("reports GPU series from the nvidia-smi named in its config", async () => {
    // Named in the config, not found on PATH.
    const dir = installFakeCommands(tmp, {
      "my-nvidia-smi": fakeNvidiaSmi(
        ["0, NVIDIA Fake L4, GPU-cccc, 2048, 23034, 12"],
        `echo "${process.pid}, GPU-cccc, 1024"`,
      ),
    });
    const fake = path.join(dir, "my-nvidia-smi");
    emptyPath();
    const { collect, shutdown, provider } = inMemoryMeter();
    const instrumentation = new VoxtraceInstrumentation({
      enabled: false,
      samplers: ["gpu"],
      nvidiaSmiPath: fake,
    });
    instrumentation.setMeterProvider(provider);
    instrumentation.enable();
    for (let i = 0; i < 100 && !instrumentation.gpuAvailable; i++) await sleep(20);
    const seen = await collect();
    instrumentation.disable();
    await shutdown();
    expect(seen.points("hw.gpu.memory.usage")).toEqual([
      { value: 2048 * 1024 * 1024, attributes: { "hw.id": "0", "hw.name": "NVIDIA Fake L4" } },
    ]);
    expect(seen.value("process.gpu.memory.usage")).toBe(1024 * 1024 * 1024);
  });

  it("names itself and keeps the defaults a config leaves out", () => {
    const instrumentation = new VoxtraceInstrumentation({ enabled: false, intervalMs: 250 });
    expect(instrumentation.instrumentationName).toBe("voxtrace");
    expect(instrumentation.getConfig()).toEqual({
      ...DEFAULT_INSTRUMENTATION_CONFIG,
      enabled: false,
      intervalMs: 250,
    });
    expect(DEFAULT_INSTRUMENTATION_CONFIG.samplers).toEqual([
      "cpu",
      "memory",
      "heap",
      "gc",
      "eventLoop",
      "gpu",
    ]);
  });
});
