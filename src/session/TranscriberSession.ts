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
import { SileroVad } from "../pipeline/vad/SileroVad.js";
import { VadSegmenter, type VadConfig } from "../pipeline/vad/VadSegmenter.js";
import { OtelPipelineObserver } from "../instrumentation/OtelPipelineObserver.js";
import {
  startResourceSamplers,
  type ResourceSamplers,
} from "../instrumentation/samplers/startResourceSamplers.js";
import { startTelemetry, type Telemetry } from "../instrumentation/startTelemetry.js";
import { statusLine } from "../analysis/statusLine.js";
import { droppedAudioWarning } from "../pipeline/capture/droppedAudioWarning.js";
import { FaultInjector, type FaultConfig } from "../faults/FaultInjector.js";
import { startAnalysis, type AnalysisConfig, type AnalysisSession } from "./startAnalysis.js";

export interface SessionConfig {
  modelDir: string | undefined;
  threads: number;
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
  readonly analysis: AnalysisSession;
  readonly #config: SessionConfig;
  readonly #stderr: NodeJS.WritableStream;
  readonly #sinks: readonly Sink[];
  readonly #model: ZipformerModel;
  readonly #vad: SileroVad;
  readonly #samplers: ResourceSamplers;
  readonly #faults: FaultInjector;
  readonly #observer: PipelineObserver;
  readonly #statusTimer: NodeJS.Timeout | undefined;
  #closed: Promise<void> | undefined;

  private constructor(parts: {
    config: SessionConfig;
    sinks: readonly Sink[];
    model: ZipformerModel;
    vad: SileroVad;
    analysis: AnalysisSession;
    telemetry: Telemetry;
    samplers: ResourceSamplers;
    faults: FaultInjector;
  }) {
    this.#config = parts.config;
    this.#stderr = parts.config.stderr ?? process.stderr;
    this.#sinks = parts.sinks;
    this.#model = parts.model;
    this.#vad = parts.vad;
    this.analysis = parts.analysis;
    this.telemetry = parts.telemetry;
    this.#samplers = parts.samplers;
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
      const vad = await SileroVad.load({ threads: 1 });
      release.push(() => vad.release());
      stderr.write(
        `voxtrace: model ${model.name} on ${model.executionProvider.name} (${model.executionProvider.reason}), loaded in ${Math.round(model.loadMs)} ms\n`,
      );
      const analysis = await startAnalysis(config.analysis, {
        model: model.name,
        executionProvider: model.executionProvider.name,
      });
      release.push(() => analysis.end("failed to start"));
      const telemetry = await startTelemetry({
        sessionId: analysis.sessionId,
        extraMetricReaders: [analysis.reader],
        prometheusPort: config.telemetry.prometheusPort,
        prometheusHost: config.telemetry.prometheusHost,
        modelName: model.name,
        executionProvider: model.executionProvider.name,
        stderr,
      });
      release.push(() => telemetry.shutdown());
      const samplers = await startResourceSamplers({
        meter: telemetry.meter,
        gpu: { info: (line) => stderr.write(`${line}\n`) },
      });
      analysis.connect(telemetry, stderr);
      const faults = new FaultInjector(config.faults);
      stderr.write(`voxtrace: event log ${analysis.logPath}\n`);
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
        samplers,
        faults,
      });
    } catch (error) {
      for (const undo of release.reverse()) await Promise.resolve(undo()).catch(() => {});
      throw error;
    }
  }

  /** Runs one source to its end (or until the signal aborts) through the session. */
  async run(source: AudioSource, options: SessionRunOptions = {}): Promise<PipelineResult> {
    this.#vad.reset();
    const result = await runPipeline({
      source,
      segmenter: new VadSegmenter(this.#vad, vadConfig(this.#config.vad)),
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
    return statusLine(this.analysis.analyzer.state);
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
    this.#samplers.stop();
    await this.#faults.stop();
    await this.telemetry.shutdown();
    this.#stderr.write(`voxtrace: summary: ${this.statusLine()}\n`);
    this.analysis.end(reason);
    this.#stderr.write(`voxtrace: replay with: voxtrace analyze ${this.analysis.logPath}\n`);
    await Promise.allSettled([
      ...this.#sinks.map((sink) => sink.close()),
      this.#model.release(),
      this.#vad.release(),
    ]);
  }
}

function vadConfig(flags: SessionConfig["vad"]): Partial<VadConfig> {
  const config: Partial<VadConfig> = {};
  if (flags.minSilenceMs !== undefined) config.minSilenceMs = flags.minSilenceMs;
  if (flags.maxUtteranceSeconds !== undefined)
    config.maxUtteranceMs = flags.maxUtteranceSeconds * 1000;
  if (flags.threshold !== undefined) config.threshold = flags.threshold;
  return config;
}
