// Live audio from a recording command as an AudioSource. The command runs in its own
// process group so stopping it stops everything it started; when it dies or goes
// silent (no bytes at all, which a working recorder never does) it is restarted with
// exponential back-off, and each restart is reported. Aborting the signal releases it.

import { spawn, type ChildProcess } from "node:child_process";
import { VoxtraceError } from "../../errors.js";
import { PIPELINE_SAMPLE_RATE, type AudioSource } from "../audio/AudioSource.js";
import { openPcmSource } from "../audio/openPcmSource.js";
import type { CaptureCommand } from "./CaptureCommand.js";
import { abortableSleep } from "../abortableSleep.js";

export interface CaptureRestart {
  /** 1 for the first restart after a healthy run, counting up while it keeps failing. */
  attempt: number;
  /** Why the command stopped, e.g. "exited with code 1: <its last stderr line>". */
  reason: string;
  /** Wait before the next start. */
  delayMs: number;
}

export interface CaptureSourceOptions {
  signal: AbortSignal;
  onRestart(restart: CaptureRestart): void;
  /** No bytes for this long means the recorder hung: it is killed and restarted. */
  stallMs?: number;
  /** First back-off delay; doubles per failed attempt up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A run that lasted this long counts as healthy and resets the back-off. */
  healthyMs?: number;
}

const KILL_GRACE_MS = 2000;
const MAX_CHUNK_SAMPLES = PIPELINE_SAMPLE_RATE / 10;
const STDERR_TAIL_BYTES = 512;

interface CaptureRun {
  child: ChildProcess;
  /** Resolves with why the command ended, once it has. */
  ended: Promise<{ reason: string; code: number | null }>;
  touch(): void;
  stop(reason?: string): void;
}

export class CaptureSource implements AudioSource {
  readonly description: string;
  readonly durationSeconds = undefined;
  readonly warnings: string[] = [];
  readonly #command: CaptureCommand;
  readonly #options: Required<CaptureSourceOptions>;
  #run: CaptureRun | undefined;
  #closed = false;

  constructor(command: CaptureCommand, options: CaptureSourceOptions) {
    this.#command = command;
    this.description = `capture command "${command.description}"`;
    this.#options = {
      stallMs: 10_000,
      initialBackoffMs: 500,
      maxBackoffMs: 30_000,
      healthyMs: 30_000,
      ...options,
    };
  }

  /** Process id of the running capture command, if one runs now. */
  get pid(): number | undefined {
    return this.#run?.child.exitCode === null ? this.#run.child.pid : undefined;
  }

  async *chunks(): AsyncIterable<Float32Array> {
    const { signal } = this.#options;
    let attempt = 0;
    let heardAudio = false;
    while (!signal.aborted && !this.#closed) {
      const run = this.#start();
      const pcm = await openPcmSource(run.child.stdout!, {
        ...this.#command,
        description: this.description,
      });
      const started = performance.now();
      let samplesRead = 0;
      try {
        for await (const samples of pcm.chunks()) {
          run.touch();
          samplesRead += samples.length;
          // A reader that fell behind gets the whole pipe at once; pieces of at most
          // 100 ms keep the pipeline's queue (counted in chunks) bounded in seconds.
          for (let at = 0; at < samples.length; at += MAX_CHUNK_SAMPLES) {
            yield samples.subarray(at, at + MAX_CHUNK_SAMPLES);
          }
        }
      } finally {
        run.stop();
        await pcm.close();
        this.warnings.push(...pcm.warnings);
      }
      const ended = await run.ended;
      this.#run = undefined;
      if (signal.aborted || this.#closed) break;
      if (!heardAudio && samplesRead === 0 && (ended.code === 126 || ended.code === 127)) {
        throw new VoxtraceError(
          "unavailable",
          `${this.description} could not run (${ended.reason}): check the command, or install the recorder it names`,
        );
      }
      heardAudio ||= samplesRead > 0;
      if (performance.now() - started >= this.#options.healthyMs) attempt = 0;
      attempt += 1;
      const delayMs = Math.min(
        this.#options.initialBackoffMs * 2 ** (attempt - 1),
        this.#options.maxBackoffMs,
      );
      this.#options.onRestart({ attempt, reason: ended.reason, delayMs });
      await abortableSleep(delayMs, signal);
    }
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#run?.stop();
    return Promise.resolve();
  }

  #start(): CaptureRun {
    const child = spawn(this.#command.file, [...this.#command.args], {
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: stopping it also stops whatever a shell command started.
      detached: true,
    });
    let stderrTail = "";
    child.stderr.on("data", (data: Buffer) => {
      stderrTail = (stderrTail + data.toString("utf8")).slice(-STDERR_TAIL_BYTES);
    });
    let stopReason: string | undefined;
    let lastData = performance.now();
    let killTimer: NodeJS.Timeout | undefined;
    const signalGroup = (name: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, name);
      } catch {
        // Already gone.
      }
    };
    const stop = (reason?: string): void => {
      stopReason ??= reason;
      if (child.exitCode !== null || child.signalCode !== null || killTimer) return;
      signalGroup("SIGTERM");
      killTimer = setTimeout(() => signalGroup("SIGKILL"), KILL_GRACE_MS);
      killTimer.unref();
    };
    const watchdog = setInterval(
      () => {
        if (performance.now() - lastData > this.#options.stallMs) {
          stop(`no audio for ${+(this.#options.stallMs / 1000).toFixed(1)} s`);
        }
      },
      Math.max(50, this.#options.stallMs / 4),
    );
    watchdog.unref();
    const onAbort = (): void => stop("recording stopped");
    this.#options.signal.addEventListener("abort", onAbort, { once: true });
    const ended = new Promise<{ reason: string; code: number | null }>((resolve) => {
      const finish = (reason: string, code: number | null): void => {
        clearInterval(watchdog);
        if (killTimer) clearTimeout(killTimer);
        this.#options.signal.removeEventListener("abort", onAbort);
        resolve({ reason: stopReason ?? reason, code });
      };
      child.once("error", (error) => {
        child.stdout?.destroy();
        finish(`could not start: ${error.message}`, 127);
      });
      child.once("close", (code, signal) => {
        const lastLine = stderrTail.trim().split("\n").pop()?.trim();
        const how = signal ? `killed by ${signal}` : `exited with code ${code ?? "?"}`;
        finish(lastLine ? `${how}: ${lastLine}` : how, code);
      });
    });
    const run: CaptureRun = {
      child,
      ended,
      touch: () => (lastData = performance.now()),
      stop,
    };
    this.#run = run;
    return run;
  }
}
