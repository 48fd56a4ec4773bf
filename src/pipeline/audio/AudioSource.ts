// The contract every audio source meets: 16 kHz mono float samples in [-1, 1], streamed.

export const PIPELINE_SAMPLE_RATE = 16_000;

export interface AudioSource {
  /** Human-readable origin for messages, e.g. the file path or "stdin". */
  readonly description: string;
  /** Total duration in seconds when known up front (files), for progress and pacing. */
  readonly durationSeconds: number | undefined;
  /**
   * Yields consecutive chunks of 16 kHz mono samples. Chunk sizes are arbitrary.
   * Throws VoxtraceError("bad_input", ...) for malformed input; a truncated file may
   * instead yield what it has and report a warning through `warnings`.
   */
  chunks(): AsyncIterable<Float32Array>;
  /** Non-fatal problems found while reading (e.g. a truncated data chunk). */
  readonly warnings: readonly string[];
  /** Releases file handles / streams; idempotent. */
  close(): Promise<void>;
}
