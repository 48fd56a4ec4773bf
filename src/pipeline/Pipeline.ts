// The orchestrator: source ─queue─▶ VAD ─queue─▶ STT ─queue─▶ sinks. Each stage runs as
// its own async loop joined by bounded queues, and reports what it does through a
// PipelineObserver so telemetry stays out of the pipeline's code. A segmenter on another
// thread runs ahead of recognition, so on two cores the VAD and the encoder overlap.

import type { AudioSource } from "./audio/AudioSource.js";
import { PIPELINE_SAMPLE_RATE } from "./audio/AudioSource.js";
import { joinSamples } from "./audio/joinSamples.js";
import { BoundedQueue } from "./BoundedQueue.js";
import type { PipelineObserver } from "./PipelineObserver.js";
import { NOOP_OBSERVER } from "./PipelineObserver.js";
import type { Sink } from "./sinks/Sink.js";
import { pumpSource, type CapturedChunk } from "./SourcePump.js";
import {
  Recognizer,
  type PipelinedSegmenter,
  type RecognizerModel,
  type SegmentBatch,
  type SpeechSegmenter,
} from "./Recognizer.js";
import type { Utterance } from "./Utterance.js";

export interface PipelineOptions {
  source: AudioSource;
  segmenter: SpeechSegmenter | PipelinedSegmenter;
  model: RecognizerModel;
  sinks: readonly Sink[];
  observer?: PipelineObserver;
  /** Pace a file at real-time speed; implies live behaviour (drops instead of waiting). */
  realtime?: boolean;
  /** The source is live (microphone): never block it. */
  live?: boolean;
  /** Abort to stop reading: the current utterance is finished and sinks flushed. */
  signal?: AbortSignal;
  /** Chunks buffered between capture and recognition. */
  queueCapacity?: number;
  /** Index of the first utterance: a daemon numbers utterances across recordings. */
  firstUtteranceIndex?: number;
  onPartial?(index: number, text: string): void;
  onProgress?(secondsRead: number): void;
  /** Live audio dropped, as it happens (a daemon's status shows it mid-run). */
  onDropped?(seconds: number): void;
}

/**
 * Encoder chunks gathered before they run when nobody waits on each word (files read as
 * fast as they go): running them, and the VAD between them, in bursts keeps each
 * model's weights in cache. Live input runs every chunk at once for partials and latency.
 */
const BATCH_CHUNKS_PER_RUN = 4;

/**
 * Samples of a file the VAD takes at once (4 s): the source's chunks (0.25 s) are joined
 * up to this, so the VAD runs ~128 frames in one call (its graph takes a run of frames,
 * batchVadFrames), then recognition runs on what they held, each model with its weights
 * in cache (docs/benchmarks.md). Live input is never held back.
 */
const FILE_RUN_SAMPLES = 65536;

/**
 * How long the VAD stage waits, in all, for more chunks to join: a file's next blocks
 * are a read away and arrive well within it, while input that comes at the pace it is
 * spoken (a microphone piped to stdin) is held back by this much at most.
 */
const JOIN_WAIT_MS = 20;

/**
 * Captured chunks the VAD may be ahead of recognition: a second's worth of live audio, a
 * few seconds of a file. A pipelined segmenter has this many chunks in flight at most.
 */
const SEGMENTED_CAPACITY = 16;

export interface PipelineResult {
  utterances: number;
  audioSeconds: number;
  droppedSeconds: number;
  wallSeconds: number;
  warnings: readonly string[];
  /** Index the next utterance would get (delivered, discarded and failed ones count). */
  nextUtteranceIndex: number;
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const observer = options.observer ?? NOOP_OBSERVER;
  const live = options.live === true || options.realtime === true;
  const signal = options.signal ?? new AbortController().signal;
  const captured = new BoundedQueue<CapturedChunk>(options.queueCapacity ?? 64);
  const recognised = new BoundedQueue<Utterance>(16);
  const started = performance.now();
  let droppedSeconds = 0;
  let readSeconds = 0;

  const pump = pumpSource(options.source, captured, {
    realtime: options.realtime === true,
    live,
    signal,
    onDropped(seconds) {
      droppedSeconds += seconds;
      observer.audioDropped(seconds);
      options.onDropped?.(seconds);
    },
    onRead(seconds) {
      readSeconds += seconds;
      observer.audioProcessed(seconds);
      observer.queueDepth("capture", captured.depth);
      options.onProgress?.(readSeconds);
    },
  });

  const onPartial = options.onPartial?.bind(options);
  const recognizer = new Recognizer(
    options.segmenter,
    options.model,
    observer,
    onPartial,
    options.firstUtteranceIndex,
    live ? 1 : BATCH_CHUNKS_PER_RUN,
  );
  const segmented = new BoundedQueue<Promise<SegmentBatch>>(SEGMENTED_CAPACITY);
  // Any loop failing closes every queue so the others stop instead of waiting forever.
  const stopAll = (): void => {
    captured.close();
    segmented.close();
    recognised.close();
  };
  const segment = (async () => {
    try {
      for await (const first of captured) {
        observer.queueDepth("capture", captured.depth);
        const chunk = live ? first : await joinArriving(first, captured, FILE_RUN_SAMPLES);
        const batch = recognizer.segment(chunk);
        // Handled by the recognising loop; this keeps a failure from going unhandled
        // when that loop has already stopped.
        batch.catch(() => undefined);
        // A segmenter on this thread finishes one chunk before it takes the next.
        if (!recognizer.pipelined) await batch;
        if (!(await segmented.push(batch))) return;
      }
      await segmented.push(recognizer.flushSegments());
    } catch (error) {
      stopAll();
      throw error;
    } finally {
      segmented.close();
    }
  })();
  const recognise = (async () => {
    try {
      for await (const batch of segmented) {
        for (const utterance of await recognizer.recognise(await batch))
          await recognised.push(utterance);
      }
    } catch (error) {
      stopAll();
      throw error;
    } finally {
      recognised.close();
    }
  })();

  let delivered = 0;
  const deliver = (async () => {
    try {
      await deliverAll();
    } catch (error) {
      stopAll();
      throw error;
    }
  })();
  async function deliverAll(): Promise<void> {
    for await (const utterance of recognised) {
      observer.queueDepth("inject", recognised.depth);
      // Latency runs to the moment the text is handed to the sinks.
      utterance.latencyMs = performance.now() - recognizer.speechEndArrival(utterance.index);
      await observer.work("inject", "inject", utterance.index, {}, async () => {
        for (const sink of options.sinks) await sink.write(utterance);
      });
      const audioSeconds = utterance.end - utterance.start;
      observer.utteranceDelivered(utterance, audioSeconds, utterance.finalizeMs / 1000);
      delivered += 1;
    }
  }

  // Settle all four loops before reporting, so a failure in one never leaves another
  // running against a closed queue.
  const outcomes = await Promise.allSettled([pump, segment, recognise, deliver]);
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failure) throw failure.reason;
  return {
    utterances: delivered,
    audioSeconds: readSeconds,
    droppedSeconds,
    wallSeconds: (performance.now() - started) / 1000,
    warnings: options.source.warnings,
    nextUtteranceIndex: recognizer.nextIndex,
  };
}

/**
 * `first` followed by the chunks that come after it within JOIN_WAIT_MS, joined into one
 * chunk of up to `limit` samples; it arrived when its last part did.
 */
async function joinArriving(
  first: CapturedChunk,
  queue: BoundedQueue<CapturedChunk>,
  limit: number,
): Promise<CapturedChunk> {
  const parts = [first];
  let length = first.samples.length;
  const deadline = performance.now() + JOIN_WAIT_MS;
  while (length < limit) {
    const next = await queue.takeWithin(deadline - performance.now());
    if (!next) break;
    parts.push(next);
    length += next.samples.length;
  }
  if (parts.length === 1) return first;
  const samples = joinSamples(
    parts.map((part) => part.samples),
    length,
  );
  return { samples, firstSample: first.firstSample, arrivedAt: parts.at(-1)!.arrivedAt };
}

export { PIPELINE_SAMPLE_RATE };
