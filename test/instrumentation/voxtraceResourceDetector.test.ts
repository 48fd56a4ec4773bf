import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { detectResources } from "@opentelemetry/resources";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  createVoxtraceResourceDetector,
  voxtraceResourceDetector,
} from "../../src/instrumentation/voxtraceResourceDetector.js";
import { captureOutput } from "../support/captureOutput.js";
import { fakeNvidiaSmi, installFakeCommands, restorePath } from "../support/fakeCommands.js";
import { startInMemoryNodeSdk } from "../support/inMemoryNodeSdk.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "voxtrace-detector-"));
afterEach(restorePath);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const fakeCommands = (commands: Record<string, string>) => installFakeCommands(tmp, commands);

/** The fake GpuSampler.test.ts uses: answers voxtrace's own nvidia-smi queries only. */
const VOXTRACE_ONLY_NVIDIA_SMI = fakeNvidiaSmi(["0, NVIDIA Fake A100, GPU-aaaa, 5120, 40960, 37"]);

/** Answers the 16-column query systeminformation makes, for one GPU on bus 01:00.0. */
const SYSTEMINFORMATION_NVIDIA_SMI = `case "$*" in
  *driver_version*) echo "550.54.15, 0x151f10de, NVIDIA A10, 00000000:01:00.0, 0, 23028, 1, 23027, 0, 0, 30, [N/A], 20.50, 150.00, 210, 405" ;;
  *) exit 9 ;;
esac`;

const LSPCI = `cat <<'OUT'
01:00.0 3D controller: NVIDIA Corporation GA102GL [A10] (rev a1)
	Subsystem: NVIDIA Corporation Device 151f
	Kernel driver in use: nvidia

OUT`;

async function detect(detector = voxtraceResourceDetector) {
  const resource = detectResources({ detectors: [detector] });
  await resource.waitForAsyncAttributes?.();
  return resource.attributes;
}

const gpuKeys = (attributes: Record<string, unknown>) =>
  Object.keys(attributes).filter((k) => k.startsWith("voxtrace.host.gpu"));

describe("voxtraceResourceDetector", () => {
  it("puts the CPU model, cores and memory on a NodeSDK's resource", async () => {
    const sdk = startInMemoryNodeSdk({ resourceDetectors: [voxtraceResourceDetector] });
    const { resource } = await sdk.collect();
    await resource!.waitForAsyncAttributes?.();
    await sdk.shutdown();
    const attributes = resource!.attributes;
    const model = attributes["host.cpu.model.name"] as string;
    expect(model.length).toBeGreaterThan(0);
    // systeminformation splits /proc/cpuinfo's model name into maker and brand.
    expect(os.cpus()[0]!.model).toContain(model.split(" ").at(-1)!);
    expect(attributes["voxtrace.host.cpu.logical_cores"]).toBe(os.cpus().length);
    expect(attributes["voxtrace.host.memory.total"]).toBe(os.totalmem());
    expect(attributes["host.arch"]).toBe(os.arch() === "x64" ? "amd64" : os.arch());
  });

  it("adds no GPU attributes from an nvidia-smi alone: on Linux systeminformation asks it only about GPUs lspci listed", async () => {
    fakeCommands({ "nvidia-smi": VOXTRACE_ONLY_NVIDIA_SMI, lspci: "exit 1" });
    const attributes = await detect();
    expect(gpuKeys(attributes)).toEqual([]);
    expect(attributes["host.cpu.model.name"]).toBeDefined();
  });

  it("names each GPU lspci lists, with the driver and memory nvidia-smi reports", async () => {
    fakeCommands({ "nvidia-smi": SYSTEMINFORMATION_NVIDIA_SMI, lspci: LSPCI });
    const attributes = await detect(createVoxtraceResourceDetector({ timeoutMs: 30_000 }));
    expect(attributes["voxtrace.host.gpu.count"]).toBe(1);
    // nvidia-smi's name wins over lspci's chip name (GA102GL [A10]).
    expect(attributes["voxtrace.host.gpu.models"]).toEqual(["NVIDIA A10"]);
    expect(attributes["voxtrace.host.gpu.driver_version"]).toBe("550.54.15");
    expect(attributes["voxtrace.host.gpu.memory.sizes"]).toEqual([23028 * 1024 * 1024]);
  });

  it("gives up on a GPU query that hangs, keeps the CPU facts and prints nothing", async () => {
    fakeCommands({ lspci: "sleep 30" });
    const started = performance.now();
    const { result: attributes, printed } = await captureOutput(() =>
      detect(createVoxtraceResourceDetector({ timeoutMs: 5000 })),
    );
    const elapsed = performance.now() - started;
    expect(printed).toEqual([]);
    // The fake lspci sleeps 30 s; the detector gives up at 5.
    expect(elapsed).toBeLessThan(8000);
    expect(gpuKeys(attributes)).toEqual([]);
    expect(attributes["host.cpu.model.name"]).toBeDefined();
  });
});
