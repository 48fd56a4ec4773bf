import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GpuSampler } from "../../src/instrumentation/samplers/GpuSampler.js";
import {
  emptyPath,
  fakeNvidiaSmi,
  installFakeCommands,
  restorePath,
} from "../support/fakeCommands.js";
import { inMemoryMeter } from "../support/inMemoryTelemetry.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-gpu-"));
afterEach(restorePath);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Starts the sampler, collects once, stops it (twice: stop is idempotent). */
async function collect(sampler: GpuSampler) {
  const { meter, collect, shutdown } = inMemoryMeter();
  await sampler.start(meter);
  const seen = await collect();
  sampler.stop();
  sampler.stop();
  await shutdown();
  return (name: string) => seen.points(name);
}

const MIB = 1024 * 1024;

describe("GpuSampler", () => {
  it("reports the values nvidia-smi prints, in bytes and fractions, per device", async () => {
    installFakeCommands(tmp, {
      "nvidia-smi": fakeNvidiaSmi(
        [
          "0, NVIDIA Fake A100, GPU-aaaa, 5120, 40960, 37",
          "1, NVIDIA Fake T4, GPU-bbbb, 100, 15360, 0",
        ],
        `echo "${process.pid}, GPU-aaaa, 4608"; echo "99999, GPU-aaaa, 256"`,
      ),
    });
    const series = await collect(new GpuSampler({ info: () => {} }));
    const a100 = { "hw.id": "0", "hw.name": "NVIDIA Fake A100" };
    const t4 = { "hw.id": "1", "hw.name": "NVIDIA Fake T4" };
    expect(series("hw.gpu.memory.usage")).toEqual([
      { value: 5120 * MIB, attributes: a100 },
      { value: 100 * MIB, attributes: t4 },
    ]);
    expect(series("hw.gpu.memory.limit")).toEqual([
      { value: 40960 * MIB, attributes: a100 },
      { value: 15360 * MIB, attributes: t4 },
    ]);
    expect(series("hw.gpu.utilization")).toEqual([
      { value: 0.37, attributes: a100 },
      { value: 0, attributes: t4 },
    ]);
    // Our process holds nothing on the T4: nvidia-smi listed its apps, so that zero is real.
    expect(series("process.gpu.memory.usage")).toEqual([
      { value: 4608 * MIB, attributes: { "hw.id": "0" } },
      { value: 0, attributes: { "hw.id": "1" } },
    ]);
  });

  it("leaves out what nvidia-smi cannot tell rather than reporting zero", async () => {
    installFakeCommands(tmp, {
      "nvidia-smi": fakeNvidiaSmi(["0, NVIDIA Fake GPU, GPU-aaaa, 5120, 40960, [N/A]"], "exit 3"),
    });
    const series = await collect(new GpuSampler({ info: () => {} }));
    expect(series("hw.gpu.memory.usage")).toHaveLength(1);
    expect(series("hw.gpu.utilization")).toBeUndefined();
    expect(series("process.gpu.memory.usage")).toBeUndefined();
  });

  it("without nvidia-smi leaves the GPU series absent and says so once", async () => {
    emptyPath();
    const lines: string[] = [];
    const sampler = new GpuSampler({ info: (line) => lines.push(line) });
    const series = await collect(sampler);
    for (const name of [
      "hw.gpu.memory.usage",
      "hw.gpu.memory.limit",
      "hw.gpu.utilization",
      "process.gpu.memory.usage",
    ])
      expect(series(name)).toBeUndefined();
    expect(sampler.available).toBe(false);
    expect(lines).toEqual([
      "voxtrace: no GPU metrics (nvidia-smi not on PATH); GPU series will be absent",
    ]);
  });

  it("treats an nvidia-smi that fails as no GPU", async () => {
    installFakeCommands(tmp, { "nvidia-smi": "echo 'NVIDIA-SMI has failed' >&2\nexit 9" });
    const lines: string[] = [];
    const series = await collect(new GpuSampler({ info: (line) => lines.push(line) }));
    expect(series("hw.gpu.memory.usage")).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^voxtrace: no GPU metrics \(.*\); GPU series will be absent$/);
  });
});
