// One error type for everything a user can act on: a code, an exit status and a
// one-line message (what, where, what to do). Anything else is an internal failure.

export type VoxtraceErrorCode =
  | "usage" // wrong flag or argument
  | "bad_input" // unreadable or malformed audio / log / config
  | "model" // missing or corrupt model
  | "unavailable" // a needed tool, port or endpoint is not there
  | "internal";

export class VoxtraceError extends Error {
  override readonly name = "VoxtraceError";
  readonly code: VoxtraceErrorCode;

  constructor(code: VoxtraceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** Exit status: 2 for bad usage or bad input, 1 for internal failures. */
  get exitCode(): number {
    return this.code === "internal" ? 1 : 2;
  }
}

export function isVoxtraceError(error: unknown): error is VoxtraceError {
  return error instanceof VoxtraceError;
}
