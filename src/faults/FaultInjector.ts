// Fire drills: real faults injected into a running pipeline so operators can check their
// alerting end to end. `leak` retains memory at a steady rate, `cpu` burns a share of
// the machine's cores in worker threads, `stt-delay` holds every final decode back.

import os from "node:os";
import { Worker } from "node:worker_threads";
import { VoxtraceError } from "../errors.js";
import { abortableSleep } from "../pipeline/abortableSleep.js";
import { escapeTerminal } from "../text/escapeTerminal.js";
import type { RecognitionStream, RecognizerModel } from "../pipeline/Recognizer.js";

export interface FaultConfig {
  /** Memory retained per second, in MB (1e6 bytes). */
  leakMBps?: number;
  /** Fraction of all cores to keep busy (0..1), as process.cpu.utilization counts it. */
  cpuFraction?: number;
  /** Milliseconds added to every final decode. */
  sttDelayMs?: number;
}

/**
 * What a drill may ask for. A drill must show an alert, not take the machine down or
 * outlive a stop: 100 MB/s fills 1 GB in 10 s, and a minute's delay fires latency_p95
 * as surely as an hour's.
 */
export const FAULT_BOUNDS = {
  leak: { max: 100, unit: "MB/s" },
  cpu: { max: 1, unit: "of all cores" },
  "stt-delay": { max: 60_000, unit: "ms" },
} as const;
type FaultKind = keyof typeof FAULT_BOUNDS;

/** The `--fault` help text, bounds included, so help and parser never disagree. */
export const FAULT_HELP = `fire drill (repeatable): leak=MBps (0-${FAULT_BOUNDS.leak.max}), cpu=FRACTION (0-${FAULT_BOUNDS.cpu.max}) or stt-delay=MS (0-${FAULT_BOUNDS["stt-delay"].max})`;

/** Plain decimal numbers only: Number() would also take hex, "Infinity" and blanks. */
const DECIMAL = /^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** Parses `--fault leak=MBps|cpu=FRACTION|stt-delay=MS` values (repeatable). */
export function parseFaults(values: readonly string[]): FaultConfig {
  const config: FaultConfig = {};
  for (const value of values) {
    const at = value.indexOf("=");
    const kind = at < 0 ? value : value.slice(0, at);
    const raw = at < 0 ? "" : value.slice(at + 1);
    const bad = (what: string): VoxtraceError =>
      new VoxtraceError(
        "usage",
        `--fault ${shown(value)}: ${what} (e.g. leak=1, cpu=0.7, stt-delay=2500)`,
      );
    if (!Object.hasOwn(FAULT_BOUNDS, kind))
      throw bad(`unknown fault '${shown(kind)}'; known: ${Object.keys(FAULT_BOUNDS).join(", ")}`);
    const bounds = FAULT_BOUNDS[kind as FaultKind];
    const number = DECIMAL.test(raw) ? Number(raw) : NaN;
    if (!Number.isFinite(number) || number > bounds.max)
      throw bad(`${kind} takes a number from 0 to ${bounds.max} ${bounds.unit}`);
    if (kind === "leak") config.leakMBps = number;
    else if (kind === "cpu") config.cpuFraction = number;
    else config.sttDelayMs = number;
  }
  return config;
}

/** A flag value echoed in one line: controls escaped, cut short. */
function shown(text: string): string {
  const escaped = escapeTerminal(text).replace(/\n/g, "\\n").replace(/\t/g, "\\t");
  return escaped.length > 60 ? `${escaped.slice(0, 60)}…` : escaped;
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
  readonly #stopped = new AbortController();

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

  /**
   * Wraps a model so each final decode is delayed, when an stt-delay fault is set. The
   * delay ends early when `signal` aborts (a stop or SIGTERM) or the injector stops, so
   * a drill never holds a shutdown back.
   */
  wrapModel(model: RecognizerModel, signal?: AbortSignal): RecognizerModel {
    const delay = this.#config.sttDelayMs ?? 0;
    if (delay <= 0) return model;
    const stopped = this.#stopped.signal;
    const cut = signal ? AbortSignal.any([signal, stopped]) : stopped;
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
            await abortableSleep(delay, cut);
            return stream.finish();
          },
        };
        return delayed;
      },
    };
  }

  async stop(): Promise<void> {
    this.#stopped.abort();
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
