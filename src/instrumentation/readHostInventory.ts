// Host and GPU inventory from systeminformation, read in a worker thread that is thrown
// away after `timeoutMs`. A worker, not a promise race: on Linux systeminformation asks
// nvidia-smi with execFileSync and no timeout, so a hung driver would otherwise block
// the caller's event loop for good.

import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export interface HostInventory {
  cpu?: {
    manufacturer: string;
    brand: string;
    vendor: string;
    family: string;
    model: string;
    cores: number;
    physicalCores: number;
  };
  memoryTotalBytes?: number;
  /** Absent when the GPU query did not finish in time. */
  gpus?: {
    model: string;
    driverVersion: string | undefined;
    /** MiB as systeminformation reports it; null or undefined when not visible. */
    memoryMiB: number | null | undefined;
  }[];
}

// Plain CommonJS so the worker runs the same from src (under a test runner) and dist.
// CPU and memory are posted first: a slow GPU query must not cost them.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const si = require(workerData.systeminformation);
Promise.all([si.cpu(), si.mem()])
  .then(([cpu, mem]) =>
    parentPort.postMessage({
      cpu: {
        manufacturer: cpu.manufacturer, brand: cpu.brand, vendor: cpu.vendor,
        family: cpu.family, model: cpu.model, cores: cpu.cores, physicalCores: cpu.physicalCores,
      },
      memoryTotalBytes: mem.total,
    }),
  )
  .catch(() => parentPort.postMessage({}))
  .then(() => si.graphics())
  .then(
    (graphics) =>
      parentPort.postMessage({
        gpus: ((graphics && graphics.controllers) || []).map((c) => ({
          model: c.name || c.model,
          driverVersion: c.driverVersion,
          memoryMiB: c.memoryTotal || c.vram,
        })),
      }),
    () => parentPort.postMessage({ gpus: [] }),
  );
`;

const systeminformation = createRequire(import.meta.url).resolve("systeminformation");

/** By PATH: the tools found on it (lspci, nvidia-smi) are what the inventory sees. */
const reads = new Map<string, Promise<HostInventory>>();

/**
 * What could be read within `timeoutMs`; an empty object when nothing could. The host does
 * not change while a process runs, so it is read once: a caller can start it early (the
 * CLI does, while models load) and every detector after shares the answer.
 */
export function readHostInventory(timeoutMs: number): Promise<HostInventory> {
  const key = process.env.PATH ?? "";
  let read = reads.get(key);
  if (!read) reads.set(key, (read = readOnce(timeoutMs)));
  return read;
}

function readOnce(timeoutMs: number): Promise<HostInventory> {
  return new Promise((resolve) => {
    const inventory: HostInventory = {};
    let worker: Worker;
    try {
      // The worker sees this process's environment as it is now (PATH included).
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { systeminformation },
        // Kept from the terminal: the inventory prints nothing.
        stdout: true,
        stderr: true,
      });
    } catch {
      resolve(inventory);
      return;
    }
    worker.unref();
    const finish = () => {
      clearTimeout(timer);
      resolve(inventory);
      void worker.terminate();
    };
    const timer = setTimeout(finish, timeoutMs);
    timer.unref();
    worker.on("message", (part: HostInventory) => {
      Object.assign(inventory, part);
      if (part.gpus) finish();
    });
    worker.once("error", finish);
    worker.once("exit", finish);
  });
}
