// GPU memory and utilisation from `nvidia-smi`, refreshed in the background on an
// unref'd timer; the gauges report the last reading. Without nvidia-smi (or when it
// fails) the GPU series are simply absent — never zeros — and one line says so.

import { execFile } from "node:child_process";
import type { Meter } from "@opentelemetry/api";
import {
  ATTR_HW_ID,
  ATTR_HW_NAME,
  METRIC_GPU_MEMORY_LIMIT,
  METRIC_GPU_MEMORY_USAGE,
  METRIC_GPU_UTILIZATION,
  METRIC_PROCESS_GPU_MEMORY_USAGE,
} from "../semconv.js";
import type { ResourceSampler } from "./ResourceSampler.js";

const MIB = 1024 * 1024;

interface GpuReading {
  id: string;
  name: string;
  uuid: string;
  usedBytes: number;
  totalBytes: number;
  utilization: number;
}

export interface GpuSamplerConfig {
  intervalMs?: number;
  pid?: number;
  /** Where the one-time "no GPU" line goes. */
  info?: (line: string) => void;
}

export class GpuSampler implements ResourceSampler {
  readonly #intervalMs: number;
  readonly #pid: number;
  readonly #info: (line: string) => void;
  #devices: GpuReading[] = [];
  #processBytes = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #available = false;

  constructor(config: GpuSamplerConfig = {}) {
    this.#intervalMs = config.intervalMs ?? 5000;
    this.#pid = config.pid ?? process.pid;
    this.#info = config.info ?? ((line) => process.stderr.write(`${line}\n`));
  }

  get available(): boolean {
    return this.#available;
  }

  async start(meter: Meter): Promise<void> {
    try {
      await this.#refresh();
      this.#available = true;
    } catch (error) {
      this.#info(`voxtrace: no GPU metrics (${describe(error)}); GPU series will be absent`);
      return;
    }
    const device = (d: GpuReading) => ({ [ATTR_HW_ID]: d.id, [ATTR_HW_NAME]: d.name });
    meter
      .createObservableGauge(METRIC_GPU_MEMORY_USAGE, {
        unit: "By",
        description: "GPU memory in use",
      })
      .addCallback((r) => this.#devices.forEach((d) => r.observe(d.usedBytes, device(d))));
    meter
      .createObservableGauge(METRIC_GPU_MEMORY_LIMIT, {
        unit: "By",
        description: "GPU memory size",
      })
      .addCallback((r) => this.#devices.forEach((d) => r.observe(d.totalBytes, device(d))));
    meter
      .createObservableGauge(METRIC_GPU_UTILIZATION, {
        unit: "1",
        description: "GPU busy fraction",
      })
      .addCallback((r) => this.#devices.forEach((d) => r.observe(d.utilization, device(d))));
    meter
      .createObservableGauge(METRIC_PROCESS_GPU_MEMORY_USAGE, {
        unit: "By",
        description: "GPU memory used by this process",
      })
      .addCallback((r) => {
        for (const d of this.#devices) {
          const bytes = this.#processBytes.get(d.uuid);
          if (bytes !== undefined) r.observe(bytes, { [ATTR_HW_ID]: d.id });
        }
      });
    this.#timer = setInterval(() => {
      // A failed refresh keeps the last reading; the next one may succeed.
      this.#refresh().catch(() => undefined);
    }, this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #refresh(): Promise<void> {
    const gpus = await run([
      "--query-gpu=index,name,uuid,memory.used,memory.total,utilization.gpu",
      "--format=csv,noheader,nounits",
    ]);
    this.#devices = rows(gpus).map(
      ([index = "", name = "", uuid = "", used = "", total = "", util = ""]) => ({
        id: index,
        name,
        uuid,
        usedBytes: Number(used) * MIB,
        totalBytes: Number(total) * MIB,
        utilization: Number(util) / 100,
      }),
    );
    const apps = await run([
      "--query-compute-apps=pid,gpu_uuid,used_memory",
      "--format=csv,noheader,nounits",
    ]).catch(() => "");
    const mine = new Map<string, number>();
    for (const [pid = "", uuid = "", used = ""] of rows(apps)) {
      if (Number(pid) === this.#pid) mine.set(uuid, (mine.get(uuid) ?? 0) + Number(used) * MIB);
    }
    // Known to run on no GPU: report 0 for this process rather than nothing.
    for (const d of this.#devices) if (!mine.has(d.uuid)) mine.set(d.uuid, 0);
    this.#processBytes = mine;
  }
}

function rows(csv: string): string[][] {
  return csv
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => line.split(",").map((cell) => cell.trim()));
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("nvidia-smi", args, { timeout: 5000 }, (error, stdout) =>
      error ? reject(new Error(error.message, { cause: error })) : resolve(stdout),
    );
  });
}

function describe(error: unknown): string {
  const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT"
    ? "nvidia-smi not on PATH"
    : ((error as Error).message.split("\n")[0] ?? String(error));
}
