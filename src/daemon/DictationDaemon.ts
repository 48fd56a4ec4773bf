// The live dictation daemon: records from a capture command while "recording", runs
// each recording through one TranscriberSession (so telemetry and the event log cover
// the whole day), and obeys the control socket. A recording ends on stop or shutdown:
// the capture command is released and the utterance in progress is finished first.

import type { Counter } from "@opentelemetry/api";
import { RULE_NAMES } from "../analysis/RulesConfig.js";
import { METRIC_CAPTURE_RESTARTS } from "../semconv.js";
import type { CaptureCommand } from "../pipeline/capture/CaptureCommand.js";
import { CaptureSource, type CaptureRestart } from "../pipeline/capture/CaptureSource.js";
import type { TranscriberSession } from "../session/TranscriberSession.js";
import type {
  ControlRequest,
  ControlResponse,
  DaemonStatus,
  RecordingState,
} from "./ControlProtocol.js";
import type { DeliveryTally } from "./DeliveryTally.js";

export interface DaemonOptions {
  session: TranscriberSession;
  command: CaptureCommand;
  tally: DeliveryTally;
  startPaused: boolean;
  /** Capture silent this long counts as hung and is restarted. */
  captureStallMs: number;
  stderr?: NodeJS.WritableStream;
}

/** How long `stop` waits for the recording to wind down before answering anyway. */
const STOP_WAIT_MS = 5000;

export class DictationDaemon {
  readonly #session: TranscriberSession;
  readonly #command: CaptureCommand;
  readonly #tally: DeliveryTally;
  readonly #stallMs: number;
  readonly #stderr: NodeJS.WritableStream;
  readonly #restartCounter: Counter;
  readonly #startedAt = performance.now();
  #state: RecordingState;
  #recording: { abort: AbortController; capture: CaptureSource; done: Promise<void> } | undefined;
  #wake: (() => void) | undefined;
  #nextIndex = 0;
  #droppedSeconds = 0;
  #lastRestartReason: string | null = null;

  constructor(options: DaemonOptions) {
    this.#session = options.session;
    this.#command = options.command;
    this.#tally = options.tally;
    this.#stallMs = options.captureStallMs;
    this.#stderr = options.stderr ?? process.stderr;
    this.#state = options.startPaused ? "paused" : "recording";
    this.#restartCounter = options.session.telemetry.meter.createCounter(METRIC_CAPTURE_RESTARTS, {
      description: "Times the live capture command died or hung and was restarted",
      unit: "1",
    });
  }

  get state(): RecordingState {
    return this.#state;
  }

  /** Runs until shutdown; rejects if a recording fails for good (e.g. no such command). */
  async run(): Promise<void> {
    while (this.#state !== "stopping") {
      if (this.#state === "paused") {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        continue;
      }
      await this.#record();
    }
  }

  async handle(request: ControlRequest): Promise<ControlResponse> {
    switch (request.command) {
      case "status":
        return { ok: true, ...this.status() };
      case "start":
        this.start();
        return { ok: true, state: this.#state };
      case "stop":
        await this.stop();
        return { ok: true, state: this.#state };
      case "toggle":
        if (this.#state === "recording") await this.stop();
        else this.start();
        return { ok: true, state: this.#state };
      case "shutdown":
        this.shutdown();
        return { ok: true, state: this.#state };
      default: {
        const unexpected: never = request.command;
        throw new Error(`unknown command ${String(unexpected)}`);
      }
    }
  }

  start(): void {
    if (this.#state !== "paused") return;
    this.#setState("recording");
  }

  /** Pauses recording; resolves once the capture command is released (or after 5 s). */
  async stop(): Promise<void> {
    if (this.#state !== "recording") return;
    this.#setState("paused");
    const recording = this.#recording;
    recording?.abort.abort();
    if (recording) await Promise.race([recording.done, delay(STOP_WAIT_MS)]);
  }

  shutdown(): void {
    if (this.#state === "stopping") return;
    this.#setState("stopping");
    this.#recording?.abort.abort();
  }

  status(): DaemonStatus {
    const analyzer = this.#session.analysis.state();
    const processGpu = analyzer.latest.processGpu?.v ?? null;
    const deviceGpu = analyzer.latest.deviceGpu?.v ?? null;
    const memory = process.memoryUsage();
    return {
      state: this.#state,
      pid: process.pid,
      uptimeSeconds: Math.round((performance.now() - this.#startedAt) / 100) / 10,
      utterances: this.#tally.count,
      latencyP95Ms: roundOrNull(this.#tally.latencyP95Ms()),
      droppedSeconds: this.#droppedSeconds,
      memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
      gpu:
        processGpu === null && deviceGpu === null
          ? null
          : { processMemoryBytes: processGpu, deviceMemoryBytes: deviceGpu },
      capture: {
        command: this.#command.description,
        running: this.#recording?.capture.pid !== undefined,
        restarts: analyzer.captureRestarts,
        lastRestartReason: this.#lastRestartReason,
      },
      alerts: RULE_NAMES.filter((rule) => analyzer.alerts[rule].firing).map((rule) => ({
        rule,
        value: analyzer.alerts[rule].judgement?.value ?? Number.NaN,
        threshold: analyzer.rules[rule].threshold,
      })),
      eventLog: this.#session.analysis.eventsPath ?? "",
    };
  }

  async #record(): Promise<void> {
    const abort = new AbortController();
    const capture = new CaptureSource(this.#command, {
      signal: abort.signal,
      stallMs: this.#stallMs,
      onRestart: (restart) => this.#restarted(restart),
    });
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    this.#recording = { abort, capture, done };
    try {
      const result = await this.#session.run(capture, {
        live: true,
        signal: abort.signal,
        firstUtteranceIndex: this.#nextIndex,
        // Counted as it happens: a status asked while a recorder floods must show it.
        onDropped: (seconds) => (this.#droppedSeconds += seconds),
      });
      this.#nextIndex = result.nextUtteranceIndex;
    } finally {
      await capture.close();
      this.#recording = undefined;
      finished();
    }
  }

  #restarted(restart: CaptureRestart): void {
    this.#lastRestartReason = restart.reason;
    this.#restartCounter.add(1);
    this.#session.analysis.note({
      type: "CaptureRestarted",
      data: { command: this.#command.description, ...restart },
    });
    this.#stderr.write(
      `voxtrace: warning: capture command ${restart.reason}; restarting in ${(restart.delayMs / 1000).toFixed(1)} s (attempt ${restart.attempt})\n`,
    );
  }

  #setState(state: RecordingState): void {
    this.#state = state;
    this.#stderr.write(`voxtrace: ${state}\n`);
    this.#wake?.();
    this.#wake = undefined;
  }
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
