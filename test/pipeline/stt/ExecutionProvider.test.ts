import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VoxtraceError } from "../../../src/errors.js";
import { chooseExecutionProvider } from "../../../src/pipeline/stt/ExecutionProvider.js";

describe("chooseExecutionProvider", () => {
  let root: string;
  let fakeGpuPath: string; // a PATH whose nvidia-smi lists one GPU
  let emptyPath: string; // a PATH without nvidia-smi
  let cudaBinding: string; // a binding dir that has the CUDA provider library

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "voxtrace-ep-"));
    fakeGpuPath = join(root, "gpu-bin");
    emptyPath = join(root, "empty-bin");
    cudaBinding = join(root, "binding");
    for (const dir of [fakeGpuPath, emptyPath, cudaBinding]) {
      await mkdir(dir);
    }
    const smi = join(fakeGpuPath, "nvidia-smi");
    await writeFile(smi, "#!/bin/sh\necho 'GPU 0: NVIDIA Fake (UUID: GPU-0000)'\n");
    await chmod(smi, 0o755);
    await writeFile(join(cudaBinding, "libonnxruntime_providers_cuda.so"), "");
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("picks the CPU here and says the CUDA binaries are not installed", async () => {
    const choice = await chooseExecutionProvider("auto");
    expect(choice.name).toBe("cpu");
    expect(choice.reason).toMatch(/CUDA binaries not installed/);
  });

  it("stays on the CPU with a GPU listed by nvidia-smi but no CUDA binaries", async () => {
    const choice = await chooseExecutionProvider("auto", { env: { PATH: fakeGpuPath } });
    expect(choice).toEqual({
      name: "cpu",
      reason: "CUDA binaries not installed (see docs/gpu.md)",
    });
  });

  it("stays on the CPU with CUDA binaries but no nvidia-smi", async () => {
    const choice = await chooseExecutionProvider("auto", {
      bindingDir: cudaBinding,
      env: { PATH: emptyPath },
    });
    expect(choice).toEqual({ name: "cpu", reason: "no GPU found (nvidia-smi not on PATH)" });
  });

  it("picks CUDA when the binaries are installed and nvidia-smi lists a GPU", async () => {
    const choice = await chooseExecutionProvider("auto", {
      bindingDir: cudaBinding,
      env: { PATH: fakeGpuPath },
    });
    expect(choice.name).toBe("cuda");
  });

  it("honours an explicit CPU request without probing", async () => {
    const choice = await chooseExecutionProvider("cpu", {
      bindingDir: cudaBinding,
      env: { PATH: fakeGpuPath },
    });
    expect(choice.name).toBe("cpu");
  });

  it("fails an explicit CUDA request that cannot be met as unavailable", async () => {
    const failure = await chooseExecutionProvider("cuda", { env: { PATH: fakeGpuPath } }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(VoxtraceError);
    expect((failure as VoxtraceError).code).toBe("unavailable");
    expect((failure as VoxtraceError).message).toMatch(/CUDA binaries not installed/);
  });
});
