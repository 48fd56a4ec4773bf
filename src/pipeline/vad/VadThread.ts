// Silero VAD and the segmenter on a worker thread. The pipeline hands it each captured
// chunk without waiting and reads the segment events back in order, so on two cores the
// VAD of the next chunks runs while this thread runs the encoder (docs/pipeline.md).

import { Worker } from "node:worker_threads";
import { VoxtraceError, type VoxtraceErrorCode } from "../../errors.js";
import { compiledThreadScript, threadExecArgv } from "../../workerThreads.js";
import type { PipelinedSegmenter, SegmentBatch, SegmentEvent } from "../Recognizer.js";
import { vadSettings, type VadConfig } from "./VadSegmenter.js";

/** What this thread asks of the VAD thread. */
export type VadRequest =
  | { kind: "begin"; config: VadConfig }
  | { kind: "push"; samples: Float32Array }
  | { kind: "flush" }
  | { kind: "close" };

/** What the VAD thread answers, one answer per push or flush, in order. */
export type VadAnswer =
  | { kind: "ready" }
  /** `startedAt` is milliseconds since the epoch (the threads' clocks start apart). */
  | { kind: "segments"; events: SegmentEvent[]; startedAt: number; seconds: number }
  | { kind: "failed"; code: VoxtraceErrorCode; message: string };

const threadScript = compiledThreadScript("./vadThreadMain.js", import.meta.url);

/** How long release() waits for the thread to end on its own before stopping it. */
const CLOSE_WAIT_MS = 2000;

interface Waiting {
  resolve(answer: VadAnswer & { kind: "segments" }): void;
  reject(error: Error): void;
}

export class VadThread {
  readonly #worker: Worker;
  readonly #waiting: Waiting[] = [];
  readonly #exited: Promise<void>;
  #failure: Error | undefined;
  #generation = 0;

  private constructor(worker: Worker) {
    this.#worker = worker;
    this.#exited = new Promise((resolve) => worker.once("exit", () => resolve()));
    worker.on("message", (answer: VadAnswer) => this.#answer(answer));
    worker.on("error", (error) => this.#fail(error));
    worker.on("exit", (code) =>
      this.#fail(new VoxtraceError("internal", `the VAD thread stopped (exit ${code})`)),
    );
    worker.unref();
  }

  /** Whether a VAD thread can start here (it runs from the build, not from source). */
  static available(): boolean {
    return threadScript !== undefined;
  }

  /** Starts the thread and loads the model there; fails as SileroVad.load would. */
  static async start(options: { modelPath?: string; threads?: number } = {}): Promise<VadThread> {
    if (!threadScript)
      throw new VoxtraceError("internal", "the VAD thread runs only from the built package");
    const worker = new Worker(threadScript, {
      workerData: { modelPath: options.modelPath, threads: options.threads ?? 1 },
      execArgv: threadExecArgv(),
    });
    // Only the listeners added here come off again: removeAllListeners() would also take
    // away the one through which the Worker delivers its messages.
    let onExit: ((code: number) => void) | undefined;
    let onError: ((error: Error) => void) | undefined;
    let onMessage: ((answer: VadAnswer) => void) | undefined;
    const first = await new Promise<VadAnswer>((resolve, reject) => {
      onMessage = resolve;
      onError = reject;
      onExit = (code) =>
        reject(
          new VoxtraceError("internal", `the VAD thread stopped while loading (exit ${code})`),
        );
      worker.once("message", onMessage).once("error", onError).once("exit", onExit);
    })
      .catch(async (error: unknown) => {
        await worker.terminate();
        throw error;
      })
      .finally(() => {
        worker.off("message", onMessage!).off("error", onError!).off("exit", onExit!);
      });
    if (first.kind === "failed") {
      await worker.terminate();
      throw new VoxtraceError(first.code, first.message);
    }
    return new VadThread(worker);
  }

  /** A fresh segmenter on the thread for one run; any earlier one stops working. */
  segmenter(overrides: Partial<VadConfig> = {}): PipelinedSegmenter {
    const config = vadSettings(overrides);
    const generation = ++this.#generation;
    this.#post({ kind: "begin", config });
    const current = (): void => {
      if (generation !== this.#generation)
        throw new VoxtraceError("internal", "a VAD segmenter used after a newer one began");
    };
    return {
      pipelined: true,
      push: async (samples: Float32Array): Promise<SegmentBatch> => {
        current();
        const answer = await this.#ask({ kind: "push", samples });
        return {
          events: answer.events,
          startedAt: answer.startedAt - performance.timeOrigin,
          seconds: answer.seconds,
        };
      },
      flush: async (): Promise<readonly SegmentEvent[]> => {
        current();
        return (await this.#ask({ kind: "flush" })).events;
      },
    };
  }

  /** Ends the thread (the model is released there); safe to call more than once. */
  async release(): Promise<void> {
    if (!this.#failure) {
      this.#post({ kind: "close" });
      this.#fail(new VoxtraceError("internal", "the VAD thread was released"));
    }
    const timer = setTimeout(() => void this.#worker.terminate(), CLOSE_WAIT_MS);
    await this.#exited;
    clearTimeout(timer);
  }

  #ask(request: VadRequest): Promise<VadAnswer & { kind: "segments" }> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      // Waiting on an answer keeps the process alive; an idle thread does not.
      if (this.#waiting.length === 1) this.#worker.ref();
      this.#post(request);
    });
  }

  #post(request: VadRequest): void {
    if (!this.#failure) this.#worker.postMessage(request);
  }

  #answer(answer: VadAnswer): void {
    if (answer.kind === "ready") return;
    const waiting = this.#waiting.shift();
    if (this.#waiting.length === 0) this.#worker.unref();
    if (!waiting) return;
    if (answer.kind === "segments") waiting.resolve(answer);
    else {
      const error = new VoxtraceError(answer.code, answer.message);
      waiting.reject(error);
      this.#fail(error);
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiting of this.#waiting.splice(0)) waiting.reject(this.#failure);
    this.#worker.unref();
  }
}
