// Everything a transcription needs besides its audio: model, VAD, sinks, telemetry,
// resource samplers, analyzer, fire drills and the periodic status line. `transcribe`
// opens one and runs one source through it; the live daemon runs one source per
// recording through the same session, so telemetry and the event log span them all.

import { resolveModelDir } from "../models/resolveModelDir.js";
import type { AudioSource } from "../pipeline/audio/AudioSource.js";
import { runPipeline, type PipelineResult } from "../pipeline/Pipeline.js";
import type { PipelineObserver } from "../pipeline/PipelineObserver.js";
import type { Sink } from "../pipeline/sinks/Sink.js";
import { ZipformerModel } from "../pipeline/stt/ZipformerModel.js";
import { availableParallelism } from "node:os";
import { SileroVad } from "../pipeline/vad/SileroVad.js";
import { VadSegmenter, type VadConfig } from "../pipeline/vad/VadSegmenter.js";
import { VadThread } from "../pipeline/vad/VadThread.js";
import { VoxtraceError } from "../errors.js";
import { OtelPipelineObserver } from "../instrumentation/OtelPipelineObserver.js";
import { VoxtraceInstrumentation } from "../instrumentation/VoxtraceInstrumentation.js";
import { readHostInventory } from "../instrumentation/readHostInventory.js";
import { startTelemetry, type Telemetry } from "../instrumentation/startTelemetry.js";
import { statusLine } from "../analysis/statusLine.js";
import { droppedAudioWarning } from "../pipeline/capture/droppedAudioWarning.js";
import { FaultInjector, type FaultConfig } from "../faults/FaultInjector.js";
import { createAnalyzer, type VoxtraceAnalyzer } from "../analysis/createAnalyzer.js";
import type { RulesConfig } from "../analysis/RulesConfig.js";

export interface AnalysisConfig {
  /** Event log path; default: one file per session in the XDG state directory. */
  eventsPath: string | undefined;
  rules: RulesConfig;
  intervalMs: number;
}

export interface SessionConfig {
  modelDir: string | undefined;
  threads: number;
  /**
   * The VAD on a thread of its own, so it overlaps the encoder on a second core; "auto"
   * (the default) does so on two or more cores for input read faster than real time.
   */
  vadThread?: "auto" | "on" | "off";
  /**
   * Audio arrives at real-time pace (a microphone, `--realtime`). There a VAD thread buys
   * no speed and costs CPU (live bench: 18-23 % more), so "auto"
   * keeps the VAD on this thread.
   */
  liveInput?: boolean;
  /** Beam width for modified beam search; 1 means greedy search. */
  beam: number;
  provider: "auto" | "cpu" | "cuda";
  vad: { minSilenceMs?: number; maxUtteranceSeconds?: number; threshold?: number };
  telemetry: {
    prometheusPort: number;
    prometheusHost: string;
    recordTranscripts: boolean;
  };
  analysis: AnalysisConfig;
  faults: FaultConfig;
  /** Status line on stderr this often (0: never). */
  reportEveryMs: number;
  /** Replaces the OpenTelemetry observer (library use, tests). */
  observer?: PipelineObserver;
  stderr?: NodeJS.WritableStream;
}

export interface SessionRunOptions {
  realtime?: boolean;
  live?: boolean;
  signal?: AbortSignal;
  firstUtteranceIndex?: number;
  onPartial?(index: number, text: string): void;
  onProgress?(secondsRead: number): void;
  onDropped?(seconds: number): void;
}

export class TranscriberSession {
  readonly telemetry: Telemetry;
  readonly analysis: VoxtraceAnalyzer;
  readonly #config: SessionConfig;
  readonly #stderr: NodeJS.WritableStream;
  readonly #sinks: readonly Sink[];
  readonly #model: ZipformerModel;
  readonly #vad: SileroVad | VadThread;
  readonly #instrumentation: VoxtraceInstrumentation;
  readonly #faults: FaultInjector;
  readonly #observer: PipelineObserver;
  readonly #statusTimer: NodeJS.Timeout | undefined;
  #closed: Promise<void> | undefined;

  private constructor(parts: {
    config: SessionConfig;
    sinks: readonly Sink[];
    model: ZipformerModel;
    vad: SileroVad | VadThread;
    analysis: VoxtraceAnalyzer;
    telemetry: Telemetry;
    instrumentation: VoxtraceInstrumentation;
    faults: FaultInjector;
  }) {
    this.#config = parts.config;
    this.#stderr = parts.config.stderr ?? process.stderr;
    this.#sinks = parts.sinks;
    this.#model = parts.model;
    this.#vad = parts.vad;
    this.analysis = parts.analysis;
    this.telemetry = parts.telemetry;
    this.#instrumentation = parts.instrumentation;
    this.#faults = parts.faults;
    this.#observer =
      parts.config.observer ??
      new OtelPipelineObserver({
        tracer: parts.telemetry.tracer,
        meter: parts.telemetry.meter,
        modelName: parts.model.name,
        executionProvider: parts.model.executionProvider.name,
        recordTranscripts: parts.config.telemetry.recordTranscripts,
      });
    if (parts.config.reportEveryMs > 0) {
      this.#statusTimer = setInterval(
        () => this.#stderr.write(`voxtrace: status: ${this.statusLine()}\n`),
        parts.config.reportEveryMs,
      );
      this.#statusTimer.unref();
    }
  }

  /**
   * Opens the sinks, loads the models and starts telemetry and the analyzer. Whatever
   * was started is released again if a later step fails.
   */
  static async open(config: SessionConfig, sinks: readonly Sink[]): Promise<TranscriberSession> {
    const stderr = config.stderr ?? process.stderr;
    const modelDir = resolveModelDir(config.modelDir);
    // Read the host inventory while the models load: telemetry waits for it at start.
    void readHostInventory(2000);
    const opened: Sink[] = [];
    const release: (() => unknown)[] = [];
    try {
      for (const sink of sinks) {
        await sink.open();
        opened.push(sink);
        release.push(() => sink.close());
      }
      const model = await ZipformerModel.load(modelDir, {
        provider: config.provider,
        threads: config.threads,
        decoding:
          config.beam > 1
            ? { method: "modified_beam_search", beam: config.beam }
            : { method: "greedy" },
      });
      release.push(() => model.release());
      const vad = useVadThread(config.vadThread ?? "auto", config.liveInput === true)
        ? await VadThread.start({ threads: 1 })
        : await SileroVad.load({ threads: 1 });
      release.push(() => vad.release());
      stderr.write(
        `voxtrace: model ${model.name} on ${model.executionProvider.name} (${model.executionProvider.reason}), loaded in ${Math.round(model.loadMs)} ms\n`,
      );
      // The same public pieces a user's own NodeSDK takes: the analyzer's reader and the
      // samplers as an instrumentation.
      const analysis = createAnalyzer({
        eventsPath: config.analysis.eventsPath,
        rules: config.analysis.rules,
        intervalMs: config.analysis.intervalMs,
        stderr,
        model: model.name,
        executionProvider: model.executionProvider.name,
        env: {}, // the CLI keeps its log even when OTEL_SDK_DISABLED turns telemetry off
      });
      release.push(() => analysis.close("failed to start"));
      const instrumentation = new VoxtraceInstrumentation({
        enabled: false,
        info: (line) => stderr.write(`${line}\n`),
      });
      const telemetry = await startTelemetry({
        sessionId: analysis.sessionId,
        extraMetricReaders: [analysis.metricReader],
        instrumentations: [instrumentation],
        prometheusPort: config.telemetry.prometheusPort,
        prometheusHost: config.telemetry.prometheusHost,
        modelName: model.name,
        executionProvider: model.executionProvider.name,
        stderr,
      });
      release.push(() => telemetry.shutdown());
      release.push(() => instrumentation.disable());
      // The SDK hands it its meter and enables it on start (it was built disabled for that).
      await instrumentation.ready();
      const faults = new FaultInjector(config.faults);
      stderr.write(`voxtrace: event log ${analysis.eventsPath}\n`);
      if (faults.active) {
        stderr.write(`voxtrace: fire drill: ${faults.describe()}\n`);
        faults.start();
      }
      if (telemetry.prometheusUrl)
        stderr.write(`voxtrace: metrics at ${telemetry.prometheusUrl}\n`);
      return new TranscriberSession({
        config,
        sinks: opened,
        model,
        vad,
        analysis,
        telemetry,
        instrumentation,
        faults,
      });
    } catch (error) {
      for (const undo of release.reverse()) await Promise.resolve(undo()).catch(() => {});
      throw error;
    }
  }

  /** Runs one source to its end (or until the signal aborts) through the session. */
  async run(source: AudioSource, options: SessionRunOptions = {}): Promise<PipelineResult> {
    const vad = this.#vad;
    const settings = vadConfig(this.#config.vad);
    if (vad instanceof SileroVad) vad.reset();
    const result = await runPipeline({
      source,
      segmenter:
        vad instanceof SileroVad ? new VadSegmenter(vad, settings) : vad.segmenter(settings),
      model: this.#faults.wrapModel(this.#model, options.signal),
      sinks: this.#sinks,
      observer: this.#observer,
      ...options,
    });
    for (const warning of result.warnings) this.#stderr.write(`voxtrace: warning: ${warning}\n`);
    if (result.droppedSeconds > 0) this.#stderr.write(`${droppedAudioWarning(result)}\n`);
    return result;
  }

  statusLine(): string {
    return statusLine(this.analysis.state());
  }

  /**
   * Stops telemetry (its last collection reaches the analyzer first), ends the event
   * log with `reason`, prints the summary and releases models and sinks. Idempotent.
   */
  close(reason: string): Promise<void> {
    this.#closed ??= this.#close(reason);
    return this.#closed;
  }

  async #close(reason: string): Promise<void> {
    if (this.#statusTimer) clearInterval(this.#statusTimer);
    await this.#faults.stop();
    // The analyzer's last collection first (it still sees the samplers), then the rest.
    await this.analysis.close(reason);
    this.#instrumentation.disable();
    await this.telemetry.shutdown();
    this.#stderr.write(`voxtrace: summary: ${this.statusLine()}\n`);
    this.#stderr.write(`voxtrace: replay with: voxtrace analyze ${this.analysis.eventsPath}\n`);
    await Promise.allSettled([
      ...this.#sinks.map((sink) => sink.close()),
      this.#model.release(),
      this.#vad.release(),
    ]);
  }
}

/**
 * Whether the VAD gets a thread of its own: asked for, or "auto" on two or more cores
 * when the input is not live.
 */
export function useVadThread(when: "auto" | "on" | "off", live: boolean): boolean {
  if (when === "off") return false;
  if (when === "on" && !VadThread.available())
    throw new VoxtraceError(
      "usage",
      "--vad-thread on: the VAD thread needs the built package (npm run build)",
    );
  return when === "on" || (!live && VadThread.available() && availableParallelism() >= 2);
}

function vadConfig(flags: SessionConfig["vad"]): Partial<VadConfig> {
  const config: Partial<VadConfig> = {};
  if (flags.minSilenceMs !== undefined) config.minSilenceMs = flags.minSilenceMs;
  if (flags.maxUtteranceSeconds !== undefined)
    config.maxUtteranceMs = flags.maxUtteranceSeconds * 1000;
  if (flags.threshold !== undefined) config.threshold = flags.threshold;
  return config;
}
