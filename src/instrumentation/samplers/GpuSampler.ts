// GPU memory and utilisation from `nvidia-smi`, refreshed in the background on an
// unref'd timer; the gauges report the last reading. Without nvidia-smi (or when it
// fails at start) the GPU series are absent — never zeros — and one line says so.
// (systeminformation is no fallback here: on Linux it reads NVIDIA GPUs via nvidia-smi too.)

import type { Attributes, Meter, ObservableResult } from "@opentelemetry/api";
import {
  ATTR_HW_ID,
  ATTR_HW_NAME,
  METRIC_GPU_MEMORY_LIMIT,
  METRIC_GPU_MEMORY_USAGE,
  METRIC_GPU_UTILIZATION,
  METRIC_PROCESS_GPU_MEMORY_USAGE,
} from "../../semconv.js";
import { attachGauge } from "./attachGauge.js";
import { queryNvidiaSmi, type GpuDevice } from "./queryNvidiaSmi.js";
import { every, type ResourceSampler } from "./ResourceSampler.js";

export interface GpuSamplerConfig {
  /** How often nvidia-smi runs. Default 5000 ms: each run costs tens of ms of CPU. */
  intervalMs?: number;
  /** Whose GPU memory process.gpu.memory.usage reports. Default this process. */
  pid?: number;
  /** The nvidia-smi to run: a name looked up on PATH or a path. Default "nvidia-smi". */
  nvidiaSmiPath?: string;
  /** Where the one-time "no GPU metrics" line goes. Default stderr. */
  info?: (line: string) => void;
}

interface DeviceSeries {
  device: GpuDevice;
  attributes: Attributes; // hw.id, hw.name
  processAttributes: Attributes; // hw.id
}

export class GpuSampler implements ResourceSampler {
  readonly #intervalMs: number;
  readonly #pid: number;
  readonly #command: string;
  readonly #info: (line: string) => void;
  #series: DeviceSeries[] = [];
  #abort = new AbortController();
  #inFlight = false;
  #stop: (() => void) | undefined;
  #available = false;

  constructor(config: GpuSamplerConfig = {}) {
    this.#intervalMs = config.intervalMs ?? 5000;
    this.#pid = config.pid ?? process.pid;
    this.#command = config.nvidiaSmiPath ?? "nvidia-smi";
    this.#info = config.info ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /** Whether nvidia-smi answered at start; the GPU series exist only then. */
  get available(): boolean {
    return this.#available;
  }

  async start(meter: Meter): Promise<void> {
    if (this.#stop || this.#available) return;
    const signal = this.#abort.signal;
    try {
      await this.#refresh();
    } catch (error) {
      if (!signal.aborted)
        this.#info(
          `voxtrace: no GPU metrics (${describe(error, this.#command)}); GPU series will be absent`,
        );
      return;
    }
    // stop() during the first query: nothing to create.
    if (signal.aborted) return;
    this.#available = true;
    const detach = [
      attachGauge(
        meter,
        { name: METRIC_GPU_MEMORY_USAGE, unit: "By", description: "GPU memory in use" },
        (r) => this.#observe(r, (d) => d.usedBytes),
      ),
      attachGauge(
        meter,
        { name: METRIC_GPU_MEMORY_LIMIT, unit: "By", description: "GPU memory size" },
        (r) => this.#observe(r, (d) => d.totalBytes),
      ),
      attachGauge(
        meter,
        { name: METRIC_GPU_UTILIZATION, unit: "1", description: "GPU busy fraction" },
        (r) => this.#observe(r, (d) => d.utilization),
      ),
      attachGauge(
        meter,
        {
          name: METRIC_PROCESS_GPU_MEMORY_USAGE,
          unit: "By",
          description: "GPU memory used by this process",
        },
        (r) => {
          for (const s of this.#series) {
            if (s.device.processBytes !== undefined)
              r.observe(s.device.processBytes, s.processAttributes);
          }
        },
      ),
    ];
    const stopTimer = every(this.#intervalMs, () => {
      // A failed refresh keeps the last reading; the next one may succeed.
      this.#refresh().catch(() => undefined);
    });
    this.#stop = () => {
      stopTimer();
      detach.forEach((d) => d());
    };
  }

  stop(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.#abort.abort();
    this.#abort = new AbortController();
  }

  #observe(result: ObservableResult, value: (d: GpuDevice) => number | undefined): void {
    for (const s of this.#series) {
      const v = value(s.device);
      if (v !== undefined) result.observe(v, s.attributes);
    }
  }

  async #refresh(): Promise<void> {
    // A slow nvidia-smi must not pile up runs behind it.
    if (this.#inFlight) return;
    this.#inFlight = true;
    try {
      const devices = await queryNvidiaSmi(this.#pid, this.#abort.signal, this.#command);
      this.#series = devices.map((device) => ({
        device,
        attributes: { [ATTR_HW_ID]: device.id, [ATTR_HW_NAME]: device.name },
        processAttributes: { [ATTR_HW_ID]: device.id },
      }));
    } finally {
      this.#inFlight = false;
    }
  }
}

function describe(error: unknown, command: string): string {
  const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT"
    ? command.includes("/")
      ? `${command} not found`
      : `${command} not on PATH`
    : ((error as Error).message.split("\n")[0] ?? String(error));
}
