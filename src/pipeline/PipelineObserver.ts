// The seam between the pipeline and telemetry: the orchestrator reports what it does
// through this interface and knows nothing of OpenTelemetry. The default is a no-op.

import type { Stage } from "../semconv.js";
import type { Utterance } from "./Utterance.js";

export type WorkAttributes = Record<string, string | number | boolean>;

export interface PipelineObserver {
  /** Speech started: opens the utterance's root span. `startSeconds` is source time. */
  utteranceStarted(index: number, startSeconds: number): void;
  /**
   * Runs one unit of stage work (a VAD segment, an STT encoder chunk, the final
   * decode, an injection) and records its span and duration. `utterance` is the
   * utterance index the work belongs to, or undefined for work outside speech.
   * Must return fn's result and rethrow its error after recording it.
   */
  work<T>(
    stage: Stage,
    name: string,
    utterance: number | undefined,
    attributes: WorkAttributes,
    fn: () => Promise<T>,
  ): Promise<T>;
  /**
   * Records a stage duration measured elsewhere (e.g. VAD over many frames, perhaps on
   * another thread), in seconds. With `span`, and an open utterance, the work also gets
   * a span under it; `startedAt` is performance.now() on this thread.
   */
  recordStage(
    stage: Stage,
    seconds: number,
    utterance: number | undefined,
    span?: { name: string; startedAt: number },
  ): void;
  /** Text delivered: closes the root span, records latency and counters. */
  utteranceDelivered(utterance: Utterance, audioSeconds: number, processingSeconds: number): void;
  /** Speech that yielded no text (noise, a cough): closes the root span, delivers nothing. */
  utteranceDiscarded(index: number, reason: string): void;
  /** Utterance abandoned (error): closes the root span with an error status. */
  utteranceFailed(index: number, error: unknown): void;
  /** Audio read from the source, in seconds (counter). */
  audioProcessed(seconds: number): void;
  /** Audio dropped because a live source outran the pipeline, in seconds. */
  audioDropped(seconds: number): void;
  /** Current depth of a bounded queue between stages. */
  queueDepth(queue: string, depth: number): void;
}

export const NOOP_OBSERVER: PipelineObserver = {
  utteranceStarted() {},
  work(_stage, _name, _utterance, _attributes, fn) {
    return fn();
  },
  recordStage() {},
  utteranceDelivered() {},
  utteranceDiscarded() {},
  utteranceFailed() {},
  audioProcessed() {},
  audioDropped() {},
  queueDepth() {},
};
