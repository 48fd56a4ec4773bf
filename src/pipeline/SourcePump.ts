// Moves audio from a source into the pipeline's first queue. A file feels back-pressure;
// a live source (or a file paced with --realtime, which stands in for a microphone)
// is never blocked: when the queue is full the chunk is dropped and counted.

import type { AudioSource } from "./audio/AudioSource.js";
import { PIPELINE_SAMPLE_RATE } from "./audio/AudioSource.js";
import type { BoundedQueue } from "./BoundedQueue.js";
import { abortableSleep } from "./abortableSleep.js";

export interface CapturedChunk {
  samples: Float32Array;
  /** Index (16 kHz) of the chunk's first sample in the source. */
  firstSample: number;
  /** performance.now() when the chunk entered the pipeline. */
  arrivedAt: number;
}

export interface SourcePumpOptions {
  /** Pace chunks at real-time speed, as a microphone would deliver them. */
  realtime: boolean;
  /** Never block the source; drop and count when the queue is full. */
  live: boolean;
  signal: AbortSignal;
  onDropped(seconds: number): void;
  onRead(seconds: number): void;
}

/** Pumps the whole source into the queue, then closes it. Returns samples read. */
export async function pumpSource(
  source: AudioSource,
  queue: BoundedQueue<CapturedChunk>,
  options: SourcePumpOptions,
): Promise<number> {
  let position = 0;
  const started = performance.now();
  try {
    for await (const samples of source.chunks()) {
      if (options.signal.aborted) break;
      if (options.realtime) {
        const due = started + ((position + samples.length) / PIPELINE_SAMPLE_RATE) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await abortableSleep(wait, options.signal);
        if (options.signal.aborted) break;
      }
      const chunk = { samples, firstSample: position, arrivedAt: performance.now() };
      position += samples.length;
      options.onRead(samples.length / PIPELINE_SAMPLE_RATE);
      if (options.live) {
        if (!queue.offer(chunk)) options.onDropped(samples.length / PIPELINE_SAMPLE_RATE);
      } else if (!(await queue.push(chunk))) {
        break;
      }
    }
  } finally {
    queue.close();
  }
  return position;
}
