// The recognition stage: feeds captured audio through the VAD segmenter and, while
// speech lasts, into a streaming transducer; turns each finished segment into an
// Utterance. It also remembers when audio arrived, for end-of-speech latency.

import { PIPELINE_SAMPLE_RATE } from "./audio/AudioSource.js";
import { ATTR_CHUNK_INDEX } from "../semconv.js";
import type { PipelineObserver } from "./PipelineObserver.js";
import type { CapturedChunk } from "./SourcePump.js";
import type { Utterance } from "./Utterance.js";

export type SegmentEvent =
  | { type: "start"; sample: number }
  | { type: "audio"; samples: Float32Array }
  | { type: "end"; sample: number; reason: string };

/** What the VAD made of one captured chunk, and when and how long it worked on it. */
export interface SegmentBatch {
  events: readonly SegmentEvent[];
  /** performance.now() on this thread when the VAD started on the chunk. */
  startedAt: number;
  seconds: number;
}

/** A segmenter that works on the calling thread: one push at a time. */
export interface SpeechSegmenter {
  push(samples: Float32Array): Promise<readonly SegmentEvent[]>;
  flush(): readonly SegmentEvent[];
}

/**
 * A segmenter that works elsewhere (another thread) and answers in order: push may be
 * called again before the last call settled, so the VAD runs ahead of recognition.
 */
export interface PipelinedSegmenter {
  readonly pipelined: true;
  push(samples: Float32Array): Promise<SegmentBatch>;
  flush(): Promise<readonly SegmentEvent[]>;
}

function isPipelined(
  segmenter: SpeechSegmenter | PipelinedSegmenter,
): segmenter is PipelinedSegmenter {
  return (segmenter as Partial<PipelinedSegmenter>).pipelined === true;
}

export interface RecognitionStream {
  accept(samples: Float32Array): Promise<void>;
  partialText(): string;
  finish(): Promise<{ text: string; tokens: number }>;
  readonly chunksRun: number;
}

export interface RecognizerModel {
  createStream(options?: {
    runChunk?: <T>(chunkIndex: number, fn: () => Promise<T>) => Promise<T>;
    /** Encoder chunks to gather before running them back to back (see TransducerStream). */
    chunksPerRun?: number;
  }): RecognitionStream;
}

interface OpenUtterance {
  index: number;
  startSample: number;
  stream: RecognitionStream;
  lastPartial: string;
}

/** How many chunk arrival times to remember: far more than any trailing-silence wait. */
const ARRIVALS_KEPT = 2048;

export class Recognizer {
  readonly #segmenter: SpeechSegmenter | PipelinedSegmenter;
  readonly #model: RecognizerModel;
  readonly #observer: PipelineObserver;
  readonly #onPartial: ((index: number, text: string) => void) | undefined;
  readonly #chunksPerRun: number;
  #open: OpenUtterance | undefined;
  #nextIndex = 0;
  // Parallel rings: end sample (exclusive) and arrival time of recent chunks.
  readonly #arrivalEnds = new Float64Array(ARRIVALS_KEPT);
  readonly #arrivalTimes = new Float64Array(ARRIVALS_KEPT);
  #arrivalCount = 0;
  readonly #speechEndArrivals = new Map<number, number>();

  constructor(
    segmenter: SpeechSegmenter | PipelinedSegmenter,
    model: RecognizerModel,
    observer: PipelineObserver,
    onPartial?: (index: number, text: string) => void,
    firstIndex = 0,
    chunksPerRun = 1,
  ) {
    this.#chunksPerRun = chunksPerRun;
    this.#nextIndex = firstIndex;
    this.#segmenter = segmenter;
    this.#model = model;
    this.#observer = observer;
    this.#onPartial = onPartial;
  }

  /** Index the next utterance will get. */
  get nextIndex(): number {
    return this.#nextIndex;
  }

  /** Whether segment() may be called again before the last call settled. */
  get pipelined(): boolean {
    return isPipelined(this.#segmenter);
  }

  /** Runs the VAD over one captured chunk, remembering when it arrived (for latency). */
  segment(chunk: CapturedChunk): Promise<SegmentBatch> {
    const slot = this.#arrivalCount % ARRIVALS_KEPT;
    this.#arrivalEnds[slot] = chunk.firstSample + chunk.samples.length;
    this.#arrivalTimes[slot] = chunk.arrivedAt;
    this.#arrivalCount += 1;
    const segmenter = this.#segmenter;
    if (isPipelined(segmenter)) return segmenter.push(chunk.samples);
    return timedPush(segmenter, chunk.samples);
  }

  /** The segment events that end of input makes (an open utterance closes). */
  async flushSegments(): Promise<SegmentBatch> {
    const events = await this.#segmenter.flush();
    return { events, startedAt: performance.now(), seconds: 0 };
  }

  /**
   * Recognises one chunk's segment events; returns the utterances they completed. The
   * VAD's work on the chunk is recorded against the utterance open when it began.
   */
  async recognise(batch: SegmentBatch): Promise<Utterance[]> {
    const index = this.#open?.index;
    this.#observer.recordStage(
      "vad",
      batch.seconds,
      index,
      index === undefined ? undefined : { name: "vad.frames", startedAt: batch.startedAt },
    );
    return this.#handle(batch.events, batch.startedAt + batch.seconds * 1000);
  }

  /** performance.now() at which the last speech sample of an utterance arrived. */
  speechEndArrival(index: number): number {
    const time = this.#speechEndArrivals.get(index) ?? performance.now();
    this.#speechEndArrivals.delete(index);
    return time;
  }

  /** `decidedAt`: performance.now() when the VAD finished the chunk, deciding its ends. */
  async #handle(events: readonly SegmentEvent[], decidedAt: number): Promise<Utterance[]> {
    const done: Utterance[] = [];
    for (const event of events) {
      switch (event.type) {
        case "start":
          this.#begin(event.sample);
          break;
        case "audio":
          await this.#feed(event.samples);
          break;
        case "end": {
          const utterance = await this.#end(event.sample, decidedAt);
          if (utterance) done.push(utterance);
          break;
        }
        default: {
          const unexpected: never = event;
          throw new Error(`unknown segment event ${JSON.stringify(unexpected)}`);
        }
      }
    }
    return done;
  }

  #begin(startSample: number): void {
    const index = this.#nextIndex++;
    const observer = this.#observer;
    const stream = this.#model.createStream({
      runChunk: (chunkIndex, fn) =>
        observer.work("stt", "stt.chunk", index, { [ATTR_CHUNK_INDEX]: chunkIndex }, fn),
      chunksPerRun: this.#chunksPerRun,
    });
    this.#open = { index, startSample, stream, lastPartial: "" };
    observer.utteranceStarted(index, startSample / PIPELINE_SAMPLE_RATE);
  }

  async #feed(samples: Float32Array): Promise<void> {
    const open = this.#open;
    if (!open) return;
    await open.stream.accept(samples);
    if (this.#onPartial) {
      const partial = open.stream.partialText();
      if (partial !== open.lastPartial) {
        open.lastPartial = partial;
        this.#onPartial(open.index, partial);
      }
    }
  }

  async #end(endSample: number, decided: number): Promise<Utterance | undefined> {
    const open = this.#open;
    if (!open) return undefined;
    this.#open = undefined;
    try {
      const result = await this.#observer.work("stt", "stt.final", open.index, {}, () =>
        open.stream.finish(),
      );
      if (result.text.length === 0) {
        this.#observer.utteranceDiscarded(open.index, "no text recognised");
        return undefined;
      }
      this.#speechEndArrivals.set(open.index, this.#arrivalOf(endSample));
      return {
        index: open.index,
        start: open.startSample / PIPELINE_SAMPLE_RATE,
        end: endSample / PIPELINE_SAMPLE_RATE,
        text: result.text,
        tokens: result.tokens,
        latencyMs: 0,
        finalizeMs: performance.now() - decided,
      };
    } catch (error) {
      this.#observer.utteranceFailed(open.index, error);
      throw error;
    }
  }

  /** Arrival time of the chunk holding `sample`; the oldest remembered if it is gone. */
  #arrivalOf(sample: number): number {
    const newest = this.#arrivalCount - 1;
    const oldest = Math.max(0, this.#arrivalCount - ARRIVALS_KEPT);
    for (let i = newest; i >= oldest; i--) {
      const slot = i % ARRIVALS_KEPT;
      const previousEnd = i > oldest ? this.#arrivalEnds[(i - 1) % ARRIVALS_KEPT]! : -Infinity;
      if (sample >= previousEnd) return this.#arrivalTimes[slot]!;
    }
    return this.#arrivalTimes[oldest % ARRIVALS_KEPT]!;
  }
}

async function timedPush(segmenter: SpeechSegmenter, samples: Float32Array): Promise<SegmentBatch> {
  const startedAt = performance.now();
  const events = await segmenter.push(samples);
  return { events, startedAt, seconds: (performance.now() - startedAt) / 1000 };
}
