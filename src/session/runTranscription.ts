// Assembles one transcription run from its parts: audio source, VAD, model, sinks,
// and runs the pipeline with signal handling and progress. The CLI's `transcribe`
// calls this; the live daemon reuses the same parts.

import { VoxtraceError } from "../errors.js";
import { resolveModelDir } from "../models/resolveModelDir.js";
import type { AudioSource } from "../pipeline/audio/AudioSource.js";
import { openPcmSource } from "../pipeline/audio/openPcmSource.js";
import { openWavSource } from "../pipeline/audio/openWavSource.js";
import { runPipeline, type PipelineResult } from "../pipeline/Pipeline.js";
import type { PipelineObserver } from "../pipeline/PipelineObserver.js";
import { createSinks, type SinkOptions } from "../pipeline/sinks/createSinks.js";
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
import { FaultInjector, type FaultConfig } from "./FaultInjector.js";
import { ProgressReporter } from "./ProgressReporter.js";
import { startAnalysis, type AnalysisConfig, type AnalysisSession } from "./startAnalysis.js";

export interface TranscriptionConfig {
  input: string;
  modelDir: string | undefined;
  pcm: { format: "s16le" | "f32le"; rate: number | undefined; channels: number | undefined };
  realtime: boolean;
  sinks: SinkOptions;
  threads: number;
  /** Beam width for modified beam search; 1 means greedy search. */
  beam: number;
  provider: "auto" | "cpu" | "cuda";
  partials: boolean;
  progress: boolean;
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

export async function runTranscription(config: TranscriptionConfig): Promise<PipelineResult> {
  const stderr = config.stderr ?? process.stderr;
  const modelDir = resolveModelDir(config.modelDir);
  // Cheap checks first, so bad input fails before a model loads.
  const source = await openSource(config);
  const sinks = createSinks(config.sinks);
  const opened: Sink[] = [];
  let model: ZipformerModel | undefined;
  let vad: SileroVad | undefined;
  let telemetry: Telemetry | undefined;
  let samplers: ResourceSamplers | undefined;
  let analysis: AnalysisSession | undefined;
  const faults = new FaultInjector(config.faults);
  let statusTimer: NodeJS.Timeout | undefined;
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    for (const sink of sinks) {
      await sink.open();
      opened.push(sink);
    }
    model = await ZipformerModel.load(modelDir, {
      provider: config.provider,
      threads: config.threads,
      decoding:
        config.beam > 1
          ? { method: "modified_beam_search", beam: config.beam }
          : { method: "greedy" },
    });
    vad = await SileroVad.load({ threads: 1 });
    const segmenter = new VadSegmenter(vad, vadConfig(config.vad));
    stderr.write(
      `voxtrace: model ${model.name} on ${model.executionProvider.name} (${model.executionProvider.reason}), loaded in ${Math.round(model.loadMs)} ms\n`,
    );
    analysis = await startAnalysis(config.analysis, {
      model: model.name,
      executionProvider: model.executionProvider.name,
    });
    telemetry = await startTelemetry({
      sessionId: analysis.sessionId,
      extraMetricReaders: [analysis.reader],
      prometheusPort: config.telemetry.prometheusPort,
      prometheusHost: config.telemetry.prometheusHost,
      modelName: model.name,
      executionProvider: model.executionProvider.name,
      stderr,
    });
    samplers = await startResourceSamplers({
      meter: telemetry.meter,
      gpu: { info: (line) => stderr.write(`${line}\n`) },
    });
    const observer =
      config.observer ??
      new OtelPipelineObserver({
        tracer: telemetry.tracer,
        meter: telemetry.meter,
        modelName: model.name,
        executionProvider: model.executionProvider.name,
        recordTranscripts: config.telemetry.recordTranscripts,
      });
    analysis.connect(telemetry, stderr);
    const session = analysis;
    if (config.reportEveryMs > 0) {
      statusTimer = setInterval(
        () => stderr.write(`voxtrace: status: ${statusLine(session.analyzer.state)}\n`),
        config.reportEveryMs,
      );
      statusTimer.unref();
    }
    stderr.write(`voxtrace: event log ${analysis.logPath}\n`);
    if (faults.active) {
      stderr.write(`voxtrace: fire drill: ${faults.describe()}\n`);
      faults.start();
    }
    if (telemetry.prometheusUrl) stderr.write(`voxtrace: metrics at ${telemetry.prometheusUrl}\n`);
    const progress = new ProgressReporter(stderr, config.progress, source.durationSeconds);
    let result: PipelineResult;
    try {
      result = await runPipeline({
        source,
        segmenter,
        model: faults.wrapModel(model),
        sinks,
        realtime: config.realtime,
        signal: abort.signal,
        observer,
        onProgress: (seconds) => progress.update(seconds),
        ...(config.partials
          ? { onPartial: (index: number, text: string) => progress.partial(index, text) }
          : {}),
      });
    } finally {
      progress.stop();
    }
    for (const warning of result.warnings) stderr.write(`voxtrace: warning: ${warning}\n`);
    if (result.droppedSeconds > 0) {
      stderr.write(
        `voxtrace: warning: dropped ${result.droppedSeconds.toFixed(2)} s of audio: the pipeline fell behind real time\n`,
      );
    }
    stderr.write(
      `voxtrace: ${result.utterances} utterance(s) from ${result.audioSeconds.toFixed(1)} s of audio in ${result.wallSeconds.toFixed(2)} s (${(result.audioSeconds / Math.max(result.wallSeconds, 1e-9)).toFixed(1)}x real time)\n`,
    );
    return result;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    samplers?.stop();
    await faults.stop();
    // The SDK's shutdown makes a last collection, which reaches the analyzer first.
    await telemetry?.shutdown();
    if (statusTimer) clearInterval(statusTimer);
    if (analysis) {
      stderr.write(`voxtrace: summary: ${statusLine(analysis.analyzer.state)}\n`);
      analysis.end(abort.signal.aborted ? "interrupted" : "completed");
      stderr.write(`voxtrace: replay with: voxtrace analyze ${analysis.logPath}\n`);
    }
    await Promise.allSettled([
      ...opened.map((sink) => sink.close()),
      source.close(),
      model?.release(),
      vad?.release(),
    ]);
  }
}

async function openSource(config: TranscriptionConfig): Promise<AudioSource> {
  if (config.input !== "-") return openWavSource(config.input);
  if (config.pcm.rate === undefined) {
    throw new VoxtraceError(
      "usage",
      "stdin: raw PCM needs --rate N (and --channels N, --format s16le|f32le if not mono s16le)",
    );
  }
  return openPcmSource(process.stdin, {
    format: config.pcm.format,
    rate: config.pcm.rate,
    channels: config.pcm.channels ?? 1,
    description: "stdin",
  });
}

function vadConfig(flags: TranscriptionConfig["vad"]): Partial<VadConfig> {
  const config: Partial<VadConfig> = {};
  if (flags.minSilenceMs !== undefined) config.minSilenceMs = flags.minSilenceMs;
  if (flags.maxUtteranceSeconds !== undefined)
    config.maxUtteranceMs = flags.maxUtteranceSeconds * 1000;
  if (flags.threshold !== undefined) config.threshold = flags.threshold;
  return config;
}
