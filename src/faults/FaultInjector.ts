// Fire drills: real faults injected into a running pipeline so operators can check their
// alerting end to end. `leak` retains memory at a steady rate, `cpu` burns a share of
// the machine's cores in worker threads, `stt-delay` holds every final decode back.

import os from "node:os";
import { Worker } from "node:worker_threads";
import { VoxtraceError } from "../errors.js";
import type { RecognitionStream, RecognizerModel } from "../pipeline/Recognizer.js";

export interface FaultConfig {
  /** Memory retained per second, in MB (1e6 bytes). */
  leakMBps?: number;
  /** Fraction of all cores to keep busy (0..1), as process.cpu.utilization counts it. */
  cpuFraction?: number;
  /** Milliseconds added to every final decode. */
  sttDelayMs?: number;
}

/** Parses `--fault leak=MBps|cpu=FRACTION|stt-delay=MS` values (repeatable). */
export function parseFaults(values: readonly string[]): FaultConfig {
  const config: FaultConfig = {};
  for (const value of values) {
    const [kind, raw = ""] = value.split("=", 2);
    const number = Number(raw);
    const bad = (what: string): VoxtraceError =>
      new VoxtraceError(
        "usage",
        `--fault ${value}: ${what} (e.g. leak=1, cpu=0.7, stt-delay=2500)`,
      );
    if (raw.trim() === "" || !Number.isFinite(number) || number < 0)
      throw bad("expected KIND=NUMBER");
    if (kind === "leak") config.leakMBps = number;
    else if (kind === "cpu") {
      if (number > 1) throw bad("cpu takes a fraction of all cores from 0 to 1");
      config.cpuFraction = number;
    } else if (kind === "stt-delay") config.sttDelayMs = number;
    else throw bad(`unknown fault '${kind ?? ""}'; known: leak, cpu, stt-delay`);
  }
  return config;
}

// A worker that is busy for `duty` of every 100 ms slice.
const BURNER = `
const { workerData } = require("node:worker_threads");
const slice = 100, busy = slice * workerData.duty;
(function burn() {
  const start = Date.now();
  while (Date.now() - start < busy) {}
  setTimeout(burn, slice - busy);
})();
`;

export class FaultInjector {
  readonly #config: FaultConfig;
  readonly #retained: Buffer[] = [];
  readonly #workers: Worker[] = [];
  #timer: NodeJS.Timeout | undefined;
  #started = false;

  constructor(config: FaultConfig) {
    this.#config = config;
  }

  get active(): boolean {
    return Object.values(this.#config).some((v) => typeof v === "number" && v > 0);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    const leak = this.#config.leakMBps ?? 0;
    if (leak > 0) {
      // Filled buffers, so the memory is resident (RSS), not just reserved.
      const perTick = Math.round((leak * 1e6) / 10);
      this.#timer = setInterval(() => this.#retained.push(Buffer.alloc(perTick, 1)), 100);
      this.#timer.unref();
    }
    const cpu = this.#config.cpuFraction ?? 0;
    if (cpu > 0) {
      // Spread the load over workers, each at most one core.
      const coresBusy = cpu * os.availableParallelism();
      const workers = Math.ceil(coresBusy);
      for (let i = 0; i < workers; i++) {
        const duty = Math.min(1, coresBusy - i);
        const worker = new Worker(BURNER, { eval: true, workerData: { duty } });
        worker.unref();
        this.#workers.push(worker);
      }
    }
  }

  /** Wraps a model so each final decode is delayed, when an stt-delay fault is set. */
  wrapModel(model: RecognizerModel): RecognizerModel {
    const delay = this.#config.sttDelayMs ?? 0;
    if (delay <= 0) return model;
    return {
      createStream(options) {
        const stream = model.createStream(options);
        const delayed: RecognitionStream = {
          accept: (samples) => stream.accept(samples),
          partialText: () => stream.partialText(),
          get chunksRun() {
            return stream.chunksRun;
          },
          async finish() {
            await new Promise((resolve) => setTimeout(resolve, delay));
            return stream.finish();
          },
        };
        return delayed;
      },
    };
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#retained.length = 0;
    const workers = this.#workers.splice(0);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  describe(): string {
    const parts: string[] = [];
    if (this.#config.leakMBps) parts.push(`leaking ${this.#config.leakMBps} MB/s`);
    if (this.#config.cpuFraction) parts.push(`burning ${this.#config.cpuFraction} of all cores`);
    if (this.#config.sttDelayMs) parts.push(`delaying STT by ${this.#config.sttDelayMs} ms`);
    return parts.join(", ");
  }
}
