// Where recognised text goes: stdout, a file, JSON lines, a text-injection tool.

import type { Utterance } from "../Utterance.js";

export interface Sink {
  /** Checks prerequisites (tool on PATH, file writable) and fails early with a VoxtraceError. */
  open(): Promise<void>;
  /** Delivers one final utterance. Partial hypotheses are not sent to sinks. */
  write(utterance: Utterance): Promise<void>;
  /** Flushes and releases resources; idempotent. */
  close(): Promise<void>;
}
