// One transcription run: a WAV file or raw PCM on stdin through a TranscriberSession,
// with signal handling and progress. The CLI's `transcribe` calls this.

import { VoxtraceError } from "../errors.js";
import type { AudioSource } from "../pipeline/audio/AudioSource.js";
import { openPcmSource } from "../pipeline/audio/openPcmSource.js";
import { openWavSource } from "../pipeline/audio/openWavSource.js";
import type { PipelineResult } from "../pipeline/Pipeline.js";
import { createSinks, type SinkOptions } from "../pipeline/sinks/createSinks.js";
import { ProgressReporter } from "./ProgressReporter.js";
import { TranscriberSession, type SessionConfig } from "../session/TranscriberSession.js";

export interface TranscriptionConfig extends SessionConfig {
  input: string;
  pcm: { format: "s16le" | "f32le"; rate: number | undefined; channels: number | undefined };
  realtime: boolean;
  sinks: SinkOptions;
  partials: boolean;
  progress: boolean;
}

export async function runTranscription(config: TranscriptionConfig): Promise<PipelineResult> {
  const stderr = config.stderr ?? process.stderr;
  // Cheap checks first, so bad input fails before a model loads.
  const source = await openSource(config);
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let session: TranscriberSession | undefined;
  try {
    session = await TranscriberSession.open(
      { ...config, liveInput: config.realtime },
      createSinks(config.sinks),
    );
    const progress = new ProgressReporter(stderr, config.progress, source.durationSeconds);
    let result: PipelineResult;
    try {
      result = await session.run(source, {
        realtime: config.realtime,
        signal: abort.signal,
        onProgress: (seconds) => progress.update(seconds),
        ...(config.partials
          ? { onPartial: (index: number, text: string) => progress.partial(index, text) }
          : {}),
      });
    } finally {
      progress.stop();
    }
    stderr.write(
      `voxtrace: ${result.utterances} utterance(s) from ${result.audioSeconds.toFixed(1)} s of audio in ${result.wallSeconds.toFixed(2)} s (${(result.audioSeconds / Math.max(result.wallSeconds, 1e-9)).toFixed(1)}x real time)\n`,
    );
    return result;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await session?.close(abort.signal.aborted ? "interrupted" : "completed");
    await source.close();
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
