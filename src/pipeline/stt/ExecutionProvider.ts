// Picks where ONNX Runtime runs: CUDA only when its provider libraries are installed
// next to onnxruntime-node's binding and nvidia-smi lists a GPU; otherwise the CPU.

import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { VoxtraceError } from "../../errors.js";

export type ProviderRequest = "auto" | "cpu" | "cuda";

export interface ExecutionProvider {
  name: "cpu" | "cuda";
  reason: string;
}

export interface ProviderProbeOptions {
  /** Where onnxruntime-node's native binding lives; found from the package by default. */
  bindingDir?: string;
  /** Environment for nvidia-smi (its PATH decides which nvidia-smi runs). */
  env?: NodeJS.ProcessEnv;
}

const CUDA_LIBRARY = "libonnxruntime_providers_cuda.so";
const NVIDIA_SMI_TIMEOUT_MS = 5000;

export async function chooseExecutionProvider(
  requested: ProviderRequest,
  options: ProviderProbeOptions = {},
): Promise<ExecutionProvider> {
  if (requested === "cpu") return { name: "cpu", reason: "requested with --provider cpu" };
  const missing = await cudaMissing(options);
  if (missing === undefined) {
    return { name: "cuda", reason: "CUDA binaries installed and a GPU found" };
  }
  if (requested === "cuda") {
    throw new VoxtraceError(
      "unavailable",
      `--provider cuda cannot be used: ${missing}; use --provider auto or cpu, or see docs/gpu.md`,
    );
  }
  return { name: "cpu", reason: missing };
}

/** Why CUDA cannot be used, or undefined when it can. */
async function cudaMissing(options: ProviderProbeOptions): Promise<string | undefined> {
  const bindingDir = options.bindingDir ?? defaultBindingDir();
  if (bindingDir === undefined || !existsSync(join(bindingDir, CUDA_LIBRARY))) {
    return "CUDA binaries not installed (see docs/gpu.md)";
  }
  return gpuMissing(options.env ?? process.env);
}

function gpuMissing(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("nvidia-smi", ["-L"], { env, timeout: NVIDIA_SMI_TIMEOUT_MS }, (error, stdout) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        resolve("no GPU found (nvidia-smi not on PATH)");
      } else if (error) {
        resolve(`no GPU found (nvidia-smi -L failed: ${error.message.split("\n")[0]})`);
      } else if (!/^GPU \d+:/m.test(stdout)) {
        resolve("no GPU found (nvidia-smi -L lists none)");
      } else {
        resolve(undefined);
      }
    });
  });
}

/** bin/napi-v*\/<platform>/<arch> inside the installed onnxruntime-node package. */
function defaultBindingDir(): string | undefined {
  let root: string;
  try {
    const require = createRequire(import.meta.url);
    root = dirname(require.resolve("onnxruntime-node/package.json"));
  } catch {
    return undefined;
  }
  const bin = join(root, "bin");
  const napi = existsSync(bin) ? readdirSync(bin).filter((d) => d.startsWith("napi-v")) : [];
  for (const version of napi.sort().reverse()) {
    const dir = join(bin, version, process.platform, process.arch);
    if (existsSync(dir)) return dir;
  }
  return undefined;
}
