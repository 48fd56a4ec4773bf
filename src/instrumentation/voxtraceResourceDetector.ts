// An OpenTelemetry ResourceDetector for the host and GPU a transcriber runs on: CPU
// model, cores, memory, GPU models, driver and GPU memory, from systeminformation.
// The attributes are promises the SDK awaits before its first export; what the system
// does not show is left out, nothing is printed, and the read gives up after a timeout.

import os from "node:os";
import type { AttributeValue } from "@opentelemetry/api";
import type { DetectedResource, ResourceDetector } from "@opentelemetry/resources";
import {
  ATTR_HOST_ARCH,
  ATTR_HOST_CPU_FAMILY,
  ATTR_HOST_CPU_LOGICAL_CORES,
  ATTR_HOST_CPU_MODEL_ID,
  ATTR_HOST_CPU_MODEL_NAME,
  ATTR_HOST_CPU_PHYSICAL_CORES,
  ATTR_HOST_CPU_VENDOR_ID,
  ATTR_HOST_GPU_COUNT,
  ATTR_HOST_GPU_DRIVER_VERSION,
  ATTR_HOST_GPU_MEMORY_SIZES,
  ATTR_HOST_GPU_MODELS,
  ATTR_HOST_MEMORY_TOTAL,
} from "../semconv.js";
import { readHostInventory, type HostInventory } from "./readHostInventory.js";

const MIB = 1024 * 1024;

export interface VoxtraceResourceDetectorConfig {
  /**
   * How long the inventory may take before what is missing is given up. Default 5000 ms:
   * starting the worker and loading systeminformation alone can take a second on a busy
   * machine. Exporters wait for these attributes before their first export.
   */
  timeoutMs?: number;
}

export const DEFAULT_RESOURCE_DETECTOR_CONFIG: Readonly<Required<VoxtraceResourceDetectorConfig>> =
  { timeoutMs: 5000 };

/** Node's os.arch() in the host.arch values the semantic conventions list. */
const HOST_ARCH: Partial<Record<string, string>> = {
  x64: "amd64",
  arm64: "arm64",
  ia32: "x86",
  arm: "arm32",
  ppc64: "ppc64",
  s390x: "s390x",
};

type Facts = Record<string, AttributeValue | undefined>;

export function createVoxtraceResourceDetector(
  config: VoxtraceResourceDetectorConfig = {},
): ResourceDetector {
  const timeoutMs = config.timeoutMs ?? DEFAULT_RESOURCE_DETECTOR_CONFIG.timeoutMs;
  return {
    detect(): DetectedResource {
      const facts = readHostInventory(timeoutMs).then(toFacts);
      const attribute = (key: string) => facts.then((f) => f[key]);
      return {
        attributes: {
          [ATTR_HOST_ARCH]: HOST_ARCH[os.arch()],
          ...Object.fromEntries(ASYNC_KEYS.map((key) => [key, attribute(key)])),
        },
      };
    },
  };
}

/** A detector with the default configuration, for `resourceDetectors: [...]`. */
export const voxtraceResourceDetector: ResourceDetector = createVoxtraceResourceDetector();

const ASYNC_KEYS = [
  ATTR_HOST_CPU_MODEL_NAME,
  ATTR_HOST_CPU_VENDOR_ID,
  ATTR_HOST_CPU_FAMILY,
  ATTR_HOST_CPU_MODEL_ID,
  ATTR_HOST_CPU_LOGICAL_CORES,
  ATTR_HOST_CPU_PHYSICAL_CORES,
  ATTR_HOST_MEMORY_TOTAL,
  ATTR_HOST_GPU_COUNT,
  ATTR_HOST_GPU_MODELS,
  ATTR_HOST_GPU_MEMORY_SIZES,
  ATTR_HOST_GPU_DRIVER_VERSION,
];

function toFacts({ cpu, memoryTotalBytes, gpus = [] }: HostInventory): Facts {
  const sizes = gpus.map((g) => g.memoryMiB);
  return {
    ...(cpu
      ? {
          [ATTR_HOST_CPU_MODEL_NAME]: text(`${cpu.manufacturer} ${cpu.brand}`),
          [ATTR_HOST_CPU_VENDOR_ID]: text(cpu.vendor),
          [ATTR_HOST_CPU_FAMILY]: text(cpu.family),
          [ATTR_HOST_CPU_MODEL_ID]: text(cpu.model),
          [ATTR_HOST_CPU_LOGICAL_CORES]: positive(cpu.cores),
          [ATTR_HOST_CPU_PHYSICAL_CORES]: positive(cpu.physicalCores),
        }
      : {}),
    [ATTR_HOST_MEMORY_TOTAL]: positive(memoryTotalBytes),
    ...(gpus.length > 0
      ? {
          [ATTR_HOST_GPU_COUNT]: gpus.length,
          [ATTR_HOST_GPU_MODELS]: gpus.map((g) => g.model),
          // Sizes line up with models only when every one is known.
          [ATTR_HOST_GPU_MEMORY_SIZES]: sizes.every(
            (s): s is number => typeof s === "number" && s > 0,
          )
            ? sizes.map((s) => s * MIB)
            : undefined,
          [ATTR_HOST_GPU_DRIVER_VERSION]: gpus.map((g) => g.driverVersion).find((v) => v),
        }
      : {}),
  };
}

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function positive(value: number | undefined): number | undefined {
  return typeof value === "number" && value > 0 ? value : undefined;
}
